"""A year of payment orders (支出命令) in the demo city, reviewed and paid, through the real services.

The year is played in date order (an event queue), so that document numbers
follow the dates: each encumbrance (``demo.encumbrances``) is drafted on its day,
and once decided it schedules its payment orders two to six weeks later (two
partial orders for a unit-price contract). Beside them run the monthly bills
paid as 支出負担行為兼支出命令 (electricity, gas, water, network, school-lunch
food at the reduced 8 % rate, the employer's 共済費), the 公債費 repayment in September and one
集合支出命令 (lecturers' fees to three people, with withholding).

Orders older than ten days are decided and reviewed the next day by the
会計管理者 (demo-kaikei), joining the payment batch of their payment date (the
15th and the last bank business day of each month); one is returned (返付).
Past batches are exported as 全銀 files the business day before and marked
paid (支払済); the coming ones stay open for demo-kaikei to export. Recent
orders are left waiting for review, in circulation, sent back, refused (却下),
withdrawn or drafted; contracts paid in full a month ago are closed (完結).
"""

from __future__ import annotations

import calendar
import datetime as dt
import heapq
import random
from dataclasses import dataclass, field

from django.db.models import Sum

from cityhall.accounts.models import User
from cityhall.core.japanese import previous_bank_business_day
from cityhall.core.japanese.business_days import business_day_on_or_after, business_day_on_or_before
from cityhall.documents.models import DECIDED_STATUSES as DECIDED
from cityhall.documents.models import DocumentStatus
from cityhall.finance.demo import engine as engine
from cityhall.finance.demo.budget import DemoCity, LineKey, line_keys
from cityhall.finance.demo.encumbrances import Planned, drafter_of, make_encumbrance, plan_encumbrances, round_amount
from cityhall.finance.models import (
    Allotment,
    BatchStatus,
    BudgetLine,
    Creditor,
    Encumbrance,
    OrderKind,
    PaymentBatch,
    PaymentOrder,
)
from cityhall.finance.selectors.payment_orders import inspector_candidates
from cityhall.finance.services.batches import batch_export, batch_mark_paid
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders import payment_order_draft
from cityhall.finance.services.review import order_review_approve, order_review_return

TREASURER = "demo-kaikei"
RECENT_DAYS = 10  # orders younger than this are still on their way (not yet reviewed)
# Taken in turn; the demo year has at least six recent orders, so each state here appears.
RECENT_STATES = ("decided", "circulating", "sent_back", "withdrawn", "draft", "rejected", "circulating", "decided")
RETURNED = 5  # the n-th order to be reviewed is returned (返付)
RETURN_REASON = "請求書の金額と支出命令額が一致しないため、請求書を確認のうえ改めて起案してください。"
SEND_BACK_COMMENT = "検収調書を添付してください。"
REJECT_COMMENT = "同じ請求に対する支出命令が既に決裁されているため、却下します。"
WITHDRAW_REASON = "請求書の再発行を受けて起案し直すため"
CLOSE_AFTER_DAYS = 30  # a contract paid in full this long ago is closed (完結) by its drafter


@dataclass(frozen=True)
class Bill:
    """A monthly bill paid as 支出負担行為兼支出命令: who pays it from which line, to whom, at what rate."""

    section: str
    line: LineKey
    creditor: str
    title: str
    tax_rate: int = 10
    share: float = 1 / 16  # of the allotment, each month


BILLS: tuple[Bill, ...] = (
    Bill("契約管財課", ("2", "1", "5", "10"), "D0003", "庁舎の電気料金（{month}月分）"),
    Bill("清掃センター", ("4", "2", "3", "10"), "D0004", "清掃センターのガス料金（{month}月分）", share=1 / 30),
    Bill("教育総務課", ("10", "2", "1", "10"), "D0005", "小学校の水道料金（{month}月分）", share=1 / 40),
    Bill("情報政策課", ("2", "1", "7", "11"), "D0006", "庁内ネットワーク回線使用料（{month}月分）"),
    Bill("学務課", ("10", "5", "3", "10"), "D0037", "学校給食用食材の購入（{month}月分）", tax_rate=8, share=1 / 30),
    Bill("人事課", ("2", "1", "1", "4"), "D0031", "職員共済組合負担金（{month}月分）", tax_rate=0, share=1 / 12),
)
DEBT = (("12", "1", "1", "22"), ("12", "1", "2", "22"))  # 公債費 元金・利子, paid to the lender in September
DEBT_CREDITOR = "D0032"
COLLECTIVE = ("生涯学習課", ("10", "4", "1", "7"), ("D0034", "D0035", "D0036"), 30_000)


