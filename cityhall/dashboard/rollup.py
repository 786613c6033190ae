"""The monthly rollups (月次集計) behind the dashboard, built from the register and kept fresh.

The page never reads the register's million rows: it sums a few thousand rollup rows per year.
A month's rows (``DecisionRollup``, ``DurationRollup``) are built whole from the documents decided
in it (``decided_at`` in Japan time) in one transaction, the first time a page asks for that month.
A month built more than ``CITYHALL_DASHBOARD_REFRESH_SECONDS`` (300) ago is checked when a page
asks for it, in one query for all such months: a document decided in it whose decision or last save
is later than the build (a new decision, a late paper registration, a correction) makes it built
again; so the figures are at most that old, and no signal or hook in documents is needed (documents
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
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from cityhall.dashboard.models import DecisionRollup, DurationRollup, RollupMonth
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


def _hours(row: dict[str, Any]) -> float:
    start = row["submitted_at"]
    if start is None:
        start = dt.datetime.combine(row["drafted_on"], dt.time(), tzinfo=timezone.get_current_timezone())
    return (row["decided_at"] - start).total_seconds() / 3600


def _build(month: dt.date) -> tuple[list[DecisionRollup], list[DurationRollup]]:
    """The rollup rows of one month, read in two queries (documents, then their attachments by key)."""
    start, end = bounds(month)
    decided = Document.objects.filter(decided_at__gte=start, decided_at__lt=end)
    docs: Counter[tuple[int, int, str]] = Counter()
    durations: Counter[tuple[int, int, int]] = Counter()
    fields = ("section_id", "matter_kind_id", "medium", "submitted_at", "drafted_on", "decided_at")
    for row in decided.values(*fields).iterator(chunk_size=5000):
        docs[(row["section_id"], row["matter_kind_id"], row["medium"])] += 1
        durations[(row["section_id"], row["matter_kind_id"], bucket_of(_hours(row)))] += 1
    attachments = {
        (r["document__section_id"], r["document__matter_kind_id"], r["document__medium"]): r["n"]
        for r in Attachment.objects.filter(document__decided_at__gte=start, document__decided_at__lt=end)
        .values("document__section_id", "document__matter_kind_id", "document__medium")
        .annotate(n=Count("pk"))
        .order_by()
    }
    decisions = [
        DecisionRollup(
            month=month,
            section_id=s,
            matter_kind_id=k,
            medium=m,
            documents=n,
            attachments=attachments.get((s, k, m), 0),
        )
        for (s, k, m), n in docs.items()
    ]
    buckets = [
        DurationRollup(month=month, section_id=s, matter_kind_id=k, bucket=b, documents=n)
        for (s, k, b), n in durations.items()
    ]
    return decisions, buckets


def rebuild(month: dt.date) -> None:
    """Build one month's rows again, whole, in one transaction (a concurrent build of the same month waits)."""
    decisions, buckets = _build(month)
    with transaction.atomic():
        marker, _created = RollupMonth.objects.select_for_update().get_or_create(
            month=month, defaults={"computed_at": timezone.now()}
        )
        DecisionRollup.objects.filter(month=month).delete()
        DurationRollup.objects.filter(month=month).delete()
        DecisionRollup.objects.bulk_create(decisions, batch_size=1000)
        DurationRollup.objects.bulk_create(buckets, batch_size=1000)
        marker.computed_at = timezone.now()
        marker.save(update_fields=["computed_at"])


def _refresh_after() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "CITYHALL_DASHBOARD_REFRESH_SECONDS", 300))


def ensure(months: Iterable[dt.date]) -> None:
    """Build the months not built yet, and those built before the refresh interval that changed since.

    One query when every month was built within the interval (the page's usual case), two otherwise;
    months after the current one are skipped.
    """
    now = timezone.now()
    current = month_of(now)
    wanted = [m for m in months if m <= current]
    known = {r.month: r for r in RollupMonth.objects.filter(month__in=wanted)}
    due = {m: known[m].computed_at for m in wanted if m in known and now - known[m].computed_at >= _refresh_after()}
    for month in sorted({m for m in wanted if m not in known} | _changed(due)):
        rebuild(month)


def _changed(built: dict[dt.date, dt.datetime]) -> set[dt.date]:
    """The months (with when each was built) holding a document decided or saved after that build: one query."""
    if not built:
        return set()
    since = min(built.values())
    start, end = bounds(min(built))[0], bounds(max(built))[1]
    rows = Document.objects.filter(decided_at__gte=start, decided_at__lt=end).filter(
        Q(decided_at__gt=since) | Q(updated_at__gt=since)
    )
    changed = set()
    for decided, updated in rows.values_list("decided_at", "updated_at"):
        if decided is None:  # never: the filter asks for a decision in the months
            continue
        month = month_of(decided)
        if month in built and max(decided, updated or decided) > built[month]:
            changed.add(month)
    return changed
