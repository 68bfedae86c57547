"""Writing and removing demo rows by the ten thousand."""

from collections.abc import Callable

from django.db import models

BATCH_SIZE = 5000


def row_maker(model: type[models.Model], *names: str) -> Callable[..., models.Model]:
    """A constructor of unsaved `model` rows from the values of the fields `names` (attnames,
    in that order); the other fields get their defaults.

    Django builds a model from positional values of all its fields several times quicker than
    from keywords, which look each field up and work out its default: seconds saved over the
    few hundred thousand rows of the large demo.
    """
    fields = model._meta.concrete_fields
    attnames = [field.attname for field in fields]
    unknown = set(names) - set(attnames)
    if unknown:
        raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
    defaults = [None if field.primary_key else field.get_default() for field in fields]
    slots = [attnames.index(name) for name in names]

    def make(*values) -> models.Model:
        row = defaults.copy()
        for slot, value in zip(slots, values, strict=True):
            row[slot] = value
        return model(*row)

    return make


def delete_all(*models_in_order: type[models.Model]) -> None:
    """Empty the tables of the models, in the order given, one DELETE each.

    `QuerySet.delete()` would fetch every row first, to send the `post_delete` signal that
    django-simple-history listens to (and ignores while the demo flushes): over 5 s for the
    large demo's resources and budgets on PostgreSQL, against 0.1 s this way. Nothing else
    listens to these models, and the order given removes rows before the rows they point to.
    """
    for model in models_in_order:
        queryset = model._base_manager.all()
        queryset._raw_delete(queryset.db)
