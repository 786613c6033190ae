"""The demo's 事故繰越 (法220条③ただし書): last year's 工事 contract, carried and paid this year.

道路課 let a 側溝改修工事 for ¥2,400,000 in February of last year; the delivery of materials was
held up by a disaster, so on 25 March the 会計 staff drafted its 事故繰越 (財政課 consulted, 市長
decided). The carry moved the encumbrance into this year's 事故繰越し繰越分 line, where the work
was inspected, ordered, reviewed and paid in May. The statement (事故繰越し繰越計算書) of last year
shows it. Made once through the real services and engine; skipped when last year's budget exists
already (a city that brought its own) or nobody held the posts on those days.
"""

from __future__ import annotations

import datetime as dt

from cityhall.accounts.models import User
from cityhall.core.japanese import next_bank_business_day, previous_bank_business_day
from cityhall.core.japanese.business_days import business_day_on_or_before
from cityhall.documents.models import DocumentStatus
from cityhall.finance import services
from cityhall.finance.demo import engine
from cityhall.finance.demo.budget import DemoCity
from cityhall.finance.demo.encumbrances import drafter_of
from cityhall.finance.models import (
    Allotment,
    BudgetTransfer,
    BudgetVersion,
    Creditor,
    Encumbrance,
    OrderKind,
    PaymentOrder,
    TransferKind,
)
from cityhall.finance.selectors.payment_orders import inspector_candidates
from cityhall.finance.services.batches import batch_export, batch_mark_paid
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders import payment_order_draft
from cityhall.finance.services.review import order_review_approve
from cityhall.org import selectors as org
from cityhall.org.models import Role

SECTION = "道路課"
TREASURER = "demo-kaikei"
CONTRACTOR = ("D0009", "D0008")
BUDGET = 3_000_000
CONTRACT = 2_400_000


def _days(city: DemoCity) -> tuple[dt.date, dt.date, dt.date] | None:
    """Contract in February and carry on 25 March of last year; payment order in this year's May."""
    contract = business_day_on_or_before(dt.date(city.fiscal_year, 2, 3))
    carry = business_day_on_or_before(dt.date(city.fiscal_year, 3, 25))
    order = business_day_on_or_before(min(city.today - dt.timedelta(days=10), city.start + dt.timedelta(days=45)))
    return (contract, carry, order) if order >= city.start + dt.timedelta(days=7) else None


def _last_year_allotment(city: DemoCity, keeper: User, day: dt.date) -> Allotment | None:
    """Last year's 節14 line of the 道路課's 目 with its 当初予算, allotted to the 道路課."""
    section = city.sections.get(SECTION)
    current = (
        Allotment.objects.filter(section=section, line__fiscal_year=city.fiscal_year, line__setsu__code="14")
        .select_related("line__account", "line__moku", "line__setsu")
        .order_by("pk")
        .first()
    )
    year = city.fiscal_year - 1
    if section is None or current is None or BudgetVersion.objects.filter(fiscal_year=year).exists():
        return None
    this = current.line
    line = services.budget_line_create(
        actor=keeper, account=this.account, fiscal_year=year, moku=this.moku, setsu=this.setsu
    )
    services.budget_version_create(
        actor=keeper, account=this.account, fiscal_year=year, name="当初予算", amounts=[(line, BUDGET)], on=day
    )
    return services.allotment_set(actor=keeper, line=line, section=section, amount=BUDGET, on=day)


def _pay(city: DemoCity, carried: Encumbrance, drafter: User, day: dt.date) -> None:
    """This year's order against the carried encumbrance: inspected, decided, reviewed and paid."""
    treasurer = User.objects.filter(username=TREASURER).first()
    inspector = inspector_candidates(drafter, on=day).exclude(pk=drafter.pk).first()
    if treasurer is None or inspector is None:
        return
    pay = next_bank_business_day(day + dt.timedelta(days=5))
    order = payment_order_draft(
        actor=drafter,
        title="市道側溝改修工事（繰越分）の請負代金の支払について",
        kind=OrderKind.LINKED,
        encumbrance=carried,
        lines=[OrderLineInput(creditor=carried.creditor, amount=CONTRACT, description="工事完成（繰越分）")],
        payment_date=pay,
        inspection_date=day,
        inspector=inspector,
        invoice_received_on=day,
        on=day,
    )
    if engine.advance(engine.submit(drafter, order.document, day), None, day).status != DocumentStatus.DECIDED:
        return
    batch = order_review_approve(actor=treasurer, order=PaymentOrder.objects.get(pk=order.pk), on=day).batch
    if batch is not None and pay <= city.today:
        batch_export(actor=treasurer, batch=batch, on=max(day, previous_bank_business_day(pay)))
        batch_mark_paid(actor=treasurer, batch=batch, on=pay)


def seed_accident_carry(city: DemoCity) -> int:
    """Last year's 事故繰越 of a 工事 contract, paid this year; 1 when made, 0 when present or impossible."""
    days = _days(city)
    keeper = city.accounting
    if days is None or BudgetTransfer.objects.filter(kind=TransferKind.CARRY_ACCIDENT).exists():
        return 0
    contract_day, carry_day, order_day = days
    section = city.sections.get(SECTION)
    drafter = drafter_of(section, contract_day, city.today) if section is not None else None
    creditor = Creditor.objects.filter(code__in=CONTRACTOR).order_by("code").last()
    if drafter is None or creditor is None or not org.has_role(keeper, Role.ACCOUNTING, on=contract_day):
        return 0
    allotment = _last_year_allotment(city, keeper, contract_day)
    if allotment is None:
        return 0
    encumbrance = services.encumbrance_draft(
        actor=drafter,
        title="市道側溝改修工事の請負契約について",
        line=allotment.line,
        creditor=creditor,
        amount=CONTRACT,
        contract_method="general_tender",
        contract_number=f"R{city.fiscal_year - 2019}-道-015",
        contract_date=contract_day,
        body="一般競争入札の結果、次のとおり工事請負契約を締結してよろしいか伺います。",
        on=contract_day,
    )
    engine.advance(engine.submit(drafter, encumbrance.document, contract_day), None, contract_day)
    carry = services.carry_over_draft(
        actor=keeper,
        title="市道側溝改修工事の事故繰越について",
        kind="carry_accident",
        encumbrance=Encumbrance.objects.get(pk=encumbrance.pk),
        amount=CONTRACT,
        reason="豪雨災害の影響で資材（側溝ブロック）の入荷が遅れ、年度内に完成しないため",
        on=carry_day,
    )
    decided = engine.advance(engine.submit(keeper, carry.document, carry_day), None, carry_day)
    if decided.status != DocumentStatus.DECIDED:
        return 0
    _pay(city, Encumbrance.objects.get(carried_from=encumbrance), drafter, order_day)
    return 1
