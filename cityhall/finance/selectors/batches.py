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
from cityhall.finance.models import (
    BatchStatus,
    PaymentBatch,
    PaymentMethod,
    PaymentOrder,
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
    rows = PaymentBatch.objects.select_related("exported_by").order_by("-payment_date", "-pk")
    return rows if may_see_batches(user) else rows.none()


def batch_rows(user: User) -> QuerySet[PaymentBatch]:
    """The batches the user may see with ``order_count`` and ``order_total`` (支払額) of their orders, open or not.

    An open batch has no record count or total of its own until it is exported, so the
    list counts its orders; the sum equals the stored total of an exported batch.
    """
    return batches_for(user).annotate(order_count=Count("orders"), order_total=Sum("orders__payment_amount"))


def next_open_batch(user: User, *, on: dt.date | None = None) -> PaymentBatch | None:
    """The open batch paying soonest, today or later (次の支払日), with ``order_count`` and ``order_total``."""
    day = on or timezone.localdate()
    rows = batch_rows(user).filter(status=BatchStatus.OPEN, payment_date__gte=day)
    return rows.order_by("payment_date", "pk").first()


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
    transfer, cash = Q(payment_method=PaymentMethod.TRANSFER), Q(payment_method=PaymentMethod.CASH)
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
