"""Reading the ledger (削減時間の集計): by month, section and kind, for the user's view of the city.

The 会計, 情報政策, 監査 and 幹部 roles see every section (they follow the city's figures); anyone else
sees their own section's. Figures only: no personal data is kept in the ledger.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncMonth

from cityhall.accounts.models import User
from cityhall.core.japanese import fiscal_year_end, fiscal_year_start
from cityhall.org.models import Role, UnitKind
from cityhall.org.selectors import primary_assignment, roles_of
from cityhall.savings.kinds import kind_label
from cityhall.savings.models import SavedTime

CITYWIDE_ROLES = {Role.ACCOUNTING.value, Role.IT_ADMIN.value, Role.AUDITOR.value, Role.EXECUTIVE.value}


@dataclass(frozen=True)
class SavedRow:
    """The work of one kind done for one section in one month, and the minutes it saved."""

    month: dt.date
    section: str
    kind: str
    count: int
    minutes: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


def ledger_for(user: User) -> QuerySet[SavedTime]:
    """The ledger rows ``user`` may see (filtered in SQL)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return SavedTime.objects.none()
    if roles_of(user) & CITYWIDE_ROLES:
        return SavedTime.objects.all()
    assignment = primary_assignment(user)
    if assignment is None:
        return SavedTime.objects.none()
    unit = assignment.unit  # a 係's figures are its 課's
    section = unit.parent if unit.kind == UnitKind.SUBSECTION and unit.parent is not None else unit
    return SavedTime.objects.filter(section=section)


def saved_time(user: User, fiscal_year: int) -> list[SavedRow]:
    """The minutes saved in the 年度 by month (Japan time), section and kind, as ``user`` may see them."""
    start, end = fiscal_year_start(fiscal_year), fiscal_year_end(fiscal_year)
    rows = (
        ledger_for(user)
        .filter(occurred_at__date__range=(start, end))
        .annotate(month=TruncMonth("occurred_at"))
        .values("month", "section__name", "kind")
        .annotate(count=Sum("count"), minutes=Sum("minutes"))
        .order_by("month", "section__name", "kind")
    )
    return [
        SavedRow(
            month=r["month"].date() if isinstance(r["month"], dt.datetime) else r["month"],
            section=r["section__name"],
            kind=kind_label(r["kind"]),
            count=int(r["count"]),
            minutes=int(r["minutes"] or 0),
        )
        for r in rows
    ]
