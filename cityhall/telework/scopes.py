"""Whose inventory and survey a user sees (棚卸し・調査の範囲): section heads their sections, 情報政策 all.

A section head (課長: the holder today of a post that heads a 課) sees and edits the task inventory of
the sections they head and the survey summary of their staff; the 情報政策 role sees every section and
sets the eligibility rules. The 幹部 role (the mayor and the CIO, whose DX dashboard links here) reads
every section's inventory but edits none (:func:`sections_read`). Any other section, like a missing
one, is "not found" (404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from cityhall.core.errors import PermissionDenied
from cityhall.org.models import Assignment, OrgUnit, Role, UnitKind
from cityhall.org.selectors import has_role

NOT_FOUND = "ページが見つかりません。"


def _day(on: dt.date | None) -> dt.date:
    return on if on is not None else timezone.localdate()


def is_it(user: Any, *, on: dt.date | None = None) -> bool:
    """Whether the user holds the 情報政策 role on the day."""
    return bool(getattr(user, "is_authenticated", False) and has_role(user, Role.IT_ADMIN, on=_day(on)))


def sections_of(user: Any, *, on: dt.date | None = None) -> QuerySet[OrgUnit]:
    """The sections (課) whose inventory the user sees: those they head, or all for 情報政策."""
    day = _day(on)
    if not getattr(user, "is_authenticated", False):
        return OrgUnit.objects.none()
    sections = OrgUnit.objects.on(day).filter(kind=UnitKind.SECTION)
    if is_it(user, on=day):
        return sections.order_by("sort_order", "code")
    headed = Assignment.objects.on(day).filter(user=user, post__heads=F("unit__kind"), unit__kind=UnitKind.SECTION)
    return sections.filter(pk__in=headed.values("unit_id")).order_by("sort_order", "code")


def is_executive(user: Any, *, on: dt.date | None = None) -> bool:
    """Whether the user holds the 幹部 role on the day (reads every section, as the DX dashboard does)."""
    return bool(getattr(user, "is_authenticated", False) and has_role(user, Role.EXECUTIVE, on=_day(on)))


def sections_read(user: Any, *, on: dt.date | None = None) -> QuerySet[OrgUnit]:
    """The sections whose inventory the user reads: those of :func:`sections_of`, or all for 幹部."""
    if is_executive(user, on=on):
        return OrgUnit.objects.on(_day(on)).filter(kind=UnitKind.SECTION).order_by("sort_order", "code")
    return sections_of(user, on=on)


def sees_inventory(user: Any) -> bool:
    """Whether the user sees any section's inventory (the menu entry)."""
    return sections_read(user).exists()


def edits_inventory(user: Any, section_pk: int) -> bool:
    """Whether the user may change the section's tasks (its head or 情報政策; not 幹部, who only read)."""
    return sections_of(user).filter(pk=section_pk).exists()


def section_for(user: Any, pk: int) -> OrgUnit:
    """The section ``pk`` if the user sees it; else ``PermissionDenied`` (404) as for a missing one."""
    section = sections_of(user).filter(pk=pk).first()
    if section is None:
        raise PermissionDenied(NOT_FOUND)
    return section


def require_it(user: Any) -> None:
    """Refuse anyone without the 情報政策 role as not found (the eligibility rules)."""
    if not is_it(user):
        raise PermissionDenied(NOT_FOUND)
