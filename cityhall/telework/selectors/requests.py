"""Reads of telework requests (テレワークの申請): the limits' counts, who sees what, the calendar, the day check.

A request counts against the limits while its document is on route or decided (回議中・決裁済・完結);
a draft, a sent-back, withdrawn or rejected request does not. Section members see their 課's requests
and calendar, the 情報政策 role every 課's; everyone sees their own and those they act on.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.remote_policy import DataClass
from cityhall.documents.models import EDITABLE_STATUSES, DocumentStatus
from cityhall.documents.rules import section_of
from cityhall.documents.selectors import involved
from cityhall.org.models import Assignment, OrgUnit, Role, UnitKind
from cityhall.org.selectors import has_role
from cityhall.telework.models import TeleworkDay, TeleworkLimits, TeleworkRequest

COUNTING = (DocumentStatus.CIRCULATING, DocumentStatus.DECIDED, DocumentStatus.CLOSED)
"""Statuses whose days count against the limits (申請中・承認済)."""
APPROVED = (DocumentStatus.DECIDED, DocumentStatus.CLOSED)
NOT_FOUND = "ページが見つかりません。"
_DAY_CACHE = "_telework_approved_days"


def day_label(day: dt.date) -> str:
    """A day as the messages name it: 「6月10日（火）」."""
    return f"{day.month}月{day.day}日（{'月火水木金土日'[day.weekday()]}）"


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def members_of(section: OrgUnit | int, day: dt.date, until: dt.date | None = None) -> QuerySet[User]:
    """The staff of a 課 (and its 係) on ``day``, or on any day up to ``until`` (本務), by user name."""
    pk = section if isinstance(section, int) else section.pk
    rows = Assignment.objects.overlapping(day, until or day).filter(
        Q(unit_id=pk) | Q(unit__parent_id=pk), is_primary=True
    )
    return User.objects.filter(pk__in=rows.values("user_id")).order_by("username")


def counting_days(exclude_request: int | None = None, statuses: tuple[str, ...] = COUNTING) -> QuerySet[TeleworkDay]:
    """Days of requests on route or decided (``statuses``), but ``exclude_request``'s."""
    rows = TeleworkDay.objects.filter(request__document__status__in=statuses)
    return rows.exclude(request_id=exclude_request) if exclude_request else rows


