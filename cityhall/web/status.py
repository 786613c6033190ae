"""System status for IT (システム状況): the background queue, so stalled work is seen (情報政策 only)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.core.background import STALLED_AFTER, queue_state
from cityhall.org.models import Role
from cityhall.org.selectors import has_role


def is_it_staff(user: Any) -> bool:
    """Whether the user runs the system: the 情報政策 role, or a staff account of the admin site."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff) or has_role(user, Role.IT_ADMIN, on=timezone.localdate())


@login_required
def status_page(request: HttpRequest) -> HttpResponse:
    """What waits in the background queue, since when, what runs and what failed in the last 24 hours."""
    if not is_it_staff(request.user):
        raise Http404(_("ページが見つかりません。"))
    state = queue_state()
    context = {"state": state, "stalled": state.stalled(), "stalled_minutes": int(STALLED_AFTER.total_seconds() // 60)}
    return render(request, "web/status.html", context)
