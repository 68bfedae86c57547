"""The records of sign-in and account security."""

from .sessions import SignedInSession  # noqa: F401
