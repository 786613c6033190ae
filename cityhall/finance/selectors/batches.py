"""Read-side of payment batches (支払データの参照): who sees them, their orders and totals, the day to send the file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.errors import PermissionDenied
from cityhall.core.japanese.business_days import add_business_days
from cityhall.documents.models import DECIDED_STATUSES
from cityhall.finance.models import (
    BatchStatus,
    PaymentBatch,
    PaymentMethod,
    PaymentOrder,
    ReviewStatus,
)
from cityhall.finance.selectors.budget import is_treasurer
from cityhall.org import selectors as org
from cityhall.org.models import Role

BATCH_NOT_FOUND = "支払データが見つかりません。"


def may_see_batches(user: User) -> bool:
    """Whether the user may read payment batches (支払データの閲覧): 会計管理者 and 会計."""
    if not getattr(user, "is_authenticated", False):
        return False
    day = timezone.localdate()
    return is_treasurer(user, on=day) or org.has_role(user, Role.ACCOUNTING, on=day)


def batches_for(user: User) -> QuerySet[PaymentBatch]:
    """Payment batches (支払データ) the user may see: all for 会計管理者 and 会計, none otherwise."""
    rows = PaymentBatch.objects.select_related("exported_by", "account").order_by(
        "-payment_date", "account__sort_order", "account__code", "-fiscal_year", "-pk"
    )
    return rows if may_see_batches(user) else rows.none()


def batch_rows(user: User) -> QuerySet[PaymentBatch]:
    """The batches the user may see with ``order_count`` and ``order_total`` (支払額) of their orders, open or not.

    An open batch has no record count or total of its own until it is exported, so the
    list counts its orders; the sum equals the stored total of an exported batch.
    """
    return batches_for(user).annotate(order_count=Count("orders"), order_total=Sum("orders__payment_amount"))


@dataclass(frozen=True)
class NextPayment:
    """The next payment date (次の支払日) and what is to be paid on it: approved (審査済) and waiting (審査待ち)."""

    date: dt.date
    approved_orders: int
    approved_total: int
    waiting_orders: int
    waiting_total: int
    batch_id: int | None


def next_payment(user: User, *, on: dt.date | None = None) -> NextPayment | None:
    """For the 会計管理者 and 会計: the earliest payment date from today of decided orders not yet paid or exported.

    Approved orders are in the open batches of their date (one per 会計 and 年度); decided
    orders waiting for review will join them when approved. Both are counted, separately,
    in one query. ``batch_id`` is the date's open batch when it has exactly one.
    """
    if not may_see_batches(user):
        return None
    day = on or timezone.localdate()
    approved = Q(review_status=ReviewStatus.APPROVED, batch__status=BatchStatus.OPEN)
    waiting = Q(review_status=ReviewStatus.WAITING, document__status__in=DECIDED_STATUSES)
    rows = PaymentOrder.objects.filter(approved | waiting, payment_date__gte=day)
    first = rows.order_by("payment_date").values_list("payment_date", flat=True).first()
    if first is None:
        return None
    figures = rows.filter(payment_date=first).aggregate(
        approved_orders=Count("pk", filter=approved),
        approved_total=Sum("payment_amount", filter=approved),
        waiting_orders=Count("pk", filter=waiting),
        waiting_total=Sum("payment_amount", filter=waiting),
    )
    # The date's open batch; none when the date has several (one per 会計 and 年度): the list shows them all.
    batches = list(
        PaymentBatch.objects.filter(payment_date=first, status=BatchStatus.OPEN).values_list("pk", flat=True)[:2]
    )
    batch_id = batches[0] if len(batches) == 1 else None
    return NextPayment(first, **{k: int(v or 0) for k, v in figures.items()}, batch_id=batch_id)


def send_by_date(payment_date: dt.date) -> dt.date:
    """The last day to send the 全銀 file paying on ``payment_date`` (送信期限): ``lead_days`` bank business days
    before it (``settings.CITYHALL_ZENGIN["lead_days"]``; 0: the payment date itself)."""
    lead = int(str(settings.CITYHALL_ZENGIN.get("lead_days", 0)))
    return add_business_days(payment_date, -lead, calendar="bank")


def send_by(batch: PaymentBatch) -> dt.date:
    """The last day to send the batch's 全銀 file to the bank (送信期限, ``send_by_date`` of its payment date)."""
    return send_by_date(batch.payment_date)


def send_is_late(batch: PaymentBatch, *, on: dt.date | None = None) -> bool:
    """Whether an open batch is past its sending day (送信期限超過): the bank may not pay on the date."""
    return batch.status == BatchStatus.OPEN and (on or timezone.localdate()) > send_by(batch)


@dataclass(frozen=True)
class BatchTotals:
    """A batch's orders by payment method: 口座振込 (in the 全銀 file) and 窓口払 (not in it), count and yen."""

    transfer_orders: int
    transfer_total: int
    cash_orders: int
    cash_total: int


def batch_totals(batch: PaymentBatch) -> BatchTotals:
    """The batch's transfer and cash figures (支払額, after withholding) in one query."""
    # Only 口座振込 is written into the file; every other method (窓口払, 資金前渡, 口座振替, 公金振替) is outside it.
    transfer = Q(payment_method=PaymentMethod.TRANSFER)
    cash = ~transfer
    row = PaymentOrder.objects.filter(batch=batch).aggregate(
        transfer_orders=Count("pk", filter=transfer),
        transfer_total=Sum("payment_amount", filter=transfer),
        cash_orders=Count("pk", filter=cash),
        cash_total=Sum("payment_amount", filter=cash),
    )
    return BatchTotals(**{key: int(value or 0) for key, value in row.items()})


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
