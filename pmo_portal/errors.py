"""Errors the services of every area raise beside Django's ValidationError."""


class StaleVersionError(Exception):
    """The record changed since the form was loaded; saving would overwrite someone's work."""
