"""The records of sign-in and account security."""

from .policy import SignInPolicy  # noqa: F401
