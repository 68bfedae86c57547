"""Who must sign in with a second step (a code from an authenticator app) besides the password."""

from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmo_portal.roles import Role


class SignInPolicy(models.Model):
    """The portal's sign-in policy, one row: nobody, everyone, or the holders of chosen roles
    must confirm their sign-in with a code. Django admin asks every staff user for the code
    whatever this says."""

    class Scope(models.TextChoices):
        NOBODY = "nobody", _("Nobody: two-step sign-in is optional")
        EVERYONE = "everyone", _("Everyone")
        ROLES = "roles", _("Holders of the chosen roles")

    scope = models.CharField(
        _("two-step sign-in required for"),
        max_length=10,
        choices=Scope.choices,
        default=Scope.NOBODY,
    )
    roles = models.ManyToManyField(
        Group,
        verbose_name=_("roles"),
        blank=True,
        limit_choices_to={"name__in": Role.values},
        related_name="+",
        help_text=_("Used when the policy is for holders of the chosen roles."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[roles])

    class Meta:
        verbose_name = _("sign-in policy")
        verbose_name_plural = _("sign-in policy")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="sign_in_policy_single_row")]

    def __str__(self) -> str:
        return str(self.get_scope_display())

    @classmethod
    def current(cls) -> "SignInPolicy":
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy
