"""The records of sign-in and account security."""
