"""Placeholder: replaced by the sign-in work."""

from typing import Any

from django.http import HttpRequest, HttpResponse


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("アカウントがロックされました。", status=403)
