"""One exception hierarchy for the application (style habit 9).

Every error a user can cause carries a Japanese message and, where it is about
one input, the field. ``cityhall.core.http`` maps them to HTTP responses and
form errors in one place.
"""

from __future__ import annotations


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
