"""The site's URLs plus one view that fails, for the test that the 500 page is ours (no traceback)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from cityhall.urls import urlpatterns as site_urlpatterns


def failing_view(request: HttpRequest) -> HttpResponse:
    """Fail as an unforeseen bug would."""
    raise RuntimeError("a bug the user must not see")


urlpatterns = [path("__fail__/", failing_view), *site_urlpatterns]
