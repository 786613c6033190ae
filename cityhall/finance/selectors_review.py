"""Read-side of the accounting manager's review (会計管理者審査) and of payment batches (支払データ).

``review_checks`` states the checks the law names for a payment order
(法232条の4②: 適法性, 予算, 債務確定) plus the payment date; the approving
service runs the same checks again with the allotment row locked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.errors import PermissionDenied
from cityhall.core.japanese import fiscal_year_end, format_yen, is_bank_business_day
from cityhall.core.japanese.business_days import add_business_days, closure_reason
from cityhall.documents.models import DECIDED_STATUSES
from cityhall.finance import balance
from cityhall.finance.models import SELF_COMMITTING_KINDS, BatchStatus, PaymentBatch, PaymentOrder, ReviewStatus
from cityhall.org import selectors as org
from cityhall.org.models import Role

PAYMENT_ORDER_TYPE = "finance.payment_order"
BATCH_NOT_FOUND = "支払データが見つかりません。"


@dataclass(frozen=True)
class ReviewCheck:
    """One check of the review (審査項目): its label, whether it passes, and why (in Japanese)."""

    label: str
    ok: bool
    detail: str
    field: str = ""


def _day(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def is_treasurer(user: User, *, on: dt.date | None = None) -> bool:
    """Whether the user is the accounting manager (会計管理者) on the day."""
    return bool(getattr(user, "is_active", False)) and org.has_role(user, Role.TREASURER, on=_day(on))


def _lawful(order: PaymentOrder) -> ReviewCheck:
    """適法性: decided through the engine as a payment order, and (linked) its encumbrance still stands."""
    label = "適法性"
    document = order.document
    if document.doc_type != PAYMENT_ORDER_TYPE or document.status not in DECIDED_STATUSES:
        return ReviewCheck(
            label, False, f"支出命令が決裁されていません（文書の状態: {document.get_status_display()}）。", "document"
        )
    encumbrance = order.encumbrance
    if encumbrance is not None:
        if encumbrance.cancelled_at is not None:
            return ReviewCheck(label, False, "支出負担行為が取り消されています。", "encumbrance")
        if encumbrance.document.status not in DECIDED_STATUSES:
            return ReviewCheck(label, False, "支出負担行為が決裁されていません。", "encumbrance")
    return ReviewCheck(label, True, f"{document.number_label} {document.get_status_display()}")


def _within_budget(order: PaymentOrder) -> ReviewCheck:
    """予算: the order's amount is still covered (Σ ordered ≤ encumbered; the allotment not overspent)."""
    label = "予算"
    available = balance.available_amount(order.allotment)
    encumbrance = order.encumbrance
    if encumbrance is not None:
        ordered = balance.ordered_against(encumbrance, exclude_document_id=order.document_id)
        if ordered + order.total_amount > encumbrance.amount:
            return ReviewCheck(
                label,
                False,
                f"支出負担行為の残額が不足しています（負担行為額: {format_yen(encumbrance.amount)}、"
                f"他の支出命令: {format_yen(ordered)}、この支出命令: {format_yen(order.total_amount)}）。",
                "amount",
            )
    elif order.kind in SELF_COMMITTING_KINDS and available < 0:
        return ReviewCheck(
            label,
            False,
            f"予算残額が不足しています（予算科目: {order.allotment.line.label}、"
            f"執行可能額: {format_yen(available + order.total_amount)}、要求額: {format_yen(order.total_amount)}）。",
            "amount",
        )
    if available < 0:  # the allotment was cut below what it already holds
        return ReviewCheck(
            label, False, f"配当額を超えて執行されています（執行可能額: {format_yen(available)}）。", "amount"
        )
    return ReviewCheck(label, True, f"執行可能額 {format_yen(available)}（この支出命令の額を差し引いた後）")


def _debt_fixed(order: PaymentOrder, day: dt.date) -> ReviewCheck:
    """債務確定: inspected (検収) on or before today and by 31 March of the order's year, the invoice received."""
    label = "債務確定"
    if order.inspection_date is None:
        return ReviewCheck(label, False, "検収日が入力されていません。", "inspection_date")
    if order.inspection_date > day:
        return ReviewCheck(
            label, False, f"検収日（{order.inspection_date:%Y-%m-%d}）が未来の日付です。", "inspection_date"
        )
    year_end = fiscal_year_end(order.fiscal_year)
    if order.inspection_date > year_end:  # a debt of the new year is never paid from the old (出納整理期間)
        return ReviewCheck(
            label,
            False,
            f"検収日（{order.inspection_date:%Y-%m-%d}）が{order.fiscal_year}年度末（{year_end:%Y-%m-%d}）より後です"
            f"（{order.fiscal_year}年度の予算では支出できません）。",
            "inspection_date",
        )
    if order.invoice_received_on is None:
        return ReviewCheck(label, False, "請求書受理日が入力されていません。", "invoice_received_on")
    if order.invoice_received_on > day:
        return ReviewCheck(
            label,
            False,
            f"請求書受理日（{order.invoice_received_on:%Y-%m-%d}）が未来の日付です。",
            "invoice_received_on",
        )
    return ReviewCheck(
        label, True, f"検収日 {order.inspection_date:%Y-%m-%d}、請求書受理日 {order.invoice_received_on:%Y-%m-%d}"
    )


