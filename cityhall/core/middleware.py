"""Attach the office/remote classification to every request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from cityhall.core.context import reset_access, set_access
from cityhall.core.network import classify


class AccessContextMiddleware:
    """Sets ``request.access`` and the context read by the audit trail."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        access = classify(request)
        request.access = access  # type: ignore[attr-defined]
        token = set_access(access)
        try:
            return self.get_response(request)
        finally:
            reset_access(token)
