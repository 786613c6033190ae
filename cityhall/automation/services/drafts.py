"""The payment order an accepted invoice becomes (請求書から支出命令へ): lines per tax rate, dates, charge.

One order line per tax rate of the invoice (税込 amount = taxable + tax of that rate, the tax as the
invoice states it: the 適格請求書 rounds once per rate), paid to the matched account. The payment
date is the invoice's due date, or 30 days after receipt when it has none (政府契約の支払遅延防止法
§6, applied by §14), moved to the bank business day before when it falls on a holiday, and never
before the next bank business day.
"""

from __future__ import annotations

import datetime as dt

from cityhall.automation.einvoice.jp_pint import Invoice
from cityhall.automation.services.matching import Match
from cityhall.core.japanese import format_date, next_bank_business_day, previous_bank_business_day
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders_bulk import OrderDraft

DAYS_TO_PAY = 30


def payment_date(invoice: Invoice, received: dt.date) -> dt.date:
    """The due date, or receipt + 30 days; a holiday moves it back; never before the next business day."""
    wanted = invoice.due_date or received + dt.timedelta(days=DAYS_TO_PAY)
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
        description=f"電子請求書（JP PINT）{invoice.invoice_number} 発行日 {format_date(invoice.issue_date)}"[:200],
        body="電子請求書（JP PINT）から作成した支出命令です。原本は取込結果から確認できます。",
    )
