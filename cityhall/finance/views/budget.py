"""Budget screens for finance staff (予算管理): lines, allotments, versions and 節.

Only holders of the 会計 role see these pages; for anyone else they do not exist
(404). The movements between lines (流用・予備費充用・繰越) are drafted from the
same menu, in ``movements``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.core.errors import ApplicationError
from cityhall.core.forms import claim, new_form_token, with_fresh_token
from cityhall.core.http import apply_error
from cityhall.core.japanese import fiscal_year
from cityhall.core.numbers import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN, ascii_integer, optional_id
from cityhall.finance import balance, services
from cityhall.finance.forms.budget import (
    MAX_VERSION_ROWS,
    AllotmentForm,
    LineCreateForm,
    LineFilterForm,
    VersionForm,
    VersionRows,
)
from cityhall.finance.models import (
    Account,
    BudgetLine,
    BudgetTransfer,
    BudgetVersion,
    Level,
    heading_code,
)
from cityhall.finance.selectors.budget import lines_for, standard_setsu
from cityhall.finance.views._common import finance_staff_of

PAGE_SIZE = 50


ROWS_PREFIX = "rows"


@dataclass(frozen=True)
class LineRow:
    """A line with its figures (予算現額・配当済額・未配当額)."""

    line: BudgetLine
    budget: int
    allotted: int

    @property
    def unallotted(self) -> int:
        """未配当額: what finance staff may still allot, transfer or carry."""
        return self.budget - self.allotted


def line_row(line: BudgetLine) -> LineRow:
    """The figures of one line, with the same grouped reader as the list (``balance.line_figures_for``)."""
    return line_rows([line])[0]


def line_rows(lines: Sequence[BudgetLine]) -> list[LineRow]:
    """The figures of a page of lines in a few grouped queries (``balance.line_figures_for``), none per line."""
    figures = balance.line_figures_for(lines, allotments=False)
    return [LineRow(line, figures[line.pk].budget, figures[line.pk].allotted) for line in lines]


def fetch_line(user: User, pk: int) -> BudgetLine:
    """A budget line of the 会計 staff's view; 404 alike for missing and forbidden."""
    found = lines_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("予算明細が見つかりません。"))
    return found


