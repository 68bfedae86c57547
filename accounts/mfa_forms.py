"""Forms of two-step sign-in: a code, and the sign-in policy."""

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from pmo_portal.roles import Role

from .models import SignInPolicy


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


class AppCodeForm(forms.Form):
    """The 6-digit code an authenticator app shows, to confirm the app is set up."""

    code = forms.CharField(
        label=_("Code from your app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class SecondStepForm(forms.Form):
    """A code from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label=_("Code from your app, or a recovery code"),
        max_length=20,
        help_text=_("A recovery code works only once."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class RoleChoiceField(forms.ModelMultipleChoiceField):
    """Role groups, shown by their translated names."""

    def label_from_instance(self, obj):
        return str(dict(Role.choices).get(obj.name, obj.name))


class SignInPolicyForm(forms.Form):
    """Who must sign in with a second step. The form carries the version it was loaded at."""

    scope = forms.ChoiceField(
        label=_("Two-step sign-in required for"),
        choices=SignInPolicy.Scope.choices,
        widget=forms.RadioSelect,
    )
    roles = RoleChoiceField(
        label=_("Roles"),
        queryset=Group.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Used when the policy is for holders of the chosen roles."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, policy: SignInPolicy, **kwargs):
        kwargs.setdefault(
            "initial",
            {"scope": policy.scope, "roles": list(policy.roles.all()), "version": policy.version},
        )
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = Group.objects.filter(name__in=Role.values).order_by("name")
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == SignInPolicy.Scope.ROLES and not cleaned.get("roles"):
            self.add_error("roles", _("Choose at least one role, or another option."))
        return cleaned
