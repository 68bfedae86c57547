"""Lessons learned: record them, keep their words searchable, find and suggest them.

On PostgreSQL the search is full text: each lesson's `search_vector` (English stemming, title
weighted first, then tags, then the text) behind a GIN index, queried as a web search ("delay
-vendor", "\"data migration\""), best match first. Chinese has no spaces between words for the
parser to split on, so a query in Chinese, and every query on SQLite, looks for each word of
the query anywhere in the title, tags or text instead.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError
from projects.models import Project

from ..models import Lesson, RiskCategory
from .config import related_categories

SEARCH_CONFIG = "english"
SUGGESTIONS = 5
CJK = re.compile(r"[\u3400-\u9fff]")


def _vector():
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("tags", weight="B", config=SEARCH_CONFIG)
        + SearchVector("what_happened", "recommendation", weight="C", config=SEARCH_CONFIG)
    )


def full_text_available() -> bool:
    return connection.vendor == "postgresql"


def refresh_search_vectors(lessons: QuerySet | None = None) -> None:
    """Work out the lessons' search vectors again, in one UPDATE (nothing to do on SQLite)."""
    if full_text_available():
        (lessons if lessons is not None else Lesson.objects.all()).update(search_vector=_vector())


@transaction.atomic
def lesson_save(
    *, by, lesson: Lesson | None = None, project: Project | None = None,
    version: int | None = None, **fields,
) -> Lesson:  # fmt: skip
    """Record a lesson (or change one): the PMO for any project, a manager for theirs."""
    if lesson is None:
        permissions.ensure(permissions.can_record_lessons(by, project))
        lesson = Lesson(project=project, recorded_by=by)
    else:
        lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
        permissions.ensure(permissions.can_change_lesson(by, lesson))
        if version is not None and lesson.version != version:
            raise StaleVersionError(
                _("Someone else changed this lesson since you opened it. Nothing was saved.")
            )
        lesson.version += 1
    for name, value in fields.items():
        setattr(lesson, name, value)
    lesson._history_user = by
    lesson.full_clean()
    lesson.save()
    refresh_search_vectors(Lesson.objects.filter(pk=lesson.pk))
    return lesson


def search_lessons(queryset: QuerySet, text: str) -> QuerySet:
    """The lessons of `queryset` that match `text`, best first on PostgreSQL."""
    text = text.strip()
    if not text:
        return queryset
    if full_text_available() and not CJK.search(text):
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        return (
            queryset.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-created_at", "-pk")
        )
    for word in text.split():
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(tags__icontains=word)
            | Q(what_happened__icontains=word)
            | Q(recommendation__icontains=word)
        )
    return queryset


def suggested_lessons(category: RiskCategory | None, text: str = "") -> list[Lesson]:
    """Lessons to read before logging a risk in `category`: that category's (and its sub- and
    parent categories'), those matching the title first when one is typed."""
    if category is None:
        return []
    lessons = Lesson.objects.filter(related_categories(category)).select_related("project")
    if text.strip():
        matching = list(search_lessons(lessons, text)[:SUGGESTIONS])
        if matching:
            return matching
    return list(lessons.order_by("-created_at", "-pk")[:SUGGESTIONS])
