"""The お知らせ page: the user's latest notifications, marked read one by one or all at once."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.core.numbers import optional_ids
from cityhall.notifications import selectors, services


def _context(user: User) -> dict[str, object]:
    return {"notifications": list(selectors.recent(user)), "unread": selectors.unread_count(user)}


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications (お知らせ一覧), newest first."""
    assert isinstance(request.user, User)
    return render(request, "notifications/list.html", _context(request.user))


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark the posted ids (or ``all``) read (既読にする); htmx gets the list back, others a redirect."""
    assert isinstance(request.user, User)
    ids = None if request.POST.get("all") else optional_ids(request.POST.getlist("id"))
    services.mark_read(actor=request.user, ids=ids)
    if request.headers.get("HX-Request"):
        return render(request, "notifications/_list.html", _context(request.user))
    return redirect("notifications:list")
