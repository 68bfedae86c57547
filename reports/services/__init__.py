"""Every write of the reports app goes through these services: atomic, validated, audited."""
