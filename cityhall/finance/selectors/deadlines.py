"""Payment deadlines (支払期限) under the 政府契約の支払遅延防止法.

§6①: the price is paid within 40 days (工事代金) or 30 days (other 給付) from the day a proper
invoice (適法な支払請求) was received; §14 applies §6 to 地方公共団体; §8 makes a late payment
bear interest (遅延利息). The day counting follows the Civil Code (初日不算入): an invoice received
on 1 April is due by 1 May (30 days) or 11 May (40 days). Which budget 節 are 工事 is a per-city
setting (``CITYHALL_WORKS_SETSU``, default 14 工事請負費).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from cityhall.finance.models import PaymentOrder

WORKS_DAYS = 40
OTHER_DAYS = 30
SOON_DAYS = 7
"""Within this many days of its deadline an order is listed as close to it (期限間近)."""


@dataclass(frozen=True)
class PaymentDeadline:
    """The legal deadline of one order, and where today stands against it."""

    due: dt.date
    days: int
    works: bool
    days_left: int
    payment_date: dt.date

    @property
    def paid_late(self) -> bool:
        """The order's payment date is after the deadline (遅延利息の対象)."""
        return self.payment_date > self.due

    @property
    def days_overdue(self) -> int:
        """How many days the deadline has passed today (0 before it)."""
        return max(0, -self.days_left)

    @property
    def state(self) -> str:
        """「late」 past the deadline today or on the payment date, 「soon」 within ``SOON_DAYS``, else 「ok」."""
        if self.days_left < 0 or self.paid_late:
            return "late"
        return "soon" if self.days_left <= SOON_DAYS else "ok"


def is_works(order: PaymentOrder) -> bool:
    """Whether the order pays for 工事 (its budget 節 is one of ``CITYHALL_WORKS_SETSU``)."""
    setsu = order.line.setsu
    return setsu is not None and setsu.code in settings.CITYHALL_WORKS_SETSU


def payment_deadline(order: PaymentOrder, *, on: dt.date | None = None) -> PaymentDeadline | None:
    """The order's legal payment deadline; None until the invoice's receipt day is entered."""
    if order.invoice_received_on is None:
        return None
    works = is_works(order)
    days = WORKS_DAYS if works else OTHER_DAYS
    due = order.invoice_received_on + dt.timedelta(days=days)
    today = on or timezone.localdate()
    return PaymentDeadline(due, days, works, (due - today).days, order.payment_date)
