"""Figures that take long to work out, kept in the cache until the data behind them changes.

Each area keeps its figures under a *generation* of its own, which any change to that data
moves on (`forget_figures`): a page shows new figures as soon as the change is made, and a
bulk change that bypasses the code calling forget_figures shows at most CACHE_SECONDS later.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

CACHE_SECONDS = 300


def _generation_key(area: str) -> str:
    return f"figures:{area}:generation"


def _generation(area: str) -> str:
    key = _generation_key(area)
    generation = cache.get(key)
    if generation is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        generation = cache.get(key, "")
    return generation


def _new_generation(area: str) -> None:
    cache.set(_generation_key(area), uuid.uuid4().hex, timeout=None)


def forget_figures(area: str) -> None:
    """Drop the area's cached figures: now, and again once the change is committed, in case
    another request cached figures read before the commit in between."""
    _new_generation(area)
    transaction.on_commit(lambda: _new_generation(area))


def cached_figures(area: str, name: str, compute, *key_parts):
    """What `compute()` returns, from the cache while the area's data has not changed since."""
    key = ":".join(["figures", area, _generation(area), name, *(str(p) for p in key_parts)])
    figures = cache.get(key)
    if figures is None:
        figures = compute()
        cache.set(key, figures, CACHE_SECONDS)
    return figures