@login_required
def line_list(request: HttpRequest) -> HttpResponse:
    """The lines of a year and account with 予算現額・配当済・未配当 (予算管理), filtered by 款."""
    user = finance_staff_of(request)
    data = request.GET.copy()
    data.setdefault("fiscal_year", str(fiscal_year(timezone.localdate())))
    form = LineFilterForm(data, on=timezone.localdate())
    if not form.is_valid():
        return render(request, "finance/budget/lines.html", {"form": form}, status=400)
    rows = form.apply(lines_for(user).select_related("saisetsu", "moku__parent__parent"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = data.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": line_rows(list(page.object_list)),
        "query": query.urlencode(),
        "fiscal_year": form.cleaned_data["fiscal_year"],
        "account": form.cleaned_data.get("account"),
    }
    return render(request, "finance/budget/lines.html", context)


def line_context(line: BudgetLine, **extra: Any) -> dict[str, Any]:
    """A line's page: figures, its allotments, movements in and out, and the allotment form."""
    movements = BudgetTransfer.objects.filter(Q(source=line) | Q(target=line))
    figures = balance.line_figures_for([line])[line.pk]
    context: dict[str, Any] = {
        "row": LineRow(line, figures.budget, figures.allotted),
        "line": line,
        "allotments": [
            {"allotment": a.allotment, "encumbered": a.encumbered, "available": a.available} for a in figures.allotments
        ],
        "movements": movements.select_related("document", "source", "target").order_by("-pk"),
        "allot_form": AllotmentForm(),
    }
    context.update(extra)
    return context


@login_required
def line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One line with its allotments (配当) and the form to set one."""
    line = fetch_line(finance_staff_of(request), pk)
    return render(request, "finance/budget/line.html", line_context(line))


@login_required
@require_POST
def line_allot(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the allotment of the line to a section (配当の設定); the service's hard stop is shown at the field."""
    user = finance_staff_of(request)
    line = fetch_line(user, pk)
    form = AllotmentForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            allotment = services.allotment_set(
                actor=user, line=line, section=form.cleaned_data["section"], amount=form.cleaned_data["amount"]
            )
        except ApplicationError as exc:
            apply_error(form, exc)
            status = exc.status_code
        else:
            messages.success(
                request,
                _("%(section)sへの配当額を%(amount)s円にしました。")
                % {"section": allotment.section.name, "amount": f"{allotment.amount:,}"},
            )
            return redirect("finance:budget_line", pk=pk)
    return render(request, "finance/budget/line.html", line_context(line, allot_form=form), status=status)


@login_required
def line_new(request: HttpRequest) -> HttpResponse:
    """Register a budget line (予算明細の登録): 目 and 節, or the 予備費 line without 節."""
    user, day = finance_staff_of(request), timezone.localdate()
    if request.method != "POST":
        initial = {"fiscal_year": fiscal_year(day), "account": Account.objects.first()}
        return render(request, "finance/budget/line_new.html", {"form": LineCreateForm(initial=initial, on=day)})
    form = LineCreateForm(request.POST, on=day)
    status = 400
    if form.is_valid():
        try:
            line = services.budget_line_create(actor=user, **form.cleaned_data)
        except ApplicationError as exc:
            apply_error(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("予算明細「%(label)s」を登録しました。") % {"label": line.label})
            return redirect("finance:budget_line", pk=line.pk)
    return render(request, "finance/budget/line_new.html", {"form": form}, status=status)


def _next_version_name(account: Account | None, year: int) -> str:
    """「当初予算」 for the first budget of the account and year, then 「補正予算（第N号）」."""
    count = BudgetVersion.objects.filter(account=account, fiscal_year=year).count()
    return _("当初予算") if count == 0 else _("補正予算（第%(n)d号）") % {"n": count}


def _version_forms(request: HttpRequest, data: Any = None) -> tuple[VersionForm, Any]:
    """The head and the rows; the rows offer the lines of the account and year chosen (or asked for)."""
    day = timezone.localdate()
    source = data if data is not None else request.GET
    account_id, year = str(source.get("account", "")), str(source.get("fiscal_year", ""))
    chosen = optional_id(account_id)
    account = Account.objects.filter(pk=chosen).first() if chosen is not None else Account.objects.first()
    year_number = ascii_integer(year)
    in_range = year_number is not None and FISCAL_YEAR_MIN <= year_number <= FISCAL_YEAR_MAX
    year_value = year_number if in_range and year_number is not None else fiscal_year(day)
    initial: dict[str, Any] = {}
    if data is None:
        initial = {
            "account": account,
            "fiscal_year": year_value,
            "name": _next_version_name(account, year_value),
            "form_token": new_form_token(),
        }
    head = VersionForm(data, initial=initial, on=day)
    lines = BudgetLine.objects.filter(account=account, fiscal_year=year_value).select_related("account")
    rows = VersionRows(data, prefix=ROWS_PREFIX, lines=lines.order_by("pk"))
    return head, rows


def _render_version(request: HttpRequest, head: Any, rows: Any, status: int = 200) -> HttpResponse:
    return render(request, "finance/budget/version_new.html", {"form": head, "rows": rows}, status=status)


@login_required
def version_new(request: HttpRequest) -> HttpResponse:
    """Register a budget (予算の登録): 当初予算 first, then 補正予算 with the change per line.

    A one-time token makes a double-submitted form add the amounts once only.
    """
    user = finance_staff_of(request)
    if request.method != "POST":
        return _render_version(request, *_version_forms(request))
    head, rows = _version_forms(request, request.POST)
    if not (head.is_valid() and rows.is_valid()):
        return _render_version(request, with_fresh_token(head), rows, status=400)
    if not claim(head)[0]:
        messages.warning(request, _("この予算は既に送信されています。二重に登録していません。"))
        return redirect("finance:budget")
    filled = [form for form in rows.forms if form.cleaned_data.get("line")]
    amounts = [(form.cleaned_data["line"], form.cleaned_data["amount"]) for form in filled]
    data = head.cleaned_data
    try:
        version = services.budget_version_create(
            actor=user,
            account=data["account"],
            fiscal_year=data["fiscal_year"],
            name=data["name"],
            amounts=amounts,
            personnel_transfer=data.get("personnel_transfer", False),
        )
    except ApplicationError as exc:
        # The service names the line in its message; the error goes at the top of the form.
        apply_error(head, exc)
        return _render_version(request, with_fresh_token(head), rows, status=exc.status_code)
    messages.success(
        request,
        _("%(name)sを登録しました（%(count)d科目、計%(total)s円）。")
        % {"name": version.name, "count": len(amounts), "total": f"{sum(a for _l, a in amounts):,}"},
    )
    return redirect(f"{reverse('finance:budget')}?fiscal_year={version.fiscal_year}&account={version.account_id}")


@login_required
def version_row(request: HttpRequest) -> HttpResponse:
    """One more empty row of the budget form (htmx 「行を追加」), with the new total of rows."""
    finance_staff_of(request)
    total = request.GET.get(f"{ROWS_PREFIX}-TOTAL_FORMS", "")
    index = min(max(ascii_integer(total) or 0, 0), MAX_VERSION_ROWS)
    _head, rows = _version_forms(request)
    form = rows.form(
        prefix=f"{ROWS_PREFIX}-{index}", lines=rows.lines, empty_permitted=True, use_required_attribute=False
    )
    context = {"row": form, "number": index + 1, "oob": True, "total": index + 1}
    return render(request, "finance/budget/version_row.html", context)


@login_required
def setsu_list(request: HttpRequest) -> HttpResponse:
    """The 27 standard 節 with their 流用禁止 setting and a button to change it."""
    finance_staff_of(request)
    return render(request, "finance/budget/setsu.html", {"headings": standard_setsu()})


@login_required
@require_POST
def setsu_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Lock or unlock a 節 against transfers (流用禁止の設定); it applies to that 節 in every account."""
    user = finance_staff_of(request)
    heading = standard_setsu().filter(pk=pk).first()
    if heading is None:
        raise Http404(_("節が見つかりません。"))
    locked = request.POST.get("locked") == "1"
    try:
        heading = services.setsu_lock(actor=user, heading=heading, locked=locked)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        state = _("流用禁止にしました") if heading.transfer_locked else _("流用禁止を解除しました")
        messages.success(
            request, f"{heading_code(Level.SETSU, heading.code)} {heading.name}：{state}。".replace("  ", " ")
        )
    return redirect("finance:budget_setsu")


@login_required
def line_figures(request: HttpRequest) -> HttpResponse:
    """The chosen source line's 予算現額・配当済・未配当 (htmx partial of the movement forms)."""
    user = finance_staff_of(request)
    value = (request.GET.get("source") or "").strip()
    line_id = optional_id(value)
    line = lines_for(user).filter(pk=line_id).first() if line_id is not None else None
    return render(request, "finance/budget/figures.html", {"row": line_row(line) if line else None})


urlpatterns: list[URLPattern] = [
    path("budget-admin/", line_list, name="budget"),
    path("budget-admin/lines/new/", line_new, name="budget_line_new"),
    path("budget-admin/lines/<id:pk>/", line_detail, name="budget_line"),
    path("budget-admin/lines/<id:pk>/allot/", line_allot, name="budget_allot"),
    path("budget-admin/versions/new/", version_new, name="budget_version_new"),
    path("budget-admin/versions/row/", version_row, name="budget_version_row"),
    path("budget-admin/setsu/", setsu_list, name="budget_setsu"),
    path("budget-admin/setsu/<id:pk>/lock/", setsu_toggle, name="budget_setsu_lock"),
    path("budget-admin/lines/figures/", line_figures, name="budget_line_figures"),
]
