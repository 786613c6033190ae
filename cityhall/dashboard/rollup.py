"""The monthly rollups (月次集計) behind the dashboard, built from the register and kept fresh.

The page never reads the register's million rows: it sums a few thousand rollup rows per year.
A month's rows (``DecisionRollup``, ``DurationRollup``) are built whole from the documents decided
in it (``decided_at`` in Japan time) in one transaction, the first time a page asks for that month.
Each month remembers when it was last known fresh (``checked_at``: its build, or the last check that
found it unchanged). A page asking for months checked more than ``CITYHALL_DASHBOARD_REFRESH_SECONDS``
(300) ago checks them in one query on two indexes (documents decided, or saved, since the oldest of
those checks): a month holding a document decided or saved after its own check (a new decision, a
late paper registration, a correction) is built again, the others are marked checked. So the figures
are at most that old, the check runs at most once per interval however often the page is asked for,
it reads only the documents saved since, and no signal or hook in documents is needed (documents
imports nothing of the dashboard). ``manage.py dashboard_rollup`` rebuilds every month at once.

Durations (回議開始から決裁まで; from the draft date when a document was never circulated, as paper
registrations) are kept as counts per bucket: whole hours up to a day, whole days up to 30 days,
then 45, 60, 90, 180, 365 days and beyond; a median or p90 is the upper bound of its bucket.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cityhall.core.bulk import insert_rows
from cityhall.dashboard.models import (
    DecisionRollup,
    DurationRollup,
    KindDurationRollup,
    RollupMonth,
    SectionDurationRollup,
)
from cityhall.documents.models import Attachment, Document

HOUR = 1
DAY = 24
BUCKETS: tuple[int, ...] = (
    *range(1, 24),
    *(d * DAY for d in range(1, 31)),
    *(d * DAY for d in (45, 60, 90, 180, 365, 3650)),
)
"""Upper bounds of the duration buckets, in hours (a duration of ``h`` hours goes in the first bound ≥ h)."""


def bucket_of(hours: float) -> int:
    """The bucket (its upper bound in hours) of a duration; beyond the last, the last."""
    index = bisect.bisect_left(BUCKETS, max(hours, 0))
    return BUCKETS[min(index, len(BUCKETS) - 1)]


def month_of(value: dt.datetime) -> dt.date:
    """The first day of the Japan month of a moment."""
    local = timezone.localtime(value)
    return dt.date(local.year, local.month, 1)


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(month, dt.time(), tzinfo=tz)
    return start, dt.datetime.combine(next_month(month), dt.time(), tzinfo=tz)


def _hours(submitted_at: dt.datetime | None, drafted_on: dt.date, decided_at: dt.datetime) -> float:
    start = submitted_at
    if start is None:
        start = dt.datetime.combine(drafted_on, dt.time(), tzinfo=timezone.get_current_timezone())
    return (decided_at - start).total_seconds() / 3600


_Rows = dict[type[models.Model], list[dict[str, Any]]]


def _build(month: dt.date) -> _Rows:
    """The rollup rows of one month by table (values by field), read in two queries (documents, then attachments).

    Written with ``core.bulk.insert_rows``: a month of a large register has some 20,000 rollup rows,
    and a model instance of each would cost more than reading the month's documents.
    """
    start, end = bounds(month)
    docs: Counter[tuple[int, int, str]] = Counter()
    durations: Counter[tuple[int, int, int]] = Counter()
    decided = Document.objects.filter(decided_at__gte=start, decided_at__lt=end).order_by()
    fields = ("section_id", "matter_kind_id", "medium", "submitted_at", "drafted_on", "decided_at")
    for section, kind, medium, submitted, drafted, at in decided.values_list(*fields).iterator(chunk_size=5000):
        docs[(section, kind, medium)] += 1
        durations[(section, kind, bucket_of(_hours(submitted, drafted, at)))] += 1
    attachments = {
        (r["document__section_id"], r["document__matter_kind_id"], r["document__medium"]): r["n"]
        for r in Attachment.objects.filter(document__decided_at__gte=start, document__decided_at__lt=end)
        .values("document__section_id", "document__matter_kind_id", "document__medium")
        .annotate(n=Count("pk"))
        .order_by()
    }
    by_section: Counter[tuple[int, int]] = Counter()
    by_kind: Counter[tuple[int, int]] = Counter()
    for (s, k, b), n in durations.items():
        by_section[(s, b)] += n
        by_kind[(k, b)] += n
    return {
        DecisionRollup: [
            {"month": month, "section_id": s, "matter_kind_id": k, "medium": m, "documents": n,
             "attachments": attachments.get((s, k, m), 0)}
            for (s, k, m), n in docs.items()
        ],
        DurationRollup: [
            {"month": month, "section_id": s, "matter_kind_id": k, "bucket": b, "documents": n}
            for (s, k, b), n in durations.items()
        ],
        SectionDurationRollup: [
            {"month": month, "section_id": s, "bucket": b, "documents": n} for (s, b), n in by_section.items()
        ],
        KindDurationRollup: [
            {"month": month, "matter_kind_id": k, "bucket": b, "documents": n} for (k, b), n in by_kind.items()
        ],
    }  # fmt: skip


def rebuild(month: dt.date) -> None:
    """Build one month's rows again, whole, in one transaction (a concurrent build of the same month waits)."""
    started = timezone.now()  # what is saved after this may be missed by the build: the next check sees it
    rows = _build(month)
    with transaction.atomic():
        marker, _created = RollupMonth.objects.select_for_update().get_or_create(
            month=month, defaults={"computed_at": started, "checked_at": started}
        )
        for table, values in rows.items():
            table._default_manager.filter(month=month).delete()
            insert_rows(table, values)
        marker.computed_at = marker.checked_at = started
        marker.save(update_fields=["computed_at", "checked_at"])


