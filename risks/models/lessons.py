"""Lessons learned: what a project found out, for the projects after it, searchable by full text."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Index
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class FullTextIndex(GinIndex):
    """A GIN index on PostgreSQL; elsewhere (SQLite, which has no GIN) a plain index, so the
    same migration runs on both."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        return Index.create_sql(self, model, schema_editor, using=using, **kwargs)


class LessonQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if user.has_perm("risks.view_lesson") else self.none()

    def for_list(self):
        return self.select_related("project", "phase", "category", "recorded_by")


class Lesson(models.Model):
    """What happened on a project and what the next project should do, captured at a gate
    review, at closure or whenever it is learnt.

    `search_vector` holds the lesson's words for PostgreSQL's full-text search (title first,
    then tags, then the text); the services refresh it on every save.
    """

    class Source(models.TextChoices):
        GATE_REVIEW = "gate_review", _("Gate review")
        CLOSURE = "closure", _("Project closure")
        RISK = "risk", _("Risk or issue")
        OTHER = "other", _("Other")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
    )
    phase = models.ForeignKey(
        "projects.ProjectPhase",
        verbose_name=_("phase"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.ForeignKey(
        "risks.RiskCategory",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lessons",
    )
    source = models.CharField(_("captured at"), max_length=20, choices=Source.choices,
                              default=Source.OTHER)  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    what_happened = models.TextField(_("what happened"))
    recommendation = models.TextField(_("recommendation"))
    tags = models.CharField(
        _("tags"),
        max_length=200,
        blank=True,
        help_text=_("Words to find it by, separated by commas."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["search_vector"])

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")
        indexes = [
            FullTextIndex(fields=["search_vector"], name="lesson_search"),
            models.Index(fields=["category", "-created_at"], name="lesson_category"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("risks:lesson_detail", args=[self.pk])

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]
