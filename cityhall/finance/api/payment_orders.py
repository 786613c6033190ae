"""Payment orders (支出命令): list, detail with lines and totals per tax rate, draft, update.

Submission and decision go through the documents API (``links``); the budget is
checked again there by the typed document's hooks, as on the screens.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from cityhall.accounts.requests import user_of
from cityhall.core.errors import ValidationFailed
from cityhall.core.http import FiscalYear, Id, Page, PageSize
from cityhall.documents.services import personal_info_access_record
from cityhall.finance.api import _common as c
from cityhall.finance.api.schemas.payment_orders import (
    OrderDetailOut,
    OrderIn,
    OrderLineIn,
    OrderPage,
    OrderUpdateIn,
    RefundIn,
    RefundOut,
    SettlementIn,
    SettlementOut,
)
from cityhall.finance.models import CreditorBankAccount, OrderSettlement, PaymentOrder
from cityhall.finance.selectors.deadlines import payment_deadline
from cityhall.finance.selectors.payment_orders import order_totals_by_rate, payment_order_detail, payment_orders_for
from cityhall.finance.services.inspection import inspection_requirement
from cityhall.finance.services.payment_methods import ReceiptInput, order_refund, order_settle, refunded_amount
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders import payment_order_draft, payment_order_redraft, payment_order_update

router = Router(tags=["支出命令"])


class OrderQuery(Schema):
    """Filters of the order list (年度・種類・状態・審査状況); empty means "any"."""

    fiscal_year: FiscalYear | None = None
    kind: str | None = None
    status: str | None = None
    review_status: str | None = None
    page: Page = 1
    page_size: PageSize = 20


def order_out(order: PaymentOrder) -> dict[str, Any]:
    """An order with its document's and review's state and the links to drive its route."""
    doc = order.document
    fields = ("id", "document_id", "kind", "fiscal_year", "line_id", "section_id", "encumbrance_id", "batch_id")
    more = ("payment_method", "payment_date", "inspection_date", "inspector_id", "invoice_received_on", "description")
    method = ("payment_timing", "advance_holder_id", "method_ground", "transfer_to", "prior_fiscal_year")
    amounts = ("total_amount", "withholding_amount", "payment_amount", "review_status", "review_reason")
    return {
        **{f: getattr(order, f) for f in (*fields, *more, *method, *amounts)},
        "payment_method_label": order.get_payment_method_display(),
        "refunded_amount": refunded_amount(order),
        "settlement": _settlement_out(order),
        "reviewed_at": order.reviewed_at,
        "kind_label": order.get_kind_display(),
        "review_status_label": order.get_review_status_display(),
        "number_label": doc.number_label,
        "title": doc.title,
        "status": doc.status,
        "status_label": doc.get_status_display(),
        "version": doc.version,
        "line": order.line.label,
        "section": order.section.name,
        "inspector": order.inspector.full_name if order.inspector else "",
        "inspection_report_required": inspection_requirement(order).required,
        "links": c.document_links(order.document_id),
        **_deadline(order),
    }


def _settlement_out(order: PaymentOrder) -> dict[str, Any] | None:
    settlement = OrderSettlement.objects.filter(order=order).first()
    return None if settlement is None else _settlement_fields(settlement)


def _settlement_fields(settlement: OrderSettlement) -> dict[str, Any]:
    fields = ("id", "order_id", "settled_on", "advanced", "actual", "returned", "additional", "note")
    return {f: getattr(settlement, f) for f in fields}


def _deadline(order: PaymentOrder) -> dict[str, Any]:
    """The legal payment deadline (支払遅延防止法§6) and the days left to it, when the invoice is in."""
    deadline = payment_deadline(order)
    if deadline is None:
        return {"payment_deadline": None, "payment_deadline_days_left": None}
    return {"payment_deadline": deadline.due, "payment_deadline_days_left": deadline.days_left}


def order_detail_out(order: PaymentOrder) -> dict[str, Any]:
    """An order with its lines and the totals per consumption tax rate."""
    lines = [
        {
            **{f: getattr(ln, f) for f in ("id", "position", "creditor_id", "bank_account_id", "description")},
            **{f: getattr(ln, f) for f in ("tax_rate", "amount", "tax_amount", "withholding", "withholding_kind")},
            "creditor": ln.creditor.name,
        }
        for ln in order.lines.all()
    ]
    rates = order_totals_by_rate(order)
    totals = [{"tax_rate": rate, "amount": amount, "tax_amount": tax} for rate, amount, tax in rates]
    return {**order_out(order), "lines": lines, "totals_by_rate": totals}


def _line_inputs(rows: Sequence[OrderLineIn]) -> list[OrderLineInput]:
    """The entered lines with creditors and bank accounts looked up; unknown ids name the row."""
    inputs = []
    for n, row in enumerate(rows, start=1):
        account = None
        if row.bank_account_id is not None:
            account = CreditorBankAccount.objects.filter(pk=row.bank_account_id, creditor_id=row.creditor_id).first()
            if account is None:
                raise ValidationFailed(f"{n}行目: 振込口座が見つかりません。", field="bank_account_id")
        data = row.dict(include={"amount", "tax_rate", "tax_amount", "withholding", "withholding_kind", "description"})
        inputs.append(OrderLineInput(creditor=c.creditor(row.creditor_id), bank_account=account, **data))
    return inputs


def _visible(request: HttpRequest, order_id: Id) -> PaymentOrder:
    return payment_order_detail(user_of(request), order_id)


@router.get("/payment-orders", response={200: OrderPage, **c.ERRORS}, summary="支出命令の一覧")
def order_list(request: HttpRequest, filters: Query[OrderQuery]) -> dict[str, Any]:
    """Orders of the caller's section (all for 会計・会計管理者), newest first."""
    rows = payment_orders_for(user_of(request))
    for name, column in (
        ("fiscal_year", "fiscal_year"),
        ("kind", "kind"),
        ("status", "document__status"),
        ("review_status", "review_status"),
    ):
        value = getattr(filters, name)
        if value not in (None, ""):
            rows = rows.filter(**{column: value})
    page = c.paged(rows, filters.page, filters.page_size)
    page["items"] = [order_out(order) for order in page["items"]]
    return page


