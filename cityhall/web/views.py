"""Views of the application shell (画面共通部分): the home page as the day's work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cityhall.web import home as content


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in official's home page (ホーム): what waits for them, their drafts, notices, shortcuts."""
    user = request.user
    context = {
        "today": timezone.localdate(),
        "panels": content.panels(user),
        "modules": content.module_cards(user),
        "upcoming": content.UPCOMING,
    }
    return render(request, "web/home.html", context)
