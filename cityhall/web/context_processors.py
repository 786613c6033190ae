"""Placeholder: replaced by the application shell work."""

from typing import Any

from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    return {"access": getattr(request, "access", None)}