@router.get("/payment-orders/{int:order_id}", response={200: OrderDetailOut, **c.ERRORS}, summary="支出命令の詳細")
def order_detail(request: HttpRequest, order_id: Id) -> dict[str, Any]:
    """One order with its lines and totals per tax rate (税率ごとの合計)."""
    order = _visible(request, order_id)
    # The answer lists the document's payees (個人情報の閲覧記録, as the document's own endpoint).
    personal_info_access_record(actor=user_of(request), document=order.document, what="view")
    return order_detail_out(order)


@router.post("/payment-orders", response={201: OrderDetailOut, **c.ERRORS}, summary="支出命令の起案")
def order_create(request: HttpRequest, payload: OrderIn) -> Status[dict[str, Any]]:
    """Draft an order against a visible encumbrance, or combined (兼) / collective (集合) on a line."""
    data = payload.dict(exclude={"lines", "line_id", "encumbrance_id", "inspector_id", "advance_holder_id"})
    order = payment_order_draft(
        actor=user_of(request),
        inspector=c.staff_member(payload.inspector_id, "inspector_id"),
        advance_holder=c.staff_member(payload.advance_holder_id, "advance_holder_id"),
        lines=_line_inputs(payload.lines),
        line=c.line(payload.line_id) if payload.line_id is not None else None,
        encumbrance=c.visible_encumbrance(request, payload.encumbrance_id) if payload.encumbrance_id else None,
        **data,
    )
    return Status(201, order_detail_out(_visible(request, order.pk)))


@router.patch("/payment-orders/{int:order_id}", response={200: OrderDetailOut, **c.ERRORS}, summary="支出命令の修正")
def order_update(request: HttpRequest, order_id: Id, payload: OrderUpdateIn) -> dict[str, Any]:
    """Change the fields sent of a draft order (起案中・差戻し), with the same checks as drafting."""
    changes = payload.dict(exclude_unset=True)
    if "lines" in changes:
        changes["lines"] = _line_inputs(payload.lines or [])
    if "line_id" in changes:
        line_id = changes.pop("line_id")
        changes["line"] = c.line(line_id) if line_id is not None else None
    if "inspector_id" in changes:
        changes["inspector"] = c.staff_member(changes.pop("inspector_id"), "inspector_id")
    if "advance_holder_id" in changes:
        changes["advance_holder"] = c.staff_member(changes.pop("advance_holder_id"), "advance_holder_id")
    if "encumbrance_id" in changes:
        enc_id = changes.pop("encumbrance_id")
        changes["encumbrance"] = c.visible_encumbrance(request, enc_id) if enc_id is not None else None
    payment_order_update(actor=user_of(request), order=_visible(request, order_id), **changes)
    return order_detail_out(_visible(request, order_id))


@router.post(
    "/payment-orders/{int:order_id}/redraft",
    response={201: OrderDetailOut, **c.ERRORS},
    summary="返付された支出命令の起案し直し",
)
def order_redraft(request: HttpRequest, order_id: Id) -> Status[dict[str, Any]]:
    """Draft a returned order (返付) again as a new draft with the same content; the answer is the new order."""
    made = payment_order_redraft(actor=user_of(request), order=_visible(request, order_id))
    return Status(201, order_detail_out(_visible(request, made.pk)))


@router.post(
    "/payment-orders/{int:order_id}/settlement",
    response={201: SettlementOut, **c.ERRORS},
    summary="資金前渡・概算払の精算",
)
def order_settlement(request: HttpRequest, order_id: Id, payload: SettlementIn) -> Status[dict[str, Any]]:
    """Settle a paid 資金前渡 (令161条, never above the advance) or 概算払 (令162条); the unused part is a 戻入."""
    receipts = [ReceiptInput(row.description, row.amount) for row in payload.receipts]
    made = order_settle(
        actor=user_of(request),
        order=_visible(request, order_id),
        actual=payload.actual,
        note=payload.note,
        receipts=receipts,
    )
    return Status(201, _settlement_fields(made))


@router.post("/payment-orders/{int:order_id}/refunds", response={201: RefundOut, **c.ERRORS}, summary="戻入の記録")
def order_refund_create(request: HttpRequest, order_id: Id, payload: RefundIn) -> Status[dict[str, Any]]:
    """Record a 戻入 (令159条) of a paid order, at most what it paid less earlier refunds."""
    refund = order_refund(
        actor=user_of(request), order=_visible(request, order_id), amount=payload.amount, reason=payload.reason
    )
    fields = ("id", "order_id", "amount", "refunded_on", "reason")
    return Status(201, {f: getattr(refund, f) for f in fields})