IN_FLIGHT = dt.timedelta(seconds=60)
"""How long a save may take to commit after its ``updated_at`` was set: a check looks back this much further."""


def _refresh_after() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "CITYHALL_DASHBOARD_REFRESH_SECONDS", 300))


def ensure(months: Iterable[dt.date]) -> None:
    """Build the months not built yet, and check those last checked before the refresh interval.

    One query when every month was checked within the interval (the page's usual case); otherwise
    the check and the update of the unchanged months' ``checked_at``, and a build per changed month.
    Months after the current one are skipped.
    """
    now = timezone.now()
    current = month_of(now)
    wanted = [m for m in months if m <= current]
    known = {r.month: r.checked_at for r in RollupMonth.objects.filter(month__in=wanted)}
    due = {m: at for m, at in known.items() if now - at >= _refresh_after()}
    changed = _changed(due)
    unchanged = [m for m in due if m not in changed]
    if unchanged:
        RollupMonth.objects.filter(month__in=unchanged).update(checked_at=now)
    for month in sorted({m for m in wanted if m not in known} | changed):
        rebuild(month)


def _changed(checked: dict[dt.date, dt.datetime]) -> set[dt.date]:
    """The months (with when each was last checked) holding a document decided or saved since: one query.

    It reads the documents decided since the oldest check (index on ``decided_at``) or saved since
    (index on ``updated_at``), grouped by the Japan month of their decision.
    """
    if not checked:
        return set()
    since = min(checked.values()) - IN_FLIGHT
    recent = Document.objects.filter(
        Q(decided_at__gt=since, decided_at__lt=bounds(max(checked))[1]) | Q(updated_at__gt=since)
    )
    rows = (
        recent.annotate(month=TruncMonth("decided_at"))
        .values("month")
        .annotate(decided=Max("decided_at"), saved=Max("updated_at"))
        .order_by()
    )
    changed = set()
    for row in rows:
        if row["month"] is None:  # saved but not decided
            continue
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        latest = max(row["decided"], row["saved"] or row["decided"])
        if month in checked and latest > checked[month] - IN_FLIGHT:
            changed.add(month)
    return changed