@dataclass(frozen=True)
class OrderPlan:
    """One payment order to make and how far along it goes (paid, decided, circulating …)."""

    day: dt.date
    drafter: User
    kind: str
    title: str
    lines: tuple[OrderLineInput, ...]
    state: str
    encumbrance: Encumbrance | None = None
    line: LineKey | None = None


@dataclass(order=True)
class _Event:
    day: dt.date
    seq: int
    payload: Planned | OrderPlan = field(compare=False)


@dataclass
class Year:
    """The demo year being played: the queue of events and what it has made."""

    city: DemoCity
    creditors: dict[str, Creditor]
    lines: dict[LineKey, BudgetLine] = field(default_factory=dict)
    queue: list[_Event] = field(default_factory=list)
    seq: int = 0
    recent: int = 0
    reviewed: int = 0
    encumbrances: int = 0
    orders: int = 0

    def push(self, day: dt.date, payload: Planned | OrderPlan) -> None:
        """Queue something to do on ``day`` (same-day events keep their arrival order)."""
        self.seq += 1
        heapq.heappush(self.queue, _Event(day, self.seq, payload))

    def state(self, day: dt.date) -> str:
        """Old orders are paid; recent ones take the recent states in turn."""
        if day <= self.city.today - dt.timedelta(days=RECENT_DAYS):
            return "paid"
        self.recent += 1
        return RECENT_STATES[(self.recent - 1) % len(RECENT_STATES)]


def pay_day(after: dt.date) -> dt.date:
    """The city's next payment date (支払日) on or after ``after``: the 15th or the month's last bank business day."""
    year, month = after.year, after.month
    while True:
        last = calendar.monthrange(year, month)[1]
        for day in (15, last):
            candidate = business_day_on_or_before(dt.date(year, month, day))
            if candidate >= after:
                return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _tax_rate(encumbrance: Encumbrance) -> int:
    """Consumption tax: none on grants, allowances and compensation (不課税), 10 % on the rest."""
    setsu = encumbrance.line.setsu
    return 0 if setsu is not None and setsu.code in ("18", "19", "21") else 10


def _linked(year: Year, encumbrance: Encumbrance) -> None:
    """Schedule the payment orders of a decided encumbrance (two parts for a unit-price contract)."""
    document = encumbrance.document
    rng = random.Random(f"finance-demo-order-{document.number_label}")
    parts = (0.45, 0.4) if encumbrance.unit_price else (1.0,)
    day = document.drafted_on
    for n, part in enumerate(parts):
        day += dt.timedelta(days=rng.randint(14, 40))
        if day >= year.city.today:
            return
        amount = encumbrance.amount if len(parts) == 1 else round_amount(int(encumbrance.amount * part))
        suffix = f"（第{n + 1}回）" if len(parts) > 1 else ""
        line = OrderLineInput(creditor=encumbrance.creditor, amount=amount, tax_rate=_tax_rate(encumbrance))
        year.push(
            day,
            OrderPlan(
                day=day,
                drafter=document.drafter,
                kind=OrderKind.LINKED,
                title=f"{document.title.removesuffix('について')}に係る支出について{suffix}",
                lines=(line,),
                state=year.state(day),
                encumbrance=encumbrance,
            ),
        )


def _allotment_of(year: Year, section: str, key: LineKey) -> tuple[User, Allotment] | None:
    unit = year.city.sections.get(section)
    line = year.lines.get(key)
    if unit is None or line is None:
        return None
    drafter = drafter_of(unit, year.city.start, year.city.today)
    allotment = Allotment.objects.filter(line=line, section=unit).first()
    return (drafter, allotment) if drafter is not None and allotment is not None else None


