"""Not found (404) under /api/: a JSON answer, as every other API error is (``cityhall.api``).

Django answers a URL that matches no route (``/api/documents/abc``, an id that is not a number) with
the 404 page; an API client reads no HTML, and drawing the page's shell (header, menu, inbox count)
for it costs queries. Every other path keeps the page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found

from cityhall.core.limits import API_PREFIX

NOT_FOUND = "指定された URL の操作はありません。URL を確認してください。"


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """JSON ``{"detail", "field"}`` for the API's paths, the 404 page for the rest."""
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": NOT_FOUND, "field": None}, status=404)
    return page_not_found(request, exception)
