"""The records of sign-in and account security."""

from .policy import SignInPolicy  # noqa: F401
from .sessions import SignedInSession  # noqa: F401
