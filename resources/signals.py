"""Signals of the resources app, for changes that Django's model signals do not announce."""

from django.dispatch import Signal

# Sent after an import wrote actual costs in bulk (no post_save per row), with `projects`: the
# projects whose costs changed. Cached figures made of costs listen to it.
actual_costs_imported = Signal()
