"""The audit room's screens (監査室): the filtered trail, its exports and the chain's state. Thin views."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.requests import user_of
from cityhall.auditroom import exports, services
from cityhall.auditroom.access import may_enter
from cityhall.auditroom.forms import AuditFilterForm
from cityhall.auditroom.selectors import EXPORT_LIMIT, entry_page, export_rows
from cityhall.core.audit.anchor import latest_anchor_path
from cityhall.core.audit.runs import last_verification


def _allowed(request: HttpRequest) -> None:
    if not may_enter(request.user):
        raise Http404(_("ページが見つかりません。"))


@login_required
def room(request: HttpRequest) -> HttpResponse:
    """The trail, filtered and paged; the chain's last verification; export and verify buttons."""
    _allowed(request)
    form = AuditFilterForm(request.GET)
    context: dict[str, Any] = {"form": form, "page": None, "last": last_verification(), "anchor": latest_anchor_path()}
    if not form.is_valid():
        return render(request, "auditroom/room.html", context, status=400)
    page = entry_page(user_of(request), form.filters(), page=form.page_number())
    services.trail_viewed(actor=user_of(request), filters=form.filters(), page=page.number, shown=len(page.rows))
    query = request.GET.copy()
    query.pop("page", None)
    context |= {
        "page": page,
        "query": query.urlencode(),
        "csv_limit": EXPORT_LIMIT["csv"],
        "xlsx_limit": EXPORT_LIMIT["xlsx"],
    }
    return render(request, "auditroom/room.html", context)


@login_required
def export(request: HttpRequest, file_format: str) -> HttpResponse:
    """The filtered trail as ``csv`` or ``xlsx`` (at most ``EXPORT_LIMIT`` rows, newest first)."""
    _allowed(request)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "auditroom/room.html", {"form": form, "page": None}, status=400)
    user = user_of(request)
    writer = exports.to_xlsx if file_format == "xlsx" else exports.to_csv
    content, count = writer(export_rows(user, form.filters(), limit=EXPORT_LIMIT[file_format]))
    services.trail_exported(actor=user, filters=form.filters(), file_format=file_format, rows=count)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    content_type = exports.XLSX_CONTENT_TYPE if file_format == "xlsx" else "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.{file_format}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    """Ask the worker to verify the chain; the page shows the result when it is recorded."""
    _allowed(request)
    services.verification_requested(actor=user_of(request))
    messages.success(request, _("監査ログの検証を開始しました。終わると「連鎖の状態」に結果が表示されます。"))
    return redirect("auditroom:room")
