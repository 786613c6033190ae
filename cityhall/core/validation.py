"""``full_clean`` with each check constraint asked about its own fields only (モデルの検証).

Django validates a ``CheckConstraint`` with one query whose values are every field of the row: an
expression is built and resolved per field (forty for a document), nine times for a document's nine
constraints, and that was most of the cost of drafting one. ``full_clean`` here runs Django's
``full_clean`` without the constraints, then validates each constraint through Django's own
``constraint.validate``, as ``Model.validate_constraints`` does, with the fields a check constraint
does not name added to ``exclude``: the same query on the same values, the same verdict and message.
A constraint naming a field that failed or is excluded is skipped, as in Django. Models with a
``GeneratedField`` are validated by Django unchanged (its value is built from other fields).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router


def full_clean(obj: models.Model, exclude: Iterable[str] | None = None) -> None:
    """``obj.full_clean(exclude=exclude)``: the same errors, constraints checked on their own fields."""
    skipped = set(exclude or ())
    if any(f.generated for f in obj._meta.concrete_fields):
        obj.full_clean(exclude=skipped)
        return
    errors: dict[str, list[ValidationError]] = {}
    try:
        obj.full_clean(exclude=skipped, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    # As Django: constraints only for the fields that passed validation.
    skipped |= {name for name in errors if name != NON_FIELD_ERRORS}
    using = router.db_for_write(type(obj), instance=obj)
    for model, constraints in obj.get_constraints():
        for constraint in constraints:
            try:
                constraint.validate(model, obj, exclude=skipped | _not_named(model, constraint), using=using)
            except ValidationError as exc:
                fields: tuple[str, ...] = tuple(getattr(constraint, "fields", ()))
                if getattr(exc, "code", None) == "unique" and len(fields) == 1:
                    errors.setdefault(fields[0], []).append(exc)
                else:
                    errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


_NOT_NAMED: dict[tuple[type[models.Model], str], frozenset[str]] = {}


def _not_named(model: type[models.Model], constraint: models.BaseConstraint) -> frozenset[str]:
    """The fields a check constraint's condition does not name (by name or attname); none for others."""
    if not isinstance(constraint, models.CheckConstraint):
        return frozenset()
    key = (model, constraint.name)
    found = _NOT_NAMED.get(key)
    if found is None:
        named = models.Q(constraint.condition).referenced_base_fields
        fields = model._meta.local_concrete_fields
        found = _NOT_NAMED[key] = frozenset(f.name for f in fields if f.name not in named and f.attname not in named)
    return found
