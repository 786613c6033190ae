"""The demo city's edited 事務決裁規程 (規程改正の例): changes scheduled from the next 1 April.

The 文書主管 (demo-bunsho) changed the rows through the services a person uses on the 事務決裁規程
screen, so the list shows them as 施行予定 and the preview shows routes before and after:

* 支出: the 課長専決 limit raised from ¥1,000,000 to ¥1,300,000;
* 支出 of ¥5,000,000 and more (副市長決裁・市長決裁): the 財政課 as mandatory consult;
* 契約 of ¥1,300,000 and more (部長専決 and above): the 契約管財課 as mandatory consult.

They take effect after every demo document was submitted, so no demo route changes.
"""

from __future__ import annotations

import datetime as dt

from cityhall.accounts.models import User
from cityhall.core.japanese import fiscal_year, fiscal_year_start
from cityhall.core.matters import CONTRACT_KIND, SPENDING_KIND
from cityhall.documents import services
from cityhall.documents.models import DelegationRule
from cityhall.org.models import OrgUnit, UnitKind

MANAGER = "demo-bunsho"


def _section(name: str) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(kind=UnitKind.SECTION, name=name, valid_to__isnull=True)[:1])


def seed_rule_edits(today: dt.date) -> int:
    """Schedule the demo city's 規程改正 from the next 1 April (idempotent); how many rows were changed."""
    manager = User.objects.filter(username=MANAGER).first()
    start = fiscal_year_start(fiscal_year(today) + 1)
    if manager is None or DelegationRule.objects.filter(valid_from=start).exists():
        return 0
    rows = DelegationRule.objects.on(today).filter(
        unit__isnull=True, budget_setsu="", matter_kind__code__in=(SPENDING_KIND, CONTRACT_KIND)
    )
    changed = 0
    for rule in rows.select_related("decider_post", "matter_kind").order_by("pk"):
        consults = list(rule.consult_units.all())
        bound, note = rule.amount_below, ""
        if rule.matter_kind.code == SPENDING_KIND and rule.decider_post.code == "kacho":
            bound, note = 1_300_000, "課長専決の上限を130万円に引き上げ"
        elif rule.matter_kind.code == SPENDING_KIND and rule.decider_post.rank >= 80:
            consults, note = [*consults, *_section("財政課")], "500万円以上の支出は財政課に合議"
        elif rule.matter_kind.code == CONTRACT_KIND and rule.decider_post.rank >= 60:
            consults, note = [*consults, *_section("契約管財課")], "130万円以上の契約は契約管財課に合議"
        if not note:
            continue
        services.delegation_rule_change(
            actor=manager,
            rule=rule,
            valid_from=start,
            decider_post=rule.decider_post,
            label=rule.label,
            amount_below=bound,
            consult_units=consults,
            note=note,
            on=today,
        )
        changed += 1
    return changed
