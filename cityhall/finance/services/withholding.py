"""歳計外現金 (源泉所得税): receipts when an order is paid, the month's payment to the tax office.

* ``withholding_receive`` (受入) runs inside ``batch_mark_paid``'s transaction: every line of the
  batch's orders with a withholding becomes one receipt of the month of the payment date
  (徴収月: the tax is withheld when the fee is paid, 所得税法第204条第1項). A line is received once.
* ``withholding_remit`` (払出) makes the month's payment to the tax office (源泉所得税の納付): the
  month's balance, due on the 10th of the next month (所得税法第204条第1項; 給与 第183条第1項), moved to
  the next business day when the 10th is a Saturday, Sunday or holiday (国税通則法第10条第2項).
  One payment per month; a month with nothing withheld has none.

The payment is a record of its own, not a budget payment order (支出命令): withheld tax is
歳計外現金, not the city's expenditure, so it charges no budget line and needs no
支出負担行為; the 会計管理者 pays it out of the cash they keep (地方自治法第235条の4第2項,
施行令第168条の7) on the 納付書 of the tax office. It is audited like every finance write.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum

from cityhall.core.audit import record, snapshot
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.finance.models import (
    BatchStatus,
    EntryKind,
    PaymentBatch,
    PaymentOrderLine,
    WithholdingEntry,
    WithholdingRemittance,
)
from cityhall.finance.selectors.withholding import may_see_withholding, statement_rows
from cityhall.finance.services._common import NO_PERMISSION, require_treasurer, require_user, today
from cityhall.finance.withholding_tax import due_date, month_label, month_of, next_month

NOTHING_WITHHELD = "{month}に源泉徴収した額（歳計外現金の残高）がないため、納付は作成しません。"


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(text: str) -> dt.date | None:
    """「2026-11」 → 2026-11-01; None for anything else."""
    match = _MONTH.match((text or "").strip())
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return dt.date(year, month, 1)


def withholding_receive(*, actor: Any, batch: PaymentBatch) -> int:
    """Receive the withheld tax of a batch being paid (歳計外現金の受入); inside the caller's transaction.

    Called by ``batch_mark_paid`` with the batch locked; returns the number of lines received.
    """
    lines = (
        PaymentOrderLine.objects.filter(order__batch=batch, withholding__gt=0, withholding_entry__isnull=True)
        .select_related("order")
        .order_by("order_id", "position")
    )
    month = month_of(batch.payment_date)
    entries = [
        WithholdingEntry(
            kind=EntryKind.RECEIPT,
            day=batch.payment_date,
            month=month,
            amount=line.withholding,
            order_line=line,
            batch=batch,
            creditor_id=line.creditor_id,
            withholding_kind=line.withholding_kind,
            paid_amount=line.amount,
            recorded_by=actor,
        )
        for line in lines
    ]
    if not entries:
        return 0
    WithholdingEntry.objects.bulk_create(entries)
    record(
        actor=actor,
        action="finance.withholding.receive",
        obj=batch,
        after={
            "month": month.isoformat(),
            "lines": [entry.order_line_id for entry in entries],
            "amount": sum(entry.amount for entry in entries),
        },
    )
    return len(entries)


def month_balance(month: dt.date) -> tuple[int, int]:
    """(balance, receipts) of a month: received − paid out, and the number of lines received."""
    rows = WithholdingEntry.objects.filter(month=month)
    received = rows.filter(kind=EntryKind.RECEIPT)
    paid = rows.filter(kind=EntryKind.DISBURSEMENT).aggregate(total=Sum("amount"))["total"] or 0
    total = received.aggregate(total=Sum("amount"))["total"] or 0
    return int(total) - int(paid), received.count()


def _check_month(month: Any, day: dt.date) -> dt.date:
    if not isinstance(month, dt.date) or isinstance(month, dt.datetime):
        raise ValidationFailed("徴収月を入力してください（例: 2026-11）。", field="month")
    month = month_of(month)
    if next_month(month) > day:
        raise ValidationFailed(
            f"{month_label(month)}の源泉所得税は、その月が終わってから納付します（翌月10日まで、所得税法第204条第1項）。",
            field="month",
        )
    return month


def _check_batches_paid(month: dt.date) -> None:
    """Every batch of the month that withholds is paid (支払済): else its tax would miss the payment."""
    unpaid = (
        PaymentBatch.objects.filter(
            payment_date__gte=month,
            payment_date__lt=next_month(month),
            orders__lines__withholding__gt=0,
        )
        .exclude(status=BatchStatus.PAID)
        .order_by("payment_date")
        .first()
    )
    if unpaid is not None:
        raise ValidationFailed(
            f"{month_label(month)}には支払済になっていない支払データ（支払日 {unpaid.payment_date:%Y年%m月%d日}、"
            f"{unpaid.get_status_display()}）に源泉徴収があります。支払済にしてから納付を作成してください。",
            field="month",
        )


def withholding_remit(*, actor: Any, month: dt.date, on: dt.date | None = None) -> WithholdingRemittance:
    """Pay a month's withheld tax to the tax office (源泉所得税の納付・歳計外現金の払出), due on the 10th.

    ``month`` is any day of the month of withholding; ``on`` the day of the act (today in Japan).
    Refused for a month not yet over, a month already paid and a month with nothing withheld.
    """
    day = today(on)
    actor = require_treasurer(actor, on=day)
    month = _check_month(month, day)
    try:
        with transaction.atomic(durable=True):
            # Lock the month's ledger rows first: a second payment waits here and then sees the first
            # one (on PostgreSQL a lock on a missing remittance row locks nothing, and it would read the
            # balance as already paid out). Receipts are written under the batch lock; the unique month
            # is the last guard.
            list(WithholdingEntry.objects.select_for_update().filter(month=month).values_list("pk", flat=True))
            existing = WithholdingRemittance.objects.select_for_update().filter(month=month).first()
            if existing is not None:
                raise Conflict(
                    f"{month_label(month)}の源泉所得税は既に納付を作成しています"
                    f"（納期限 {existing.due_date:%Y年%m月%d日}、{existing.amount:,}円）。"
                    "同じ月の納付は1回です（所得税法第204条第1項）。",
                    field="month",
                )
            _check_batches_paid(month)
            balance, count = month_balance(month)
            if balance <= 0:
                raise ValidationFailed(NOTHING_WITHHELD.format(month=month_label(month)), field="month")
            remittance = WithholdingRemittance.objects.create(
                month=month, due_date=due_date(month), amount=balance, line_count=count, created_by=actor
            )
            WithholdingEntry.objects.create(
                kind=EntryKind.DISBURSEMENT,
                day=max(day, remittance.due_date),  # dated the 納期限 (later only when made late)
                month=month,
                amount=balance,
                remittance=remittance,
                recorded_by=actor,
            )
            record(actor=actor, action="finance.withholding.remit", obj=remittance, after=snapshot(remittance))
    except IntegrityError:
        raise Conflict(
            f"{month_label(month)}の源泉所得税の納付は、同時に作成されました。一覧を確かめてください。", field="month"
        ) from None
    return remittance


def withholding_statements(*, actor: Any, year: Any) -> bytes:
    """The year's 支払調書 list as Excel (所得税法第225条); each download is audited (names and addresses)."""
    actor = require_user(actor)
    if not may_see_withholding(actor):
        raise PermissionDenied(NO_PERMISSION)
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationFailed(f"年（西暦）を正しく入力してください（入力: 「{year}」）。", field="year")
    rows = statement_rows(actor, year)
    # openpyxl is loaded for a download, not when a process starts (it costs a fifth of a second).
    from cityhall.finance.withholding_excel import statements_workbook

    content = statements_workbook(year, rows)
    with transaction.atomic(durable=True):
        record(
            actor=actor,
            action="finance.withholding.statements",
            obj=None,
            after={"year": year, "payees": len(rows), "withheld": sum(row.withheld for row in rows)},
        )
    return content


__all__ = [
    "due_date",
    "month_balance",
    "month_of",
    "parse_month",
    "withholding_receive",
    "withholding_remit",
    "withholding_statements",
]
