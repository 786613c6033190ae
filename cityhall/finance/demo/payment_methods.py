"""The demo's 資金前渡 (令161条): an advance for a conference, paid, then settled with a ¥3,000 戻入.

A member of a section that has a 旅費 line receives ¥50,000 in cash for a conference; the
order is decided, reviewed by the 会計管理者 and paid (no 全銀 record: not a transfer); two
weeks later it is settled at ¥47,000 with two receipts and ¥3,000 comes back (戻入), which the
execution report shows in its 戻入額 column. Made once per year; skipped when the year is too
young for the payment and settlement to be in the past.
"""

from __future__ import annotations

import datetime as dt

from cityhall.accounts.models import User
from cityhall.core.japanese import next_bank_business_day, previous_bank_business_day
from cityhall.core.japanese.business_days import business_day_on_or_before
from cityhall.finance.demo import engine
from cityhall.finance.demo.budget import DemoCity
from cityhall.finance.demo.data import GENERAL_ACCOUNT
from cityhall.finance.demo.encumbrances import drafter_of
from cityhall.finance.models import Allotment, Creditor, OrderKind, PaymentMethod, PaymentOrder
from cityhall.finance.selectors.payment_orders import inspector_candidates
from cityhall.finance.services.batches import batch_export, batch_mark_paid
from cityhall.finance.services.payment_methods import ReceiptInput, order_settle
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders import payment_order_draft
from cityhall.finance.services.review import order_review_approve

TREASURER = "demo-kaikei"
ORGANISER = "D0028"  # 株式会社首都IT研修センター
ADVANCE = 50_000
SPENT = (("参加費（2名分）", 40_000), ("資料代", 7_000))
DAYS_BEFORE_TODAY = 40
SETTLED_AFTER = 14


def seed_advance(city: DemoCity) -> int:
    """The year's 資金前渡 with its 精算 and 戻入; 1 when made, 0 when present or not possible."""
    orders = PaymentOrder.objects.filter(section__municipality_id=city.town_id, fiscal_year=city.fiscal_year)
    if orders.filter(payment_method=PaymentMethod.ADVANCE).exists():
        return 0
    day = business_day_on_or_before(city.today - dt.timedelta(days=DAYS_BEFORE_TODAY))
    if day < city.start + dt.timedelta(days=7):
        return 0
    allotment = (
        Allotment.objects.filter(
            line__fiscal_year=city.fiscal_year,
            line__account__code=GENERAL_ACCOUNT,
            line__setsu__name="旅費",
            section__municipality_id=city.town_id,
        )
        .select_related("section", "line")
        .order_by("section__code", "pk")
        .first()
    )
    organiser = Creditor.objects.filter(code=ORGANISER).first()
    treasurer = User.objects.filter(username=TREASURER).first()
    if allotment is None or organiser is None or treasurer is None:
        return 0
    drafter = drafter_of(allotment.section, city.start, city.today)
    if drafter is None:
        return 0
    colleagues = list(inspector_candidates(drafter, on=day).exclude(pk=drafter.pk)[:2])
    if len(colleagues) < 2:
        return 0
    holder, inspector = colleagues
    pay = next_bank_business_day(day + dt.timedelta(days=3))
    order = payment_order_draft(
        actor=drafter,
        title="全国自治体会計実務研修会の参加費の資金前渡について",
        kind=OrderKind.COMBINED,
        lines=[OrderLineInput(creditor=organiser, amount=ADVANCE, description="研修会参加費・資料代（2名分）")],
        payment_date=pay,
        line=allotment.line,
        payment_method=PaymentMethod.ADVANCE,
        advance_holder=holder,
        inspection_date=day,
        inspector=inspector,
        invoice_received_on=day,
        description="全国自治体会計実務研修会（東京）の参加費・資料代",
        on=day,
    )
    engine.advance(engine.submit(drafter, order.document, day), None, day)
    batch = order_review_approve(actor=treasurer, order=PaymentOrder.objects.get(pk=order.pk), on=day).batch
    if batch is None:
        return 0
    batch_export(actor=treasurer, batch=batch, on=max(day, previous_bank_business_day(pay)))
    batch_mark_paid(actor=treasurer, batch=batch, on=pay)
    order_settle(
        actor=holder,
        order=order,
        actual=sum(amount for _, amount in SPENT),
        receipts=[ReceiptInput(text, amount) for text, amount in SPENT],
        note="研修会終了後の精算（残額は戻入）",
        on=min(pay + dt.timedelta(days=SETTLED_AFTER), city.today),
    )
    return 1
