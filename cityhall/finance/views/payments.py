"""Payment order screens (支出命令): list, draft with lines, detail.

The order's lines are a formset; 「明細を追加」 fetches one more row with htmx.
The approval itself (回議・決裁) happens on the document's own page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.core.errors import ApplicationError, PermissionDenied
from cityhall.documents.views._common import user_of
from cityhall.finance import balance
from cityhall.finance.forms import MAX_ORDER_LINES, OrderLineForm, OrderLineFormSet, PaymentOrderForm
from cityhall.finance.models import OrderKind, PaymentOrder, TaxRate
from cityhall.finance.selectors import encumbrances_for, sees_account_numbers
from cityhall.finance.selectors_orders import payment_order_detail, payment_orders_for
from cityhall.finance.services.payment import OrderLineInput, payment_order_draft
from cityhall.finance.views.forms_errors import apply_order_error
from cityhall.finance.views.forms_once import claim, new_form_token, remember, with_fresh_token
from cityhall.finance.views.forms_sort import sorted_rows

PAGE_SIZE = 50
SORTS = {
    "number": ("document__fiscal_year", "document__section__code", "document__number", "pk"),
    "title": ("document__title", "pk"),
    "amount": ("total_amount", "pk"),
    "payment_date": ("payment_date", "pk"),
    "drafted_on": ("document__drafted_on", "pk"),
}
LINES_PREFIX = "lines"


def fetch_order(request: HttpRequest, pk: int) -> PaymentOrder:
    """The payment order if the user may see it; 404 alike for missing and forbidden."""
    try:
        return payment_order_detail(user_of(request), pk)
    except PermissionDenied as exc:
        raise Http404(exc.message) from exc


@login_required
def payment_list(request: HttpRequest) -> HttpResponse:
    """The payment orders the user may see (支出命令の一覧), newest first."""
    rows, sort = sorted_rows(request, payment_orders_for(user_of(request)), SORTS, "-drafted_on")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "finance/payments/list.html", {"page": page, "sort": sort})


def _forms(request: HttpRequest, data: Any = None) -> tuple[PaymentOrderForm, Any]:
    user = user_of(request)
    initial: dict[str, Any] = {}
    encumbrance_id = (request.GET.get("encumbrance") or "").strip()
    if data is None:
        initial = {"form_token": new_form_token()}
        if encumbrance_id.isdigit():
            initial |= {"kind": OrderKind.LINKED, "encumbrance": int(encumbrance_id)}
    head = PaymentOrderForm(
        data, user=user, on=timezone.localdate(), encumbrances=encumbrances_for(user), initial=initial
    )
    lines = OrderLineFormSet(data, prefix=LINES_PREFIX, initial=_first_line(head, initial.get("encumbrance")))
    return head, lines


def _first_line(head: PaymentOrderForm, encumbrance_id: int | None) -> list[dict[str, Any]] | None:
    """The first line filled from the chosen encumbrance: its creditor and the rest not yet ordered."""
    queryset = head.fields["encumbrance"].queryset  # type: ignore[attr-defined]
    encumbrance = queryset.filter(pk=encumbrance_id).first() if encumbrance_id else None
    if encumbrance is None:
        return None
    rest = encumbrance.amount - balance.ordered_against(encumbrance)
    return [{"creditor": encumbrance.creditor_id, "amount": f"{rest:,}" if rest > 0 else ""}]


def _render_new(request: HttpRequest, head: Any, lines: Any, status: int = 200) -> HttpResponse:
    context = {"form": head, "lines": lines, "max_lines": MAX_ORDER_LINES}
    return render(request, "finance/payments/new.html", context, status=status)


def _filled(lines: Any) -> list[OrderLineForm]:
    """The rows with input, in order; untouched extra rows (空行) are left out."""
    return [form for form in lines.forms if form.cleaned_data]


def _line_inputs(filled: list[OrderLineForm]) -> list[OrderLineInput]:
    inputs = []
    for form in filled:
        data = form.cleaned_data
        inputs.append(
            OrderLineInput(
                creditor=data["creditor"],
                amount=data["amount"],
                tax_rate=data["tax_rate"],
                withholding=data.get("withholding") or 0,
                description=data.get("description") or "",
            )
        )
    return inputs


@login_required
def payment_new(request: HttpRequest) -> HttpResponse:
    """Draft a payment order (支出命令の起案) with its lines; nothing is saved on any error."""
    if request.method != "POST":
        return _render_new(request, *_forms(request))
    head, lines = _forms(request, request.POST)
    head_ok, lines_ok = head.is_valid(), lines.is_valid()
    if not (head_ok and lines_ok):
        return _render_new(request, with_fresh_token(head), lines, status=400)
    first, done = claim(head)
    if not first:
        messages.warning(request, _("この支出命令は既に送信されています。二重に登録していません。"))
        found = PaymentOrder.objects.filter(document_id=done).first() if done else None
        return redirect("finance:payment", pk=found.pk) if found else redirect("finance:payments")
    data = head.cleaned_data
    linked = data["kind"] == OrderKind.LINKED
    filled = _filled(lines)
    try:
        order = payment_order_draft(
            actor=user_of(request),
            title=data["title"],
            kind=data["kind"],
            lines=_line_inputs(filled),
            payment_date=data["payment_date"],
            line=None if linked else data["line"],
            encumbrance=data["encumbrance"] if linked else None,
            payment_method=data["payment_method"],
            inspection_date=data["inspection_date"],
            invoice_received_on=data["invoice_received_on"],
            description=data["description"],
        )
    except ApplicationError as exc:
        apply_order_error(head, filled, exc)
        return _render_new(request, with_fresh_token(head), lines, status=exc.status_code)
    remember(head, order.document_id)
    messages.success(
        request,
        _("支出命令を起案しました（%(number)s）。文書を開いて回議を開始してください。")
        % {"number": order.document.number_label},
    )
    return redirect("finance:payment", pk=order.pk)


@login_required
def payment_line_row(request: HttpRequest) -> HttpResponse:
    """One more empty line of the order form (htmx): the row and the updated form count."""
    value = (request.GET.get(f"{LINES_PREFIX}-TOTAL_FORMS") or "").strip()
    index = int(value) if value.isdigit() else 0
    if index >= MAX_ORDER_LINES:
        return render(request, "finance/payments/line_limit.html", {"max_lines": MAX_ORDER_LINES})
    form = OrderLineForm(prefix=f"{LINES_PREFIX}-{index}")
    context = {"line": form, "number": index + 1, "total": index + 1, "oob": True}
    return render(request, "finance/payments/line_row.html", context)


@dataclass(frozen=True)
class TaxTotal:
    """The totals of one tax rate (税率ごとの合計)."""

    label: str
    amount: int
    tax: int
    withholding: int


def tax_totals(order: PaymentOrder) -> list[TaxTotal]:
    """Totals of the order's lines by tax rate (10%・8%・対象外), in that order."""
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for line in order.lines.all():
        row = sums[line.tax_rate]
        row[0] += line.amount
        row[1] += line.tax_amount
        row[2] += line.withholding
    return [TaxTotal(str(rate.label), *sums[rate.value]) for rate in TaxRate if rate.value in sums]


@login_required
def payment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One payment order with its lines, totals by tax rate and review state."""
    order = fetch_order(request, pk)
    lines = order.lines.select_related("creditor", "bank_account").order_by("position")
    context = {"order": order, "document": order.document, "lines": lines, "totals": tax_totals(order)}
    context["full_accounts"] = sees_account_numbers(user_of(request))
    return render(request, "finance/payments/detail.html", context)


urlpatterns: list[URLPattern] = [
    path("payments/", payment_list, name="payments"),
    path("payments/new/", payment_new, name="payment_new"),
    path("payments/line-row/", payment_line_row, name="payment_line_row"),
    path("payments/<int:pk>/", payment_detail, name="payment"),
]
