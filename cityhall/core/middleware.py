"""Attach the office/remote classification to every request; keep signed-in responses out of caches."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

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


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in user, every API response and download.

    Written here because Django has no setting for it (``never_cache`` is per view) and no
    well-kept library covers "every signed-in response": one cached page or JSON body could
    show a document to the next person at a shared or public computer. Uses Django's own
    ``add_never_cache_headers``; placed after the authentication middleware so it sees the user.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        download = response.get("Content-Disposition", "").startswith("attachment")
        if signed_in or download or request.path_info.startswith("/api/"):
            add_never_cache_headers(response)
        return response
