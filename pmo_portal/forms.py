from crispy_forms.helper import FormHelper
from django import forms

from .models import UserSettings


class UserChoiceField(forms.ModelChoiceField):
    """A choice of user, shown by full name."""

    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class UserSettingsForm(forms.ModelForm):
    class Meta:
        model = UserSettings
        fields = ["language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
