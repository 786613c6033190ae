"""``full_clean`` with each check constraint asked about its own fields only (モデルの検証).

Django validates a ``CheckConstraint`` with one query whose values are every field of the row: an
expression is built and resolved per field (forty for a document), nine times for a document's nine
constraints, and that was most of the cost of drafting one. ``full_clean`` here runs Django's
``full_clean`` without the constraints, then validates each constraint through Django's own
``constraint.validate``, as ``Model.validate_constraints`` does, with the fields a check constraint
does not name added to ``exclude``: the same query on the same values, the same verdict and message.
A constraint naming a field that failed or is excluded is skipped, as in Django. Models with a
``GeneratedField`` are validated by Django unchanged (its value is built from other fields).

A check constraint's verdict depends on the values of the fields it names and nothing else, so a
pass is remembered per (model, constraint, database, those values): a bulk import drafting hundreds
of documents with the same state, kind and flags asks the database once per combination, not nine
times per document. Only passes are kept (a failure is checked again and reported as Django does),
values that cannot be hashed are never kept, and the memory is bounded.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

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
                _validate(model, constraint, obj, skipped, using)
            except ValidationError as exc:
                fields: tuple[str, ...] = tuple(getattr(constraint, "fields", ()))
                if getattr(exc, "code", None) == "unique" and len(fields) == 1:
                    errors.setdefault(fields[0], []).append(exc)
                else:
                    errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


_NOT_NAMED: dict[tuple[type[models.Model], str], frozenset[str]] = {}
_NAMED: dict[tuple[type[models.Model], str], tuple[tuple[str, str], ...]] = {}
_PASSED: set[Hashable] = set()
_PASSED_MAX = 20_000


def _validate(
    model: type[models.Model], constraint: models.BaseConstraint, obj: models.Model, skipped: set[str], using: str
) -> None:
    """``constraint.validate`` on the fields it names; a check constraint's pass is remembered by their values."""
    exclude = skipped | _not_named(model, constraint)
    key = _verdict_key(model, constraint, obj, skipped, using)
    if key is not None and key in _PASSED:
        return
    constraint.validate(model, obj, exclude=exclude, using=using)
    if key is not None:
        if len(_PASSED) >= _PASSED_MAX:
            _PASSED.clear()
        _PASSED.add(key)


def _verdict_key(
    model: type[models.Model], constraint: models.BaseConstraint, obj: models.Model, skipped: set[str], using: str
) -> Hashable | None:
    """What a check constraint's verdict depends on, or None (not a check constraint, a field skipped, unhashable)."""
    if not isinstance(constraint, models.CheckConstraint):
        return None
    fields = _named(model, constraint)
    if any(name in skipped or attname in skipped for name, attname in fields):
        return None
    key = (model, constraint.name, using, tuple(getattr(obj, attname) for _, attname in fields))
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _named(model: type[models.Model], constraint: models.CheckConstraint) -> tuple[tuple[str, str], ...]:
    """(name, attname) of the fields a check constraint's condition names (by name or attname)."""
    key = (model, constraint.name)
    found = _NAMED.get(key)
    if found is None:
        named = models.Q(constraint.condition).referenced_base_fields
        fields = model._meta.local_concrete_fields
        found = _NAMED[key] = tuple((f.name, f.attname) for f in fields if f.name in named or f.attname in named)
    return found


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
