"""Writes of the `risks` app, one module per concern."""