def _payment_date(order: PaymentOrder, day: dt.date) -> ReviewCheck:
    """支払日: a bank business day (銀行営業日), today or later."""
    label = "支払日"
    when = order.payment_date
    if when < day:
        return ReviewCheck(label, False, f"支払予定日（{when:%Y-%m-%d}）が過ぎています。", "payment_date")
    if not is_bank_business_day(when):
        reason = closure_reason(when, "bank") or "休業日"
        return ReviewCheck(
            label, False, f"支払予定日（{when:%Y-%m-%d}）は銀行の休業日（{reason}）です。", "payment_date"
        )
    return ReviewCheck(label, True, f"{when:%Y-%m-%d}（銀行営業日）")


def review_checks(order: PaymentOrder, *, on: dt.date | None = None) -> list[ReviewCheck]:
    """The review checks of a payment order (審査項目: 適法性・予算・債務確定・支払日), in that order."""
    day = _day(on)
    return [_lawful(order), _within_budget(order), _debt_fixed(order, day), _payment_date(order, day)]


def review_queue(user: User, *, on: dt.date | None = None) -> QuerySet[PaymentOrder]:
    """Decided orders waiting for review (審査待ち), oldest payment date first; empty unless 会計管理者.

    Orders the user drafted or decided are left out: another accounting manager reviews them.
    """
    rows = PaymentOrder.objects.select_related("document", "line", "section", "encumbrance").order_by(
        "payment_date", "pk"
    )
    if not is_treasurer(user, on=on):
        return rows.none()
    waiting = rows.filter(review_status=ReviewStatus.WAITING, document__status__in=DECIDED_STATUSES)
    # 審査の独立: an order the user drafted or decided is for another accounting manager.
    return waiting.exclude(document__drafter=user).exclude(document__decided_by=user)


def may_see_batches(user: User) -> bool:
    """Whether the user may read payment batches (支払データの閲覧): 会計管理者 and 会計."""
    if not getattr(user, "is_authenticated", False):
        return False
    day = timezone.localdate()
    return is_treasurer(user, on=day) or org.has_role(user, Role.ACCOUNTING, on=day)


def batches_for(user: User) -> QuerySet[PaymentBatch]:
    """Payment batches (支払データ) the user may see: all for 会計管理者 and 会計, none otherwise."""
    rows = PaymentBatch.objects.select_related("exported_by").order_by("-payment_date", "-pk")
    return rows if may_see_batches(user) else rows.none()


def send_by(batch: PaymentBatch) -> dt.date:
    """The last day to send the batch's 全銀 file to the bank (送信期限): ``lead_days`` bank business days
    before the payment date (``settings.CITYHALL_ZENGIN["lead_days"]``; 0: the payment date itself)."""
    lead = int(str(settings.CITYHALL_ZENGIN.get("lead_days", 0)))
    return add_business_days(batch.payment_date, -lead, calendar="bank")


def send_is_late(batch: PaymentBatch, *, on: dt.date | None = None) -> bool:
    """Whether an open batch is past its sending day (送信期限超過): the bank may not pay on the date."""
    return batch.status == BatchStatus.OPEN and (on or timezone.localdate()) > send_by(batch)


def batch_detail(user: User, pk: int) -> PaymentBatch:
    """One payment batch with its orders (支払データの詳細); missing and forbidden look alike."""
    batch = batches_for(user).filter(pk=pk).first()
    if batch is None:
        raise PermissionDenied(BATCH_NOT_FOUND)
    return batch


def batch_orders(batch: PaymentBatch) -> QuerySet[PaymentOrder]:
    """The orders of a batch (支払データの内訳), by payment method and number."""
    return (
        batch.orders.select_related("document", "line", "section")
        .prefetch_related("lines__creditor", "lines__bank_account")
        .order_by("payment_method", "document__number", "pk")
    )


__all__ = [
    "PAYMENT_ORDER_TYPE",
    "ReviewCheck",
    "batch_detail",
    "batch_orders",
    "batches_for",
    "is_treasurer",
    "may_see_batches",
    "review_checks",
    "review_queue",
    "send_by",
    "send_is_late",
]
