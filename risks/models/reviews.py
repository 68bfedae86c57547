"""The record of review digests sent, so that each owner gets one per period."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DigestRun(models.Model):
    """One owner's digest of overdue reviews and actions for one period (a day).

    The row is created once (the unique constraint) and claimed by a conditional UPDATE before
    the e-mail is sent, so two workers, or beat firing twice, never send it twice.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="risk_digests",
    )
    period = models.DateField(_("period"))
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reviews = models.PositiveIntegerField(_("overdue reviews"), default=0)
    actions = models.PositiveIntegerField(_("overdue actions"), default=0)

    class Meta:
        ordering = ["-period", "owner"]
        verbose_name = _("review digest")
        verbose_name_plural = _("review digests")
        constraints = [
            models.UniqueConstraint(fields=["owner", "period"], name="digest_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} {self.period}"
