"""Read-side of the 歳計外現金 (源泉所得税) ledger: months with balances, a month's rows, 支払調書.

Open to the 会計管理者 (who pays the tax) and, read only, to the accounting office (会計), as the
payment batches are; empty for everyone else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.finance.models import EntryKind, WithholdingEntry, WithholdingRemittance
from cityhall.finance.selectors.batches import may_see_batches
from cityhall.finance.withholding_tax import kind_name


def may_see_withholding(user: User) -> bool:
    """Whether the user may read the 歳計外現金 ledger: 会計管理者 and 会計."""
    return may_see_batches(user)


@dataclass(frozen=True)
class MonthRow:
    """One month of the ledger (徴収月): received, paid out, the balance and the payment if made."""

    month: dt.date
    received: int
    receipts: int
    paid: int
    remittance: WithholdingRemittance | None

    @property
    def balance(self) -> int:
        return self.received - self.paid


def ledger_months(user: User) -> list[MonthRow]:
    """Every month with withheld tax, latest first, with its balance (歳計外現金の月別残高)."""
    if not may_see_withholding(user):
        return []
    rows = (
        WithholdingEntry.objects.values("month")
        .annotate(
            received=Coalesce(Sum("amount", filter=Q(kind=EntryKind.RECEIPT)), 0),
            receipts=Count("pk", filter=Q(kind=EntryKind.RECEIPT)),
            paid=Coalesce(Sum("amount", filter=Q(kind=EntryKind.DISBURSEMENT)), 0),
        )
        .order_by("-month")
    )
    remittances = {r.month: r for r in WithholdingRemittance.objects.all()}
    return [
        MonthRow(
            row["month"], int(row["received"]), int(row["receipts"]), int(row["paid"]), remittances.get(row["month"])
        )
        for row in rows
    ]


def month_to_pay(user: User) -> MonthRow | None:
    """The earliest month whose withheld tax is not paid to the tax office yet (未納付の徴収月), if any."""
    waiting = [row for row in ledger_months(user) if row.remittance is None and row.balance > 0]
    return waiting[-1] if waiting else None


def ledger_balance(user: User) -> int:
    """The whole balance of the ledger (歳計外現金（源泉所得税）の現在高)."""
    return sum(row.balance for row in ledger_months(user))


def month_entries(user: User, month: dt.date) -> QuerySet[WithholdingEntry]:
    """The rows of one month (受入・払出) in date order, with the order and creditor of each receipt."""
    rows = WithholdingEntry.objects.filter(month=month.replace(day=1)).select_related(
        "creditor", "order_line__order__document", "remittance"
    )
    return rows.order_by("day", "pk") if may_see_withholding(user) else rows.none()


@dataclass(frozen=True)
class CreditorTotal:
    """One payee's withheld total in a month or a year, per 源泉区分."""

    creditor_id: int
    code: str
    name: str
    address: str
    kind: str
    paid: int
    withheld: int
    count: int

    @property
    def kind_label(self) -> str:
        return kind_name(self.kind) if self.kind else _("（区分なし）")


def _totals(rows: QuerySet[WithholdingEntry]) -> list[CreditorTotal]:
    grouped = (
        rows.filter(kind=EntryKind.RECEIPT)
        .values("creditor_id", "creditor__code", "creditor__name", "creditor__address", "withholding_kind")
        .annotate(paid=Sum("paid_amount"), withheld=Sum("amount"), count=Count("pk"))
        .order_by("creditor__code", "withholding_kind")
    )
    return [
        CreditorTotal(
            row["creditor_id"],
            row["creditor__code"],
            row["creditor__name"],
            row["creditor__address"],
            row["withholding_kind"],
            int(row["paid"]),
            int(row["withheld"]),
            int(row["count"]),
        )
        for row in grouped
    ]


def month_by_creditor(user: User, month: dt.date) -> list[CreditorTotal]:
    """A month's receipts per payee and 源泉区分."""
    return _totals(month_entries(user, month))


def statement_rows(user: User, year: int) -> list[CreditorTotal]:
    """The 支払調書 list of a calendar year (所得税法第225条): per payee and kind, paid and withheld.

    Counted by the day paid (支払の確定した日 = the payment date of the batch), 1 January – 31 December.
    """
    if not may_see_withholding(user):
        return []
    return _totals(WithholdingEntry.objects.filter(day__year=year))


__all__ = [
    "CreditorTotal",
    "MonthRow",
    "ledger_balance",
    "ledger_months",
    "may_see_withholding",
    "month_by_creditor",
    "month_entries",
    "month_to_pay",
    "statement_rows",
]
