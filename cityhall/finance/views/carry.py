"""繰越明許費・継続費 and the 繰越計算書: the finance staff's screen, one page per account and year.

The page lists the 繰越明許費 and 継続費 entered from the council's budget, adds new ones, and
shows the three 繰越計算書 with their Excel and PDF downloads. Only holders of the 会計 role see it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, re_path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.core.errors import ApplicationError
from cityhall.core.http import apply_error
from cityhall.core.japanese import fiscal_year
from cityhall.core.numbers import optional_id
from cityhall.documents.models import DECIDED_STATUSES
from cityhall.finance import services
from cityhall.finance.excel import XLSX_CONTENT_TYPE
from cityhall.finance.forms.carry import AllowanceForm, ContinuingForm
from cityhall.finance.models import (
    Account,
    BudgetClassification,
    BudgetTransfer,
    BudgetVersion,
    CarryAllowance,
    ContinuingExpense,
    Level,
)
from cityhall.finance.selectors.budget import lines_for
from cityhall.finance.selectors.carry_statements import carry_statements
from cityhall.finance.views._common import finance_staff_of

TEMPLATE = "finance/movements/carry_plan.html"


def _scope(request: HttpRequest) -> tuple[Account, int]:
    """The account and year asked for (default: the first account, this year)."""
    accounts = Account.objects.order_by("sort_order", "pk")
    chosen = optional_id(request.GET.get("account", "")) or optional_id(request.POST.get("account", ""))
    account = (accounts.filter(pk=chosen).first() if chosen is not None else None) or accounts.first()
    if account is None:
        raise ApplicationError(_("会計が登録されていません。"))
    raw = request.GET.get("year") or request.POST.get("year") or ""
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2200 else fiscal_year(timezone.localdate())
    return account, year


def _forms(user: User, account: Account, year: int, data: Any = None, which: str = "") -> dict[str, Any]:
    versions = BudgetVersion.objects.filter(account=account, fiscal_year=year).select_related("account")
    kous = BudgetClassification.objects.filter(account=account, level=Level.KOU).order_by("sort_order", "code")
    lines = lines_for(user).filter(account=account, fiscal_year=year, setsu__isnull=False, budget_kind="current")
    return {
        "allowance_form": AllowanceForm(data if which == "allowance" else None, versions=versions, kous=kous),
        "continuing_form": ContinuingForm(data if which == "continuing" else None, versions=versions, lines=lines),
    }


def _page(request: HttpRequest, user: User, account: Account, year: int, **extra: Any) -> HttpResponse:
    carried = dict(
        BudgetTransfer.objects.filter(allowance__fiscal_year=year, document__status__in=DECIDED_STATUSES)
        .values_list("allowance")
        .annotate(total=Sum("amount"))
    )
    allowances = [
        (a, carried.get(a.pk, 0))
        for a in CarryAllowance.objects.filter(account=account, fiscal_year=year).select_related("kou", "version")
    ]
    context = {
        "account": account,
        "year": year,
        "accounts": Account.objects.order_by("sort_order", "pk"),
        "years": [year + 1, year, year - 1],
        "allowances": allowances,
        "continuing": ContinuingExpense.objects.filter(account=account, first_year__lte=year, last_year__gte=year)
        .select_related("moku", "setsu")
        .prefetch_related("installments"),
        "statements": carry_statements(account, year),
        **_forms(user, account, year),
        **extra,
    }
    return render(request, TEMPLATE, context, status=400 if extra else 200)


def _back(account: Account, year: int) -> HttpResponse:
    return redirect(f"{reverse('finance:carry_plan')}?account={account.pk}&year={year}")


@login_required
def carry_plan(request: HttpRequest) -> HttpResponse:
    """繰越明許費・継続費 of an account's year, and its 繰越計算書."""
    user = finance_staff_of(request)
    account, year = _scope(request)
    return _page(request, user, account, year)


@login_required
@require_POST
def allowance_new(request: HttpRequest) -> HttpResponse:
    """Enter a 繰越明許費 from the budget the council decided."""
    user = finance_staff_of(request)
    account, year = _scope(request)
    form = _forms(user, account, year, request.POST, "allowance")["allowance_form"]
    if form.is_valid():
        try:
            services.carry_allowance_create(actor=user, **form.cleaned_data)
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("繰越明許費を登録しました。"))
            return _back(account, year)
    return _page(request, user, account, year, allowance_form=form)


@login_required
@require_POST
def continuing_new(request: HttpRequest) -> HttpResponse:
    """Enter a 継続費 and its 年割額."""
    user = finance_staff_of(request)
    account, year = _scope(request)
    form = _forms(user, account, year, request.POST, "continuing")["continuing_form"]
    if form.is_valid():
        try:
            services.continuing_expense_create(
                actor=user,
                version=form.cleaned_data["version"],
                line=form.cleaned_data["line"],
                project=form.cleaned_data["project"],
                installments=form.installments(),
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("継続費を登録しました。"))
            return _back(account, year)
    return _page(request, user, account, year, continuing_form=form)


@login_required
def statements_file(request: HttpRequest, file_format: str) -> HttpResponse:
    """The 繰越計算書 as .xlsx or .pdf; each download is audited."""
    user = finance_staff_of(request)
    account, year = _scope(request)
    content, disposition = services.carry_statements_export(
        actor=user, account=account, fiscal_year=year, file_format=file_format
    )
    kind = "application/pdf" if file_format == "pdf" else XLSX_CONTENT_TYPE
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = disposition
    return response


urlpatterns: list[URLPattern] = [
    path("budget-admin/carry/", carry_plan, name="carry_plan"),
    path("budget-admin/carry/allowances/", allowance_new, name="carry_allowance_new"),
    path("budget-admin/carry/continuing/", continuing_new, name="carry_continuing_new"),
    # Only the two formats exist; any other extension is a page that does not exist (404).
    re_path(
        r"^budget-admin/carry/statements\.(?P<file_format>xlsx|pdf)$", statements_file, name="carry_statements_file"
    ),
]
