"""One exception hierarchy for the application (style habit 9).

Every error a user can cause carries a Japanese message and, where it is about
one input, the field. ``cityhall.core.http`` maps them to HTTP responses and
form errors in one place.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from cityhall.core.text import text_problem
from cityhall.core.validation import full_clean


class ApplicationError(Exception):
    """An error the user can act on; ``message`` is shown as is."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, extra: dict[str, object] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}


class ValidationFailed(ApplicationError):
    """Input does not satisfy a rule (入力エラー)."""


class PermissionDenied(ApplicationError):
    """The actor may not do this. Also used for "not found" so both look alike."""

    status_code = 404


class Conflict(ApplicationError):
    """The object changed since the actor saw it, or someone else acted first."""

    status_code = 409


ONE_LINE_FIELDS = frozenset({"title", "name", "code", "sender", "sender_number", "addressee", "kana", "holder_name"})
"""Text fields that are names or titles: one line, so line breaks are refused too."""


def clean(obj: models.Model, exclude: list[str] | None = None) -> None:
    """Model validation (fields, text and constraints) as one ``ValidationFailed`` naming the first bad field.

    Besides ``full_clean`` (lengths, choices, constraints), every text field is checked for
    characters no stored text may hold (``cityhall.core.text``), and names and titles
    (``ONE_LINE_FIELDS``) also for line breaks, so each service that cleans its rows refuses them.
    """
    _check_text_fields(obj, set(exclude or ()))
    try:
        full_clean(obj, exclude=exclude)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            field, messages = next(iter(exc.message_dict.items()))
            raise ValidationFailed(messages[0], field=None if field == "__all__" else field) from exc
        raise ValidationFailed(exc.messages[0]) from exc


def check_line(value: str, *, field: str, label: str, max_length: int | None = None) -> str:
    """``value`` if it is a valid one-line text (name, title, code), else ``ValidationFailed`` naming ``field``."""
    problem = text_problem(value, label=label, max_length=max_length)
    if problem:
        raise ValidationFailed(problem, field=field)
    return value


def check_text(value: str, *, field: str, label: str, max_length: int | None = None) -> str:
    """``value`` if it is a valid multi-line text (comment, reason), else ``ValidationFailed`` naming ``field``."""
    problem = text_problem(value, label=label, max_length=max_length, multiline=True)
    if problem:
        raise ValidationFailed(problem, field=field)
    return value


def _check_text_fields(obj: models.Model, exclude: set[str]) -> None:
    for field in obj._meta.concrete_fields:
        if field.name in exclude or not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(obj, field.attname)
        if not isinstance(value, str):
            continue
        label = str(field.verbose_name)
        if field.name in ONE_LINE_FIELDS and isinstance(field, models.CharField):
            check_line(value, field=field.name, label=label, max_length=field.max_length)
        else:
            check_text(value, field=field.name, label=label, max_length=field.max_length)
