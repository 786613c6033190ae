"""Budget movements (流用・予備費充用・繰越): the finance staff's drafting screens.

流用・予備費充用・繰越 are typed documents: the screens draft them and hand over
to the document's own page, where 回議 starts. Only holders of the 会計 role see
these pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.core.errors import ApplicationError
from cityhall.core.forms import claim, new_form_token, remember, with_fresh_token
from cityhall.core.http import apply_error
from cityhall.core.japanese import fiscal_year
from cityhall.core.numbers import optional_id
from cityhall.documents.models import DECIDED_STATUSES
from cityhall.finance import services
from cityhall.finance.forms.movements import CarryOverForm, MovementForm, ReserveUseForm
from cityhall.finance.models import (
    BudgetLine,
    BudgetTransfer,
    Encumbrance,
)
from cityhall.finance.selectors.budget import lines_for
from cityhall.finance.selectors.encumbrances import encumbrances_for
from cityhall.finance.views._common import finance_staff_of


def _year_lines(user: User, years: list[int]) -> QuerySet[BudgetLine]:
    return lines_for(user).filter(fiscal_year__in=years).order_by("-fiscal_year", "account__sort_order", "pk")


def _initial(request: HttpRequest) -> dict[str, Any]:
    source = request.GET.get("source", "")
    initial: dict[str, Any] = {"form_token": new_form_token()}
    if (source_id := optional_id(source)) is not None:
        initial["source"] = source_id
    return initial


def _drafted(request: HttpRequest, form: Any, transfer: BudgetTransfer) -> HttpResponse:
    remember(form, transfer.document_id)
    messages.success(
        request,
        _("%(kind)sを起案しました（%(number)s）。回議を開始してください。")
        % {"kind": transfer.get_kind_display(), "number": transfer.document.number_label},
    )
    return redirect("documents:detail", pk=transfer.document_id)


def _draft(request: HttpRequest, form: Any, template: str, make: Any) -> HttpResponse:
    """The common flow of a movement draft: check, claim the token once, call the service, go to the document."""
    if not form.is_valid():
        return render(request, template, {"form": with_fresh_token(form)}, status=400)
    first, done = claim(form)
    if not first:
        messages.warning(request, _("この起案は既に送信されています。二重に登録していません。"))
        return redirect("documents:detail", pk=done) if done else redirect("finance:budget")
    try:
        transfer = make(form)
    except ApplicationError as exc:
        apply_error(form, exc)
        return render(request, template, {"form": with_fresh_token(form)}, status=exc.status_code)
    return _drafted(request, form, transfer)


@login_required
def transfer_new(request: HttpRequest) -> HttpResponse:
    """Draft a budget transfer (流用の起案) between 目・節 of one 項, then open the document."""
    user = finance_staff_of(request)
    lines = _year_lines(user, [fiscal_year(timezone.localdate())]).filter(setsu__isnull=False)
    template = "finance/movements/transfer_new.html"
    if request.method != "POST":
        form = MovementForm(initial=_initial(request), sources=lines, targets=lines)
        return render(request, template, {"form": form})
    form = MovementForm(request.POST, sources=lines, targets=lines)
    return _draft(request, form, template, lambda f: services.transfer_draft(actor=user, **f.service_fields()))


@login_required
def reserve_new(request: HttpRequest) -> HttpResponse:
    """Draft a reserve-fund use (予備費充用の起案) from the 予備費 line, then open the document."""
    user = finance_staff_of(request)
    lines = _year_lines(user, [fiscal_year(timezone.localdate())])
    sources, targets = lines.filter(setsu__isnull=True), lines.filter(setsu__isnull=False)
    template = "finance/movements/reserve_new.html"
    if request.method != "POST":
        form = ReserveUseForm(initial=_initial(request), sources=sources, targets=targets)
        return render(request, template, {"form": form})
    form = ReserveUseForm(request.POST, sources=sources, targets=targets)
    return _draft(request, form, template, lambda f: services.reserve_use_draft(actor=user, **f.service_fields()))


def _carried_encumbrances(user: User, years: list[int]) -> QuerySet[Encumbrance]:
    """Decided, live encumbrances of the years, which a 事故繰越 may carry (the service checks the remainder)."""
    return (
        encumbrances_for(user)
        .filter(fiscal_year__in=years, cancelled_at__isnull=True, document__status__in=DECIDED_STATUSES)
        .exclude(carried_to__isnull=False)
        .select_related("document")
        .order_by("-fiscal_year", "-pk")
    )


@login_required
def carry_new(request: HttpRequest) -> HttpResponse:
    """Draft a carry-over (繰越明許・事故繰越・逓次繰越の起案) into next year, then open the document.

    Last year's lines are offered too: a 繰越 is made up to the end of the closing period (31 May).
    """
    user = finance_staff_of(request)
    year = fiscal_year(timezone.localdate())
    sources = _year_lines(user, [year, year - 1]).filter(setsu__isnull=False)
    encumbrances = _carried_encumbrances(user, [year, year - 1])
    template = "finance/movements/carry_new.html"
    if request.method != "POST":
        form = CarryOverForm(initial=_initial(request), sources=sources, encumbrances=encumbrances)
        return render(request, template, {"form": form})
    form = CarryOverForm(request.POST, sources=sources, encumbrances=encumbrances)
    return _draft(request, form, template, lambda f: services.carry_over_draft(actor=user, **f.service_fields()))


urlpatterns: list[URLPattern] = [
    path("budget-admin/transfers/new/", transfer_new, name="movement_transfer_new"),
    path("budget-admin/reserve-uses/new/", reserve_new, name="movement_reserve_new"),
    path("budget-admin/carry-overs/new/", carry_new, name="movement_carry_new"),
]
