"""Reading the audit trail in the audit room (監査ログの検索): filters in SQL, one page, readable rows.

Every read takes the user and refuses anyone without a room role
(``access.require_entry``); the room sees the entries of every section.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Concat, TruncDate
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.auditroom.access import require_entry
from cityhall.core.audit.labels import action_label, object_links, object_type_label
from cityhall.core.audit.models import AuditEntry
from cityhall.org.models import Assignment, OrgUnit

JAPAN = zoneinfo.ZoneInfo("Asia/Tokyo")
PAGE_SIZE = 50
EXPORT_LIMIT = {"csv": 100_000, "xlsx": 20_000}
"""The most rows one export writes (Excel is built in memory); a wider period is exported in parts."""


@dataclass(frozen=True)
class AuditFilters:
    """Filters of the audit room (検索条件); None or "" means "any". Dates are Japan dates, inclusive."""

    person: str = ""
    section_id: int | None = None
    action: str = ""
    object_type: str = ""
    object: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    office: bool | None = None


@dataclass(frozen=True)
class EntryRow:
    """One entry as the room shows and exports it: Japanese names, a readable object, a link when allowed."""

    seq: int
    at: dt.datetime
    actor: str
    action: str
    action_label: str
    object_type_label: str
    object_name: str
    object_id: str
    url: str
    location: str
    source_ip: str


@dataclass(frozen=True)
class EntryPage:
    """One page of rows, its number, the number of pages and the count of matching entries."""

    rows: list[EntryRow]
    number: int
    num_pages: int
    count: int

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


def _japan_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=JAPAN)


def _in_section(section_id: int) -> Q:
    """The actor held a post in the 課 (or one of its 係) on the entry's Japan date (``japan_day``)."""
    units = OrgUnit.objects.filter(Q(pk=section_id) | Q(parent_id=section_id)).values("pk")
    held = Assignment.objects.filter(
        user=OuterRef("actor_id"), unit__in=units, valid_from__lte=OuterRef("japan_day")
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("japan_day")))
    members = Assignment.objects.filter(unit__in=units).values("user_id")
    return Q(actor_id__in=members) & Q(Exists(held))


def _person(text: str) -> Q:
    """The user name exactly, or part of the full name (職員)."""
    compact = text.replace(" ", "").replace("\u3000", "")
    people = (
        User.objects.annotate(name=Concat("last_name", "first_name"))
        .filter(Q(username=text) | Q(name__contains=compact) if compact else Q(username=text))
        .values("pk")
    )
    return Q(actor_id__in=people) | Q(actor_id__isnull=True, actor_label=text)


def _object(text: str) -> Q:
    """An object id exactly, or part of the object's name (対象)."""
    return Q(object_id=text) if text.isascii() and text.isdigit() else Q(object_repr__contains=text)


def filtered_entries(filters: AuditFilters) -> QuerySet[AuditEntry]:
    """The entries matching the filters, newest first (the caller has checked the room's permission)."""
    rows = AuditEntry.objects.all()
    if filters.person:
        rows = rows.filter(_person(filters.person))
    if filters.section_id is not None:
        rows = rows.annotate(japan_day=TruncDate("created_at", tzinfo=JAPAN)).filter(_in_section(filters.section_id))
    if filters.action:
        rows = rows.filter(action=filters.action)
    if filters.object_type:
        rows = rows.filter(object_type=filters.object_type)
    if filters.object:
        rows = rows.filter(_object(filters.object))
    if filters.date_from is not None:
        rows = rows.filter(created_at__gte=_japan_midnight(filters.date_from))
    if filters.date_to is not None:
        rows = rows.filter(created_at__lt=_japan_midnight(filters.date_to + dt.timedelta(days=1)))
    if filters.office is not None:
        rows = rows.filter(is_office=filters.office)
    return rows.order_by("-seq")


def audit_entries(user: User, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """The audit trail filtered for the room (監査ログ一覧); ``PermissionDenied`` outside the room's roles."""
    require_entry(user)
    return filtered_entries(filters)


def rows_of(user: User, entries: list[AuditEntry]) -> list[EntryRow]:
    """Readable rows for entries, with a link to each object the viewer may open."""
    names = {
        user.pk: user.full_name for user in User.objects.filter(pk__in={e.actor_id for e in entries if e.actor_id})
    }
    links = object_links(user, [(e.object_type, e.object_id) for e in entries])
    return [
        EntryRow(
            seq=e.seq,
            at=e.created_at,
            actor=f"{names.get(e.actor_id) or e.actor_label} ({e.actor_label})" if e.actor_id else e.actor_label,
            action=e.action,
            action_label=action_label(e.action),
            object_type_label=object_type_label(e.object_type) if e.object_type else "",
            object_name=e.object_repr or (f"{object_type_label(e.object_type)} {e.object_id}".strip()),
            object_id=e.object_id,
            url=links.get((e.object_type, e.object_id), ""),
            location=_("庁内") if e.is_office else _("庁外"),
            source_ip=e.source_ip,
        )
        for e in entries
    ]


def entry_page(user: User, filters: AuditFilters, *, page: int = 1, page_size: int = PAGE_SIZE) -> EntryPage:
    """One page of the filtered trail; a page past the last shows the last."""
    entries = audit_entries(user, filters)
    count = entries.count()
    num_pages = max(1, math.ceil(count / page_size))
    number = min(max(page, 1), num_pages)
    start = (number - 1) * page_size
    chunk = list(entries[start : start + page_size])
    return EntryPage(rows=rows_of(user, chunk), number=number, num_pages=num_pages, count=count)


def export_rows(user: User, filters: AuditFilters, *, limit: int, chunk: int = 2000) -> Iterator[EntryRow]:
    """The newest ``limit`` rows of the filtered trail for an export, read in chunks."""
    entries = audit_entries(user, filters)
    last_seq: int | None = None
    sent = 0
    while sent < limit:
        part = entries if last_seq is None else entries.filter(seq__lt=last_seq)
        batch = list(part[: min(chunk, limit - sent)])
        if not batch:
            return
        yield from rows_of(user, batch)
        sent += len(batch)
        last_seq = batch[-1].seq
