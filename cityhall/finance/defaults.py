"""Default accounts and the 27 expenditure 節 of FY2020 onwards (財務会計の初期設定).

Since FY2020 (令和2年度) the standard expenditure 節 are 27: 賃金 was abolished
and 予備費 is a 款/目, not a 節. ``ensure_finance_defaults`` is idempotent and
the data migration ``0002_defaults`` loads the same rows.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cityhall.core.audit import record

EXPENDITURE_SETSU: tuple[tuple[int, str], ...] = (
    (1, "報酬"),
    (2, "給料"),
    (3, "職員手当等"),
    (4, "共済費"),
    (5, "災害補償費"),
    (6, "恩給及び退職年金"),
    (7, "報償費"),
    (8, "旅費"),
    (9, "交際費"),
    (10, "需用費"),
    (11, "役務費"),
    (12, "委託料"),
    (13, "使用料及び賃借料"),
    (14, "工事請負費"),
    (15, "原材料費"),
    (16, "公有財産購入費"),
    (17, "備品購入費"),
    (18, "負担金、補助及び交付金"),
    (19, "扶助費"),
    (20, "貸付金"),
    (21, "補償、補塡及び賠償金"),
    (22, "償還金、利子及び割引料"),
    (23, "投資及び出資金"),
    (24, "積立金"),
    (25, "寄附金"),
    (26, "公課費"),
    (27, "繰出金"),
)

# code, name, kind
ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("01", "一般会計", "general"),
    ("02", "国民健康保険特別会計", "special"),
    ("03", "介護保険特別会計", "special"),
    ("04", "後期高齢者医療特別会計", "special"),
)


def load_defaults(account_model: Any, heading_model: Any) -> dict[str, int]:
    """Create the default accounts and standard 節 where missing; works on historical models too."""
    created = {"accounts": 0, "setsu": 0}
    for order, (code, name, kind) in enumerate(ACCOUNTS):
        _obj, made = account_model.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "sort_order": order}
        )
        created["accounts"] += int(made)
    for number, name in EXPENDITURE_SETSU:
        _obj, made = heading_model.objects.get_or_create(
            account=None,
            level="setsu",
            parent=None,
            code=str(number),
            defaults={"name": name, "sort_order": number},
        )
        created["setsu"] += int(made)
    return created


def ensure_finance_defaults(*, actor: Any = "finance.defaults") -> dict[str, int]:
    """Create the default accounts (会計) and the 27 expenditure 節 where missing (初期設定)."""
    from cityhall.finance.models import Account, BudgetClassification

    with transaction.atomic():
        created = load_defaults(Account, BudgetClassification)
        if any(created.values()):
            record(actor=actor, action="finance.defaults", object_type="finance", after=created)
    return created
