"""歳計外現金 (源泉所得税) screens: the ledger by month, one month, the payment to the tax office, 支払調書.

The 会計管理者 pays; the accounting office (会計) reads. For anyone else the pages answer 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError
from cityhall.core.japanese.display import shown_date
from cityhall.finance.excel import XLSX_CONTENT_TYPE
from cityhall.finance.forms.withholding import RemitForm
from cityhall.finance.selectors.budget import is_treasurer
from cityhall.finance.selectors.withholding import (
    ledger_months,
    may_see_withholding,
    month_by_creditor,
    month_entries,
)
from cityhall.finance.services.withholding import due_date, withholding_remit, withholding_statements
from cityhall.finance.views._common import treasurer_of
from cityhall.finance.withholding_excel import statements_disposition
from cityhall.finance.withholding_tax import kinds, withholding_basis


def _reader(request: HttpRequest) -> User:
    user = user_of(request)
    if not may_see_withholding(user):
        raise Http404(_("ページが見つかりません。"))
    return user


def _ledger_context(user: User, form: RemitForm | None = None) -> dict[str, Any]:
    months = ledger_months(user)
    today = timezone.localdate()
    return {
        "months": months,
        "balance": sum(row.balance for row in months),
        "can_act": is_treasurer(user),
        "form": form or RemitForm(),
        "kinds": kinds().values(),
        "basis_included": withholding_basis() == "included",
        "year": today.year,
        "years": range(today.year, today.year - 6, -1),
    }


@login_required
def withholding_ledger(request: HttpRequest) -> HttpResponse:
    """The 歳計外現金 (源泉所得税) ledger by month with balances, payments and the 支払調書 download."""
    user = _reader(request)
    return render(request, "finance/withholding/ledger.html", _ledger_context(user))


@login_required
def withholding_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """One month: each receipt and payment, and the totals per payee (債権者別)."""
    user = _reader(request)
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404(_("ページが見つかりません。"))
    first = dt.date(year, month, 1)
    context = {
        "month": first,
        "entries": month_entries(user, first),
        "by_creditor": month_by_creditor(user, first),
        "due_date": due_date(first),
    }
    return render(request, "finance/withholding/month.html", context)


@login_required
@require_POST
def withholding_remit_view(request: HttpRequest) -> HttpResponse:
    """Make the month's payment to the tax office (納付を作成), due on the 10th of the next month."""
    user = treasurer_of(request)
    form = RemitForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            made = withholding_remit(actor=user, month=form.cleaned_data["month"])
        except ApplicationError as exc:
            form.add_error("month", exc.message)
            status = exc.status_code
        else:
            messages.success(
                request,
                _("%(month)s年%(m)s月分の源泉所得税の納付を作成しました（%(amount)s円、納期限 %(due)s）。")
                % {
                    "month": made.month.year,
                    "m": made.month.month,
                    "amount": f"{made.amount:,}",
                    "due": shown_date(made.due_date),
                },
            )
            return redirect("finance:withholding")
    return render(request, "finance/withholding/ledger.html", _ledger_context(user, form), status=status)


@login_required
def withholding_statements_view(request: HttpRequest) -> HttpResponse:
    """The year's 支払調書 list as Excel (所得税法第225条)."""
    user = _reader(request)
    text = request.GET.get("year", "")
    year = int(text) if text.isascii() and text.isdigit() and len(text) == 4 else None
    if year is None:
        messages.error(request, _("年（西暦4桁）を選んでください。"))
        return redirect("finance:withholding")
    try:
        content = withholding_statements(actor=user, year=year)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("finance:withholding")
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = statements_disposition(year)
    return response


urlpatterns: list[URLPattern] = [
    path("withholding/", withholding_ledger, name="withholding"),
    path("withholding/<int:year>/<int:month>/", withholding_month, name="withholding_month"),
    path("withholding/remit/", withholding_remit_view, name="withholding_remit"),
    path("withholding/statements/", withholding_statements_view, name="withholding_statements"),
]
