"""The demo's 変更契約 (支出負担行為の変更): a ¥4,800,000 工事 contract increased by ¥600,000.

道路課 lets a 舗装補修工事 by 一般競争入札 for ¥4,800,000 (契約 部長専決), then increases it by
¥600,000 by a 変更契約: routed by the new total of ¥5,400,000 (the increment alone would be a
課長専決 matter), decided by the 部長, and the encumbrance shows 当初, 第1回変更 and the total.
Made once, on ``today`` (after the year of ``seed_year``), through the real services and engine.
"""

from __future__ import annotations

from cityhall.documents.models import DocumentStatus
from cityhall.finance import balance, services
from cityhall.finance.demo import engine
from cityhall.finance.demo.budget import DemoCity
from cityhall.finance.demo.encumbrances import drafter_of
from cityhall.finance.models import Allotment, Creditor, EncumbranceChange

SECTION = "道路課"
CONTRACT = 4_800_000
INCREASE = 600_000


def seed_change_contract(city: DemoCity) -> int:
    """One decided 工事 contract and its decided 変更契約 (増額); 0 when made before or impossible."""
    if EncumbranceChange.objects.filter(encumbrance__fiscal_year=city.fiscal_year).exists():
        return 0
    section = city.sections.get(SECTION)
    drafter = drafter_of(section, city.start, city.today) if section is not None else None
    allotment = (
        Allotment.objects.filter(section=section, line__fiscal_year=city.fiscal_year, line__setsu__code="14")
        .select_related("line")
        .order_by("pk")
        .first()
    )
    creditor = Creditor.objects.filter(code="D0009").first() or Creditor.objects.filter(code="D0008").first()
    if drafter is None or allotment is None or creditor is None:
        return 0
    if balance.available_amount(allotment) < CONTRACT + INCREASE:
        return 0
    day = city.today
    encumbrance = services.encumbrance_draft(
        actor=drafter,
        title="市道舗装補修工事の請負契約について",
        line=allotment.line,
        creditor=creditor,
        amount=CONTRACT,
        contract_method="general_tender",
        contract_number=f"R{city.fiscal_year - 2018}-道-001",
        contract_date=day,
        body="一般競争入札の結果、次のとおり工事請負契約を締結してよろしいか伺います。",
        on=day,
    )
    document = engine.advance(engine.submit(drafter, encumbrance.document, day), None, day)
    if document.status != DocumentStatus.DECIDED:
        return 0
    encumbrance.refresh_from_db()
    change = services.encumbrance_change_draft(
        actor=drafter,
        encumbrance=encumbrance,
        new_amount=CONTRACT + INCREASE,
        reason="路盤の損傷が想定より広く、路盤工を追加するため",
        change_date=day,
        body="次のとおり変更契約（増額）を締結してよろしいか伺います。変更後の総額により決裁を受けます。",
        on=day,
    )
    engine.advance(engine.submit(drafter, change.document, day), None, day)
    return 1
