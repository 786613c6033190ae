"""Request bodies larger than the site accepts: 413 before anything reads them.

Django raises ``RequestDataTooBig`` only when something reads the body (the CSRF check, a form,
the API's JSON parser), and answers it like any suspicious request. Here the declared length is
compared with the limits first, so a clerk gets a plain Japanese page and an API client a JSON
error with status 413 (Content Too Large), and nothing reads or buffers the body:

- a form with files (``multipart/form-data``): the largest attachment
  (``CITYHALL_MAX_UPLOAD_BYTES``) plus the form's other fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``);
- any other body (JSON, form fields): ``DATA_UPLOAD_MAX_MEMORY_SIZE``.

A body without a declared length that grows past Django's limit while being read raises
``RequestDataTooBig`` inside a view; ``process_exception`` answers it the same way.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

from cityhall.core.numbers import ascii_integer

API_PREFIX = "/api/"


def body_limit(request: HttpRequest) -> int:
    """The largest body this request may carry, in bytes."""
    data = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data"):
        return int(settings.CITYHALL_MAX_UPLOAD_BYTES) + data
    return data


def too_large(request: HttpRequest) -> HttpResponse:
    """413 in JSON for the API, a plain Japanese page for the screens."""
    upload, data = (
        filesizeformat(settings.CITYHALL_MAX_UPLOAD_BYTES),
        filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
    )
    if request.path_info.startswith(API_PREFIX):
        detail = f"送信された内容が大きすぎます（入力内容は{data}まで、添付ファイルは{upload}まで）。"
        return JsonResponse({"detail": detail, "field": None}, status=413)
    return render(request, "413.html", {"upload_limit": upload, "data_limit": data}, status=413)


class RequestSizeLimitMiddleware:
    """Refuse a body above ``body_limit`` by its Content-Length, before it is read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = ascii_integer(request.META.get("CONTENT_LENGTH") or "0")
        if length is not None and length > body_limit(request):
            return too_large(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A body that grew past Django's limit while a view read it."""
        return too_large(request) if isinstance(exception, RequestDataTooBig) else None
