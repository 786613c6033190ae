"""One exception hierarchy for the application (style habit 9).

Every error a user can cause carries a Japanese message and, where it is about
one input, the field. ``cityhall.core.http`` maps them to HTTP responses and
form errors in one place.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


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


def clean(obj: models.Model, exclude: list[str] | None = None) -> None:
    """Model validation (fields and constraints) as one ``ValidationFailed`` naming the first bad field."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            field, messages = next(iter(exc.message_dict.items()))
            raise ValidationFailed(messages[0], field=None if field == "__all__" else field) from exc
        raise ValidationFailed(exc.messages[0]) from exc
