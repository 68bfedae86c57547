"""Capacity figures kept in the cache until the data behind them changes.

The role heat map and the utilisation report add up every booking, capacity row and absence
in their horizon: at the enterprise size, a few hundred milliseconds of database work that
every visitor of those pages would otherwise wait for again. Their tables are cached under a
*generation* which any change to that data moves on (the receivers are connected in
resources/apps.py): a page shows new figures as soon as the change is made, and a bulk change
that bypasses the models' save() and delete() shows at most CACHE_SECONDS later.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "resources:figures-generation"
CACHE_SECONDS = 300


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY, "")
    return generation


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def forget_figures(**_signal) -> None:
    """Drop the cached figures: now, and again once the change is committed, in case another
    request cached figures read before the commit in between."""
    _new_generation()
    transaction.on_commit(_new_generation)


def cached_figures(name: str, compute, *key_parts):
    """What `compute()` returns, from the cache while the data has not changed since."""
    key = ":".join(["resources", _generation(), name, *(str(part) for part in key_parts)])
    figures = cache.get(key)
    if figures is None:
        figures = compute()
        cache.set(key, figures, CACHE_SECONDS)
    return figures
