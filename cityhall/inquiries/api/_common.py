"""What every inquiries endpoint shares: the caller's scope and the documented error answers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cityhall.accounts.requests import user_of
from cityhall.core.http import ERRORS as CORE_ERRORS
from cityhall.core.http import ApiError
from cityhall.inquiries.access import Scope, scope_of

ERRORS: dict[int, Any] = {**CORE_ERRORS, 403: ApiError, 422: ApiError}
"""Besides the usual: 403 from outside the office (庁外), 422 for input the schema refuses."""


def scope(request: HttpRequest) -> Scope:
    """The caller's scope (徴税, their sections, in the office), or the error that refuses them."""
    return scope_of(user_of(request))