def check_limits(
    *, person: User, section_id: int, days: list[dt.date], limits: TeleworkLimits, today: dt.date,
    exclude_request: int | None = None, statuses: tuple[str, ...] = COUNTING,
) -> None:  # fmt: skip
    """Refuse days in the past, days already requested, and beyond the week's or the 課's limit (上限の確認);
    ``statuses``: the requests that count (on route and decided; at a decision, the decided ones)."""
    past = [d for d in days if d < today]
    if past:
        raise ValidationFailed(f"過ぎた日（{day_label(past[0])}）のテレワークは申請できません。", field="days")
    others = counting_days(exclude_request, statuses)
    mine = set(others.filter(person=person, day__gte=week_start(min(days)), day__lte=max(days) + dt.timedelta(6))
               .values_list("day", flat=True))  # fmt: skip
    twice = sorted(set(days) & mine)
    if twice:
        raise ValidationFailed(f"{day_label(twice[0])}は既にテレワークを申請しています。", field="days")
    weeks: dict[dt.date, set[dt.date]] = defaultdict(set)
    for day in [*days, *mine]:
        weeks[week_start(day)].add(day)
    for start in sorted({week_start(d) for d in days}):
        if len(weeks[start]) > limits.max_days_per_week:
            raise ValidationFailed(
                f"{day_label(start)}からの週のテレワークは1人{limits.max_days_per_week}日までです"
                f"（この申請を含めて{len(weeks[start])}日）。",
                field="days",
            )
    for day in sorted(days):
        staff = members_of(section_id, day).count()
        allowed = max(1, staff * limits.max_section_percent // 100)
        taken = others.filter(section_id=section_id, day=day).exclude(person=person).values("person").distinct()
        if taken.count() + 1 > allowed:
            raise ValidationFailed(
                f"{day_label(day)}は課のテレワークが上限（{allowed}名：課の職員{staff}名の"
                f"{limits.max_section_percent}%）に達しています。別の日にしてください。",
                field="days",
            )


def sees_every_section(user: User, day: dt.date) -> bool:
    """The 情報政策 role sees every 課's requests and calendar."""
    return has_role(user, Role.IT_ADMIN, on=day)


def document_rule(user: User, day: dt.date) -> Q:
    """The request's ``visibility`` hook: own 課, taking part in it, or the 情報政策 role (a ``Q`` over Document)."""
    if sees_every_section(user, day):
        return Q()
    rule = involved(user, on=day)
    section = section_of(user, on=day)
    if section is not None:
        rule |= Q(telework_request__section_id=section.pk)
    return rule


def requests_for(user: User, *, mine: bool = False) -> QuerySet[TeleworkRequest]:
    """Requests the user may see (own 課, own, on their route; 情報政策 all); ``mine``: their own only."""
    day = timezone.localdate()
    rows = TeleworkRequest.objects.select_related("document", "person", "section").prefetch_related("days")
    if mine:
        return rows.filter(person=user)
    return rows.filter(document__in=_visible_documents(user, day))


def _visible_documents(user: User, day: dt.date) -> Any:
    from cityhall.documents.models import Document

    return Document.objects.filter(document_rule(user, day), doc_type="telework.request").values("pk")


def request_for(user: User, pk: int) -> TeleworkRequest:
    """One request the user may see; missing and forbidden alike are not found."""
    found = requests_for(user).filter(pk=pk).first()
    if found is None:
        raise PermissionDenied(NOT_FOUND)
    return found


def editable_by(request: TeleworkRequest, user: User) -> bool:
    """Whether ``user`` may still correct the request: its drafter, while 起案中 or 差戻し."""
    return request.person_id == user.pk and request.document.status in EDITABLE_STATUSES


def calendar_sections(user: User) -> list[OrgUnit]:
    """The 課 whose calendar the user may open: their own, or every 課 for the 情報政策 and 幹部 roles
    (the DX dashboard's テレワーク実施日数 links here)."""
    day = timezone.localdate()
    if sees_every_section(user, day) or has_role(user, Role.EXECUTIVE, on=day):
        return list(OrgUnit.objects.filter(kind=UnitKind.SECTION, valid_to__isnull=True).order_by("code"))
    own = section_of(user, on=day)
    return [own] if own is not None else []


@dataclass(frozen=True)
class CalendarRow:
    """One member of staff and where they work each day: 「telework」, 「pending」 or 「office」."""

    person: User
    cells: list[str]


@dataclass(frozen=True)
class Calendar:
    """Who works where (勤務場所の予定) in a 課 for a run of days."""

    section: OrgUnit
    days: list[dt.date]
    rows: list[CalendarRow]
    sections: list[OrgUnit]

    @property
    def teleworking(self) -> list[int]:
        """How many work from home each day (承認済)."""
        return [sum(row.cells[i] == "telework" for row in self.rows) for i in range(len(self.days))]


def calendar(user: User, *, section_id: int | None, start: dt.date, length: int) -> Calendar:
    """The 課's calendar from ``start`` for ``length`` days (1–31); another 課 only for the 情報政策 role."""
    if not 1 <= length <= 31:
        raise ValidationFailed("表示する日数は1日から31日までにしてください。", field="days")
    sections = calendar_sections(user)
    if not sections:
        raise PermissionDenied(NOT_FOUND)
    section = next((s for s in sections if s.pk == section_id), None) if section_id else sections[0]
    if section is None:
        raise PermissionDenied(NOT_FOUND)
    days = [start + dt.timedelta(i) for i in range(length)]
    people = list(members_of(section, days[0], days[-1]))
    where: dict[tuple[int, dt.date], str] = {}
    rows = TeleworkDay.objects.filter(section=section, day__gte=days[0], day__lte=days[-1])
    for person_id, day, status in rows.filter(request__document__status__in=COUNTING).values_list(
        "person_id", "day", "request__document__status"
    ):
        state = "telework" if status in APPROVED else "pending"
        if where.get((person_id, day)) != "telework":
            where[(person_id, day)] = state
    return Calendar(
        section=section,
        days=days,
        rows=[CalendarRow(p, [where.get((p.pk, d), "office") for d in days]) for p in people],
        sections=sections,
    )


def approved_day(user: Any, day: dt.date, data_class: DataClass) -> bool:
    """The day check (承認されたテレワーク日のみ): with the switch on, a remote session sees classified
    data only on a day of the user's decided request. The policy screen is never closed by it, so the
    情報政策 role cannot lock itself out."""
    if data_class == DataClass.POLICY:
        return True
    cached = getattr(user, _DAY_CACHE, None)
    if cached is None or cached[0] != day:
        limits = TeleworkLimits.current()
        allowed = not limits.approved_days_only or (
            TeleworkDay.objects.filter(person_id=user.pk, day=day, request__document__status__in=APPROVED).exists()
        )
        cached = (day, allowed)
        setattr(user, _DAY_CACHE, cached)
    return bool(cached[1])
