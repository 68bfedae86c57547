"""The pages of the reports app, one module per concern."""
