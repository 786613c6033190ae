"""The demo city's deposit inquiries (財産照会のデモデータ): who collects, whom they may ask, whom about.

納税課 of みどり野市 gets its tax collector (demo-nozei holds the 徴税 role limited to 納税課 from the
organisation's demo; granted here if it is missing), an institution master (twelve banks by their
real 全銀 codes, ゆうちょ銀行, an insurer and a securities firm, fictitious addresses) and 200 delinquent
persons generated from a fixed seed (kana names, birth dates, addresses in five areas, tax items of
the last five years, former addresses for about a third), and one batch decided on its route with
its letters made and answers taken in (``demo/batch.py``). Everything goes through the services, so
each row has its audit entry. Idempotent: a city that already has them is left as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.inquiries.access import section_ids
from cityhall.inquiries.demo.batch import seed_batch
from cityhall.inquiries.demo.institutions import seed_institutions
from cityhall.inquiries.demo.persons import seed_persons
from cityhall.org.models import OrgUnit, Role, UnitKind
from cityhall.org.services import role_grant

COLLECTOR = "demo-nozei"
SECTION = "納税課"


def _collector(day: dt.date) -> tuple[User, OrgUnit] | None:
    """demo-nozei and 納税課, with the 徴税 role for 納税課 granted if it is missing."""
    user = User.objects.filter(username=COLLECTOR, is_active=True).first()
    section = OrgUnit.objects.on(day).filter(name=SECTION, kind=UnitKind.SECTION).order_by("pk").first()
    if user is None or section is None:
        return None
    if section.pk not in section_ids(user, on=day):
        role_grant(actor="seed_demo", user=user, role=Role.TAX_COLLECTION, valid_from=day, unit=section)
    return user, section


def seed_inquiries(options: dict[str, Any]) -> str:
    """Give 納税課 its institutions, 200 delinquent persons and a decided batch with answers; a one-line summary."""
    day = options.get("today") or timezone.localdate()
    found = _collector(day)
    if found is None:
        return "財産照会のデモデータは投入しません（demo-nozei または納税課がありません）。"
    user, section = found
    institutions = seed_institutions(user)
    persons = seed_persons(user, section, day)
    batch = seed_batch(user, section, day)
    if not (institutions or persons or batch):
        return "財産照会のデモデータは投入済みです。変更はありません。"
    done = f"財産照会: 照会先{institutions}件、{section.name}の滞納者{persons}名"
    return f"{done}{'、' + batch if batch else ''}を投入しました（{user.username}）。"
