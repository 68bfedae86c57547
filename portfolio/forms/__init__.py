"""Forms of the portfolio area, one module per concern."""
