"""The telework request screens (テレワークの申請・勤務場所の予定): thin views over the selectors and services."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError, PermissionDenied
from cityhall.core.http import apply_error
from cityhall.core.numbers import optional_id
from cityhall.telework import services
from cityhall.telework.forms.requests import RequestForm
from cityhall.telework.selectors import requests as selectors


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """The official's own requests and the form of a new one (POST drafts it, then opens its document)."""
    user = user_of(request)
    form = RequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                made = services.request_draft(actor=user, data=form.request_input())
            except ApplicationError as exc:
                apply_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("申請を作成しました。内容を確認して回議に回してください。"))
                return redirect("documents:detail", made.document_id)
    rows = list(selectors.requests_for(user, mine=True)[:50])
    return render(request, "telework/requests/list.html", {"form": form, "rows": rows}, status=status)


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: its days, tasks, reachable hours and state, with the link to its document; its drafter
    corrects it here while it is 起案中 or 差戻し (POST)."""
    user = user_of(request)
    try:
        found = selectors.request_for(user, pk)
    except PermissionDenied as exc:
        raise Http404(_("ページが見つかりません。")) from exc
    editable = selectors.editable_by(found, user)
    if request.method == "POST" and not editable:
        raise Http404(_("ページが見つかりません。"))
    form = RequestForm(request.POST if request.method == "POST" else None, initial=RequestForm.initial_of(found))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.request_update(actor=user, request_id=pk, data=form.request_input())
            except ApplicationError as exc:
                apply_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("申請を修正しました。文書の画面から回議に回してください。"))
                return redirect("telework:request", pk=pk)
    context = {"row": found, "form": form if editable else None}
    return render(request, "telework/requests/detail.html", context, status=status)


def _start(value: str | None, month: bool) -> dt.date:
    today = timezone.localdate()
    try:
        day = dt.date.fromisoformat(value) if value else today
    except ValueError:
        day = today
    return day.replace(day=1) if month else selectors.week_start(day)


def _length(start: dt.date, month: bool) -> int:
    if not month:
        return 7
    following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (following - start).days


@login_required
def calendar_view(request: HttpRequest) -> HttpResponse:
    """Who works where in a 課 for a week (or a month): own 課, every 課 for the 情報政策 role."""
    month = request.GET.get("view") == "month"
    start = _start(request.GET.get("start"), month)
    section = optional_id(request.GET.get("section"))
    try:
        shown = selectors.calendar(user_of(request), section_id=section, start=start, length=_length(start, month))
    except PermissionDenied as exc:
        if section is not None:
            raise Http404(_("ページが見つかりません。")) from exc
        return render(request, "telework/requests/calendar.html", {"calendar": None})
    step = dt.timedelta(days=_length(start, month) if month else 7)
    context = {
        "calendar": shown,
        "month": month,
        "previous": (start - dt.timedelta(days=1)).replace(day=1) if month else start - step,
        "next": start + step,
    }
    return render(request, "telework/requests/calendar.html", context)
