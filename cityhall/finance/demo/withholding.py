"""Demo 源泉所得税 payments (歳計外現金の払出): each past month's withheld tax paid to the tax office on the 10th.

The withheld tax of the demo's paid batches (the lecturers' fees, 講演料) is already in the ledger,
received when ``demo.payment_orders`` marked the batches paid. Here every month that is over gets its
payment, made by the 会計管理者 on the due date (翌月10日, or the next business day), or today when
that is still ahead. A month already paid is left alone, so a second run makes nothing.
"""

from __future__ import annotations

from cityhall.accounts.models import User
from cityhall.finance.demo.budget import DemoCity
from cityhall.finance.demo.payment_orders import TREASURER
from cityhall.finance.models import EntryKind, WithholdingEntry, WithholdingRemittance
from cityhall.finance.services.withholding import due_date, month_balance, next_month, withholding_remit


def seed_withholding(city: DemoCity) -> int:
    """Pay every finished month's withheld tax (源泉所得税の納付); returns the number of payments made."""
    treasurer = User.objects.filter(username=TREASURER).first()
    if treasurer is None:
        return 0
    months = WithholdingEntry.objects.filter(kind=EntryKind.RECEIPT).values_list("month", flat=True).distinct()
    paid = set(WithholdingRemittance.objects.values_list("month", flat=True))
    made = 0
    for month in sorted(set(months) - paid):
        if next_month(month) > city.today or month_balance(month)[0] <= 0:
            continue
        withholding_remit(actor=treasurer, month=month, on=min(due_date(month), city.today))
        made += 1
    return made
