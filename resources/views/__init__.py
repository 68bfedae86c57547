"""Views of the `resources` app, one module per concern."""
