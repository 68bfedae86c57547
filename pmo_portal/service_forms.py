"""How pages show what a service refused: next to the field it names, and nothing saved."""

from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from .errors import StaleVersionError


def add_service_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names, the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ServiceFormMixin:
    """For create and edit views whose form_valid() saves through a service."""

    def save_with(self, form, save):
        """Run `save`; a refusal or a version conflict goes back to the form, and a saved
        record's page comes next."""
        try:
            saved = save()
        except StaleVersionError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return HttpResponseRedirect(saved.get_absolute_url())
