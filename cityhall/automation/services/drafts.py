"""The payment orders accepted invoices become (請求書から支出命令へ): grouped, lines per tax rate, dates.

Invoices charged alike are grouped into one decision document (``group_drafts``): those of one
encumbrance and payment date into one 支出命令, those on one default line and payment date into one
支出負担行為兼支出命令 (one supplier) or 集合支出命令 (several, on a 節 that allows it), at most
``MAX_ORDER_LINES`` lines each, so the section approves a few documents instead of one per invoice.
Each invoice gives one order line per tax rate (税込 amount = taxable + tax of that rate, the tax as the
invoice states it: the 適格請求書 rounds once per rate), paid to the matched account. The payment
date is the invoice's due date, or 30 days after receipt when it has none (政府契約の支払遅延防止法
§6, applied by §14), moved to the bank business day before when it falls on a holiday, and never
before the next bank business day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from cityhall.automation.einvoice.jp_pint import Invoice
from cityhall.automation.services.matching import Match
from cityhall.core.japanese import format_date, format_yen, next_bank_business_day, previous_bank_business_day
from cityhall.finance.services.payment_order_checks import MAX_ORDER_LINES, OrderLineInput
from cityhall.finance.services.payment_orders_bulk import OrderDraft

DAYS_TO_PAY = 30


def payment_date(invoice: Invoice, received: dt.date) -> dt.date:
    """The due date, or receipt + 30 days; a holiday moves it back; never before the next business day."""
    return _payment_day(invoice.due_date or received + dt.timedelta(days=DAYS_TO_PAY), received)


@lru_cache(maxsize=1024)
def _payment_day(wanted: dt.date, received: dt.date) -> dt.date:
    # A year's invoices share a few dozen due dates: the bank calendar is asked once for each.
    day = previous_bank_business_day(wanted + dt.timedelta(days=1))
    return max(day, next_bank_business_day(received))


def lines_total(invoice: Invoice) -> int:
    """What the order's lines add up to: taxable plus tax of every rate (税込合計)."""
    return sum(int(part.taxable_amount + part.tax_amount) for part in invoice.tax_subtotals)


def _lines(invoice: Invoice, match: Match) -> list[OrderLineInput]:
    lines = []
    for part in invoice.tax_subtotals:
        rate = int(part.tax_percent or 0)
        amount = int(part.taxable_amount + part.tax_amount)
        if amount <= 0:
            continue
        lines.append(
            OrderLineInput(
                creditor=match.creditor,
                amount=amount,
                tax_rate=rate if rate in (8, 10) else 0,
                tax_amount=int(part.tax_amount),
                bank_account=match.account,
                description=f"請求書 {invoice.invoice_number}（{rate}%対象）"[:100],
            )
        )
    return lines


@dataclass(frozen=True)
class Group:
    """Invoices drafted as one order: their positions in the import and the draft."""

    members: tuple[int, ...]
    draft: OrderDraft


Ready = tuple[int, Invoice, Match]  # position in the import, invoice, what it matched


def _key(invoice: Invoice, match: Match, received: dt.date) -> tuple[str, int, dt.date]:
    pay = payment_date(invoice, received)
    if match.encumbrance is not None:
        return ("linked", match.encumbrance.pk, pay)
    assert match.line is not None
    return ("line", match.line.pk, pay)


def _chunks(members: list[Ready]) -> list[list[Ready]]:
    """Members cut so that no order has more than ``MAX_ORDER_LINES`` lines."""
    chunks: list[list[Ready]] = [[]]
    lines = 0
    for member in members:
        size = len(member[1].tax_subtotals)
        if chunks[-1] and lines + size > MAX_ORDER_LINES:
            chunks.append([])
            lines = 0
        chunks[-1].append(member)
        lines += size
    return [c for c in chunks if c]


def group_draft(members: list[Ready], received: dt.date) -> Group:
    """One order for invoices charged alike: 支出命令, 兼 (one supplier) or 集合支出命令 (several)."""
    if len(members) == 1:
        position, invoice, match = members[0]
        return Group((position,), order_draft(str(position), invoice, match, received))
    _position, first, match = members[0]
    suppliers = {m.creditor.pk for _p, _i, m in members}
    kind = "linked" if match.encumbrance is not None else "combined" if len(suppliers) == 1 else "collective"
    pay = payment_date(first, received)
    total = sum(int(i.totals.payable_amount) for _p, i, _m in members)
    listed = "\n".join(
        f"{i.invoice_number} {i.seller_name} {format_yen(int(i.totals.payable_amount))}" for _p, i, _m in members
    )
    draft = OrderDraft(
        key=str(members[0][0]),
        title=f"請求書{len(members)}件の支払について（{format_date(pay)}支払）"[:200],
        kind=kind,
        lines=[line for _p, i, m in members for line in _lines(i, m)],
        payment_date=pay,
        line=match.line,
        encumbrance=match.encumbrance,
        invoice_received_on=received,
        description=f"請求書{len(members)}件の一括起案（計 {format_yen(total)}）"[:200],
        body=f"取り込んだ請求書から作成した支出命令です。原本は取込結果から確認できます。\n{listed}",
    )
    return Group(tuple(p for p, _i, _m in members), draft)


def group_drafts(ready: list[Ready], received: dt.date) -> list[Group]:
    """The orders of an import: invoices grouped by what they are charged to and their payment date."""
    buckets: dict[tuple[str, int, dt.date], list[Ready]] = defaultdict(list)
    for item in ready:
        buckets[_key(item[1], item[2], received)].append(item)
    return [group_draft(chunk, received) for members in buckets.values() for chunk in _chunks(members)]


def order_draft(key: str, invoice: Invoice, match: Match, received: dt.date) -> OrderDraft:
    """The ``OrderDraft`` of an accepted invoice: linked to its encumbrance, or 兼 on the default line."""
    return OrderDraft(
        key=key,
        title=f"{invoice.seller_name} 請求書 {invoice.invoice_number} の支払について"[:200],
        kind="linked" if match.encumbrance is not None else "combined",
        lines=_lines(invoice, match),
        payment_date=payment_date(invoice, received),
        line=match.line,
        encumbrance=match.encumbrance,
        invoice_received_on=received,
        description=f"請求書 {invoice.invoice_number} 発行日 {format_date(invoice.issue_date)}"[:200],
        body="取り込んだ請求書から作成した支出命令です。原本は取込結果から確認できます。",
    )
