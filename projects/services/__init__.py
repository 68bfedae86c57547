"""Writes of the `projects` app, one module per concern. Each function is atomic, validates,
and leaves the history of who changed what."""

from pmo_portal.errors import StaleVersionError

__all__ = ["StaleVersionError"]