def _bills(year: Year) -> None:
    """Every past month's bills, as 支出負担行為兼支出命令 on the 10th (or the next business day)."""
    city = year.city
    for bill in BILLS:
        found = _allotment_of(year, bill.section, bill.line)
        if found is None:
            continue
        drafter, allotment = found
        monthly = allotment.amount * bill.share
        month = city.start
        while True:
            month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            day = business_day_on_or_after(month.replace(day=10))
            if day >= city.today:
                break
            billed = (month - dt.timedelta(days=1)).month
            amount = round_amount(int(monthly * (0.85 + 0.03 * ((billed * 7) % 10))))  # seasons differ
            if amount <= 0:
                break
            line = OrderLineInput(creditor=year.creditors[bill.creditor], amount=amount, tax_rate=bill.tax_rate)
            year.push(
                day,
                OrderPlan(
                    day=day,
                    drafter=drafter,
                    kind=OrderKind.COMBINED,
                    title=f"{bill.title.format(month=billed)}の支出について",
                    lines=(line,),
                    state=year.state(day),
                    line=bill.line,
                ),
            )


def _debt_and_fees(year: Year) -> None:
    """公債費 (元金・利子) on 25 September, and one 集合支出命令 of lecturers' fees six weeks ago."""
    city = year.city
    day = business_day_on_or_before(dt.date(city.start.year, 9, 25))
    for key in DEBT:
        found = _allotment_of(year, "財政課", key)
        if found is None or day >= city.today:
            continue
        drafter, allotment = found
        amount = round_amount(allotment.amount // 2)
        what = "元金" if key[2] == "1" else "利子"
        line = OrderLineInput(creditor=year.creditors[DEBT_CREDITOR], amount=amount, tax_rate=0)
        year.push(
            day,
            OrderPlan(
                day, drafter, OrderKind.COMBINED, f"市債の償還（{what}）について", (line,), year.state(day), line=key
            ),
        )
    section, key, codes, fee = COLLECTIVE
    found = _allotment_of(year, section, key)
    day = business_day_on_or_after(city.day(42))
    if found is None or day >= city.today:
        return
    lines = tuple(
        OrderLineInput(
            creditor=year.creditors[code],
            amount=fee,
            withholding_kind="manuscript",  # 講演料: 10.21 % computed by the service (所得税法第204条第1項第1号)
            description="市民講座の講師謝礼",
        )
        for code in codes
    )
    year.push(
        day, OrderPlan(day, found[0], OrderKind.COLLECTIVE, "市民講座講師謝礼の支出について", lines, "paid", line=key)
    )


def _inspector(plan: OrderPlan) -> User | None:
    """A colleague of the drafter who drafted neither the order nor its encumbrance (検査員)."""
    candidates = inspector_candidates(plan.drafter, on=plan.day)
    if plan.encumbrance is not None:
        candidates = candidates.exclude(pk=plan.encumbrance.document.drafter_id)
    return candidates.first()


def _make_order(year: Year, plan: OrderPlan) -> PaymentOrder | None:
    """One planned order drafted, routed and (when old enough) reviewed."""
    line = year.lines.get(plan.line) if plan.line else None
    order = payment_order_draft(
        actor=plan.drafter,
        title=plan.title,
        kind=plan.kind,
        lines=plan.lines,
        payment_date=pay_day(plan.day + dt.timedelta(days=5)),
        line=line,
        encumbrance=plan.encumbrance,
        inspection_date=plan.day - dt.timedelta(days=3),
        inspector=_inspector(plan),
        invoice_received_on=plan.day - dt.timedelta(days=1),
        description=plan.lines[0].description or plan.title.removesuffix("について"),
        on=plan.day,
    )
    year.orders += 1
    if plan.state == "draft":
        return order
    document = engine.submit(plan.drafter, order.document, plan.day)
    if plan.state == "circulating":
        engine.advance(document, year.orders % 2, plan.day)
    elif plan.state == "sent_back":
        engine.send_back(document, plan.day, SEND_BACK_COMMENT)
    elif plan.state == "withdrawn":
        engine.withdraw(plan.drafter, document, WITHDRAW_REASON)
    elif plan.state == "rejected":
        engine.reject(engine.advance(document, year.orders % 2, plan.day), plan.day, REJECT_COMMENT)
    else:
        engine.advance(document, None, plan.day)
    if plan.state == "paid":
        _review(year, order, plan.day + dt.timedelta(days=1))
    return order


def _review(year: Year, order: PaymentOrder, day: dt.date) -> None:
    treasurer = User.objects.get(username=TREASURER)
    year.reviewed += 1
    if year.reviewed == RETURNED:
        order_review_return(actor=treasurer, order=order, reason=RETURN_REASON, on=day)
    else:
        order_review_approve(actor=treasurer, order=order, on=day)


def _pay_batches(year: Year) -> None:
    """Past batches exported the business day before and marked paid; later ones stay open for demo-kaikei."""
    treasurer = User.objects.get(username=TREASURER)
    today = year.city.today
    open_batches = PaymentBatch.objects.filter(status=BatchStatus.OPEN, orders__isnull=False).distinct()
    for batch in open_batches.filter(payment_date__lt=today).order_by("payment_date", "pk"):
        batch_export(
            actor=treasurer, batch=batch, on=max(year.city.start, previous_bank_business_day(batch.payment_date))
        )
        batch_mark_paid(actor=treasurer, batch=batch, on=batch.payment_date)


def _close_paid_contracts(year: Year) -> None:
    """Contracts paid in full at least ``CLOSE_AFTER_DAYS`` ago are closed (完結) by their drafters."""
    cutoff = year.city.today - dt.timedelta(days=CLOSE_AFTER_DAYS)
    decided = Encumbrance.objects.filter(
        section__municipality_id=year.city.town_id,
        fiscal_year=year.city.fiscal_year,
        cancelled_at__isnull=True,
        document__status=DocumentStatus.DECIDED,
    ).select_related("document__drafter")
    for encumbrance in decided.order_by("pk"):
        orders = PaymentOrder.objects.filter(encumbrance=encumbrance, document__status__in=DECIDED)
        paid = orders.filter(batch__status=BatchStatus.PAID, batch__payment_date__lte=cutoff)
        last = paid.order_by("-batch__payment_date").values_list("batch__payment_date", flat=True).first()
        total = paid.aggregate(total=Sum("total_amount"))["total"]
        if last is not None and total == encumbrance.amount and orders.count() == paid.count():
            engine.close(encumbrance.document, last + dt.timedelta(days=7))


def _has_orders(city: DemoCity) -> bool:
    return PaymentOrder.objects.filter(section__municipality_id=city.town_id, fiscal_year=city.fiscal_year).exists()


def seed_year(city: DemoCity) -> tuple[int, int]:
    """Play the year: encumbrances and payment orders in date order; (encumbrances, orders) made.

    Each part is skipped when the year already has it, so a second run makes nothing.
    """
    encumbered = Encumbrance.objects.filter(section__municipality_id=city.town_id, fiscal_year=city.fiscal_year)
    with_orders = not _has_orders(city)
    creditors = {c.code: c for c in Creditor.objects.filter(code__startswith="D")}
    year = Year(city=city, creditors=creditors, lines=dict(line_keys(city.fiscal_year)))
    if encumbered.exists():
        if not with_orders:
            return 0, 0
        standing = encumbered.filter(cancelled_at__isnull=True, document__status__in=DECIDED)
        for decided in standing.select_related("document", "line__setsu", "creditor").order_by("pk"):
            _linked(year, decided)
    else:
        for planned in plan_encumbrances(city):
            year.push(planned.day, planned)
    if with_orders:
        _bills(year)
        _debt_and_fees(year)
    while year.queue:
        payload = heapq.heappop(year.queue).payload
        if isinstance(payload, OrderPlan):
            _make_order(year, payload)
            continue
        made = make_encumbrance(city, payload, creditors)
        if made is None:
            continue
        year.encumbrances += 1
        if with_orders and payload.state in ("decided", "amended"):
            _linked(year, made)
    if with_orders:
        _pay_batches(year)
        _close_paid_contracts(year)
    return year.encumbrances, year.orders
