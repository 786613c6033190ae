"""Payment order screens (支出命令): list, draft with lines, correct (修正), detail.

The order's lines are a formset; 「明細を追加」 fetches one more row with htmx, and choosing a line's
creditor fetches that row's 振込口座 select (the creditor's accounts in use, default first).
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
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError, PermissionDenied
from cityhall.core.forms import claim, new_form_token, remember, with_fresh_token
from cityhall.core.japanese import format_date
from cityhall.core.numbers import ascii_integer, optional_id
from cityhall.documents.rules import section_of
from cityhall.documents.services import personal_info_access_record
from cityhall.finance import balance
from cityhall.finance.forms._common import active_creditors
from cityhall.finance.forms.payment_orders import (
    MAX_ORDER_LINES,
    OrderLineForm,
    OrderLineFormSet,
    PaymentOrderForm,
    RefundForm,
    SettlementForm,
    apply_order_error,
    order_initial,
    order_lines_initial,
)
from cityhall.finance.models import (
    BatchStatus,
    Creditor,
    OrderKind,
    PaymentMethod,
    PaymentOrder,
    PaymentOrderLine,
    PrepayGround,
    ReviewStatus,
    TaxRate,
)
from cityhall.finance.order_sources import order_sources
from cityhall.finance.selectors.creditors import sees_account_numbers
from cityhall.finance.selectors.deadlines import payment_deadline
from cityhall.finance.selectors.encumbrances import own_section_encumbrances
from cityhall.finance.selectors.payment_orders import (
    live_redraft,
    may_redraft,
    order_after_payment,
    payment_order_detail,
    payment_orders_for,
)
from cityhall.finance.services.creditors import creditor_accounts_viewed
from cityhall.finance.services.inspection import inspection_requirement
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders import payment_order_draft, payment_order_redraft, payment_order_update
from cityhall.finance.views._common import sorted_rows
from cityhall.finance.views.encumbrances import editable_by, not_editable, sent_back_reason

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
    return render(request, "finance/payment_orders/list.html", {"page": page, "sort": sort})


def _forms(request: HttpRequest, data: Any = None) -> tuple[PaymentOrderForm, Any]:
    user = user_of(request)
    initial: dict[str, Any] = {}
    encumbrance_id = (request.GET.get("encumbrance") or "").strip()
    if data is None:
        initial = {"form_token": new_form_token()}
        if optional_id(encumbrance_id) is not None:
            initial |= {"kind": OrderKind.LINKED, "encumbrance": optional_id(encumbrance_id)}
    head = PaymentOrderForm(
        data, user=user, on=timezone.localdate(), encumbrances=own_section_encumbrances(user), initial=initial
    )
    first = _first_line(head, initial.get("encumbrance"))
    lines = OrderLineFormSet(data, prefix=LINES_PREFIX, initial=first, form_kwargs=_line_kwargs(user))
    return head, lines


def _line_kwargs(user: User) -> dict[str, Any]:
    """What each line form needs: whether account numbers show in full (会計・会計管理者)."""
    return {"full_accounts": sees_account_numbers(user)}


def _record_accounts_shown(request: HttpRequest, lines: Any) -> None:
    """Audit the individuals whose full account numbers the rows list (個人の口座の閲覧記録, as on the order's page)."""
    shown = {form.creditor_shown.pk: form.creditor_shown for form in lines.forms if form.shows_individual_accounts}
    creditor_accounts_viewed(actor=user_of(request), creditors=shown.values(), where="payment_order_form")


def _first_line(head: PaymentOrderForm, encumbrance_id: int | None) -> list[dict[str, Any]] | None:
    """The first line filled from the chosen encumbrance: its creditor and the rest not yet ordered."""
    queryset = head.fields["encumbrance"].queryset  # type: ignore[attr-defined]
    encumbrance = queryset.filter(pk=encumbrance_id).first() if encumbrance_id else None
    if encumbrance is None:
        return None
    rest = encumbrance.amount - balance.ordered_against(encumbrance)
    return [{"creditor": encumbrance.creditor_id, "amount": f"{rest:,}" if rest > 0 else ""}]


def _render_new(request: HttpRequest, head: Any, lines: Any, status: int = 200) -> HttpResponse:
    _record_accounts_shown(request, lines)
    context = {"form": head, "lines": lines, "max_lines": MAX_ORDER_LINES}
    return render(request, "finance/payment_orders/new.html", context, status=status)


def _filled(lines: Any) -> list[OrderLineForm]:
    """The rows with input, in order; untouched extra rows (空行) are left out."""
    return [form for form in lines.forms if form.cleaned_data]


def _line_inputs(
    filled: list[OrderLineForm], method: str, saved: list[PaymentOrderLine] | None = None
) -> list[OrderLineInput]:
    """The service's line inputs; when correcting (``saved``), what the form does not show is kept.

    The chosen bank account (振込口座; empty: the creditor's default) goes to the service, which refuses
    another creditor's or a stopped one; for 窓口払 it is ignored. A post without the select keeps a
    creditor's saved account. The entered 消費税額 goes to the service as given (blank: computed);
    a post without that input keeps the saved tax of a row left at the same position, amount and rate.
    """
    saved = saved or []
    accounts = {line.creditor_id: line.bank_account for line in reversed(saved)}
    inputs = []
    for index, form in enumerate(filled):
        data = form.cleaned_data
        old = saved[index] if index < len(saved) else None
        same = old is not None and (old.creditor_id, old.amount, old.tax_rate) == (
            data["creditor"].pk,
            data["amount"],
            data["tax_rate"],
        )
        account = data.get("bank_account")
        if form.add_prefix("bank_account") not in form.data:
            account = accounts.get(data["creditor"].pk)
        tax = data.get("tax_amount")
        if form.add_prefix("tax_amount") not in form.data:
            tax = old.tax_amount if same and old is not None else None
        inputs.append(
            OrderLineInput(
                creditor=data["creditor"],
                amount=data["amount"],
                tax_rate=data["tax_rate"],
                tax_amount=tax,
                withholding=data.get("withholding") or 0,
                withholding_kind=data.get("withholding_kind") or "",
                bank_account=account if method == PaymentMethod.TRANSFER else None,
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
        return redirect("finance:payment_order", pk=found.pk) if found else redirect("finance:payment_orders")
    data = head.cleaned_data
    linked = data["kind"] == OrderKind.LINKED
    filled = _filled(lines)
    try:
        order = payment_order_draft(
            actor=user_of(request),
            title=data["title"],
            kind=data["kind"],
            lines=_line_inputs(filled, data["payment_method"]),
            payment_date=data["payment_date"],
            line=None if linked else data["line"],
            encumbrance=data["encumbrance"] if linked else None,
            payment_method=data["payment_method"],
            inspection_date=data["inspection_date"],
            inspector=data["inspector"],
            invoice_received_on=data["invoice_received_on"],
            description=data["description"],
            body=data.get("body") or "",
            **head.method_values(),
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
    return redirect("finance:payment_order", pk=order.pk)


def _edit_forms(request: HttpRequest, order: PaymentOrder, data: Any = None) -> tuple[PaymentOrderForm, Any]:
    """The new page's forms, filled from the saved order (or bound to the posted correction)."""
    user = user_of(request)
    initial = order_initial(order) if data is None else {}
    head = PaymentOrderForm(
        data, user=user, on=timezone.localdate(), encumbrances=own_section_encumbrances(user), initial=initial
    )
    rows = _saved_rows(order) if data is None else None
    lines = OrderLineFormSet(data, prefix=LINES_PREFIX, initial=rows, form_kwargs=_line_kwargs(user))
    return head, lines


def _saved_rows(order: PaymentOrder) -> list[dict[str, Any]]:
    """The line rows as saved, each with its bank account (振込口座) chosen."""
    accounts = order.lines.order_by("position").values_list("bank_account_id", flat=True)
    return [row | {"bank_account": account} for row, account in zip(order_lines_initial(order), accounts, strict=True)]


def _render_edit(request: HttpRequest, order: PaymentOrder, head: Any, lines: Any, status: int = 200) -> HttpResponse:
    _record_accounts_shown(request, lines)
    context = {"form": head, "lines": lines, "max_lines": MAX_ORDER_LINES, "order": order, "editing": True}
    context["sent_back_reason"] = sent_back_reason(order.document)
    return render(request, "finance/payment_orders/new.html", context, status=status)


@login_required
def payment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a draft or sent-back payment order and its lines (支出命令の修正); nothing is saved on any error.

    Only its drafter may (others get 404); the service checks everything as at drafting.
    """
    order = fetch_order(request, pk)
    refused = not_editable(request, order.document, "finance:payment_order", pk)
    if refused is not None:
        return refused
    if request.method != "POST":
        return _render_edit(request, order, *_edit_forms(request, order))
    head, lines = _edit_forms(request, order, request.POST)
    head_ok, lines_ok = head.is_valid(), lines.is_valid()
    if not (head_ok and lines_ok):
        return _render_edit(request, order, head, lines, status=400)
    data, filled = head.cleaned_data, _filled(lines)
    linked = data["kind"] == OrderKind.LINKED
    saved = list(order.lines.select_related("bank_account").order_by("position"))
    try:
        payment_order_update(
            actor=user_of(request),
            order=order,
            title=data["title"],
            kind=data["kind"],
            lines=_line_inputs(filled, data["payment_method"], saved),
            payment_date=data["payment_date"],
            line=None if linked else data["line"],
            encumbrance=data["encumbrance"] if linked else None,
            payment_method=data["payment_method"],
            inspection_date=data["inspection_date"],
            inspector=data["inspector"],
            invoice_received_on=data["invoice_received_on"],
            description=data["description"],
            **head.method_values(),
        )
    except ApplicationError as exc:
        apply_order_error(head, filled, exc)
        return _render_edit(request, order, head, lines, status=exc.status_code)
    messages.success(request, _("支出命令を修正しました。文書を開いて回議を開始してください。"))
    return redirect("finance:payment_order", pk=pk)


@login_required
def payment_line_row(request: HttpRequest) -> HttpResponse:
    """One more empty line of the order form (htmx): the row and the updated form count."""
    value = (request.GET.get(f"{LINES_PREFIX}-TOTAL_FORMS") or "").strip()
    index = min(max(ascii_integer(value) or 0, 0), MAX_ORDER_LINES)
    if index >= MAX_ORDER_LINES:
        return render(request, "finance/payment_orders/line_limit.html", {"max_lines": MAX_ORDER_LINES})
    form = OrderLineForm(prefix=f"{LINES_PREFIX}-{index}", **_line_kwargs(user_of(request)))
    context = {"line": form, "number": index + 1, "total": index + 1, "oob": True}
    return render(request, "finance/payment_orders/line_row.html", context)


@login_required
def payment_line_account(request: HttpRequest, row: int) -> HttpResponse:
    """The 振込口座 select of line ``row`` (counted from 0) for the creditor chosen there (htmx).

    For those who may draft orders (a 課 today); 404 for an unknown or inactive creditor.
    An individual's full account numbers shown to 会計 are recorded as viewed.
    """
    user = user_of(request)
    if section_of(user, on=timezone.localdate()) is None or row >= MAX_ORDER_LINES:
        raise Http404(_("ページが見つかりません。"))
    prefix = f"{LINES_PREFIX}-{row}"
    value = (request.GET.get(f"{prefix}-creditor") or "").strip()
    creditor_id = optional_id(value)
    if value and not (creditor_id is not None and active_creditors().filter(pk=creditor_id).exists()):
        raise Http404(_("債権者が見つかりません。"))
    form = OrderLineForm(prefix=prefix, initial={"creditor": value}, **_line_kwargs(user))
    if form.shows_individual_accounts and form.creditor_shown is not None:
        creditor_accounts_viewed(actor=user, creditors=[form.creditor_shown], where="payment_order_form")
    return render(request, "finance/payment_orders/line_account.html", {"field": form["bank_account"]})


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


def after_payment_context(order: PaymentOrder) -> dict[str, Any]:
    """What the order's page shows of its 精算 and 戻入, and the forms to record them."""
    paid = order.batch is not None and order.batch.status == BatchStatus.PAID
    ground = PrepayGround(order.method_ground).label if order.method_ground in PrepayGround.values else ""
    settlement, refunds = order_after_payment(order)
    return {
        "paid": paid,
        "settles": paid and order.is_settled_later,
        "settlement": settlement,
        "refunds": refunds,
        "settlement_form": SettlementForm(),
        "refund_form": RefundForm(),
        "prepay_ground": ground,
    }


@login_required
def payment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One payment order with its lines, totals by tax rate and review state."""
    order, user = fetch_order(request, pk), user_of(request)
    lines = list(order.lines.select_related("creditor", "bank_account").order_by("position"))
    context = {"order": order, "document": order.document, "lines": lines, "totals": tax_totals(order)}
    context["full_accounts"] = sees_account_numbers(user)
    context["deadline"] = payment_deadline(order)
    context["inspection"] = inspection_requirement(order)
    context["editable"] = editable_by(user, order.document)
    context["redraftable"] = may_redraft(user, order)
    context["redraft"] = live_redraft(order) if order.review_status == ReviewStatus.RETURNED else None
    context["sources"] = order_sources(user, [order.pk]).get(order.pk, [])
    context.update(after_payment_context(order))
    if context["full_accounts"]:  # 個人の口座番号を表示したら閲覧記録（債権者の画面と同じ）
        shown: dict[int, Creditor] = {line.creditor_id: line.creditor for line in lines if line.bank_account_id}
        creditor_accounts_viewed(actor=user, creditors=shown.values(), where="payment_order")
    # The page lists the document's payees as its own page does (個人情報の閲覧記録).
    personal_info_access_record(actor=user, document=order.document, what="view")
    return render(request, "finance/payment_orders/detail.html", context)


@login_required
@require_POST
def payment_redraft(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft a returned order again with the same content (起案し直し) and open the new draft's 修正 page."""
    order = fetch_order(request, pk)
    try:
        made = payment_order_redraft(actor=user_of(request), order=order)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("finance:payment_order", pk=pk)
    messages.success(
        request,
        _("返付された支出命令（%(old)s）と同じ内容で起案しました（%(new)s）。内容を確かめて修正してください。")
        % {"old": order.document.number_label, "new": made.document.number_label},
    )
    if made.payment_date != order.payment_date:
        messages.warning(
            request,
            _("元の支払予定日が過ぎていたため、支払予定日を%(date)sにしました。")
            % {"date": format_date(made.payment_date)},
        )
    return redirect("finance:payment_order_edit", pk=made.pk)


urlpatterns: list[URLPattern] = [
    path("payments/", payment_list, name="payment_orders"),
    path("payments/new/", payment_new, name="payment_order_new"),
    path("payments/line-row/", payment_line_row, name="payment_order_line_row"),
    path("payments/line-account/<int:row>/", payment_line_account, name="payment_order_line_account"),
    path("payments/<id:pk>/", payment_detail, name="payment_order"),
    path("payments/<id:pk>/edit/", payment_edit, name="payment_order_edit"),
    path("payments/<id:pk>/redraft/", payment_redraft, name="payment_order_redraft"),
]
