"""The monthly rollups (月次集計) behind the dashboard, built from the register and kept fresh.

The page never reads the register's million rows: it sums a few thousand rollup rows per year.
A month's rows (``DecisionRollup``, ``DurationRollup``) are built whole from the documents decided
in it (``decided_at`` in Japan time) in one transaction, the first time a page asks for that month.
A decision saved afterwards (the engine saves the document) marks its month stale through the
``post_save`` signal of ``Document`` (documents imports nothing of the dashboard); a stale month is
built again when a page asks for it, at most once every ``CITYHALL_DASHBOARD_REFRESH_SECONDS``
(300), so the current month's figures are at most that old. Rows inserted without ``save`` (the
switch-over import of old paper registers uses ``bulk_create``) send no signal: ``manage.py
dashboard_rollup`` rebuilds every month after such an import.

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
from django.db.models import Count
from django.db.models.signals import post_save
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
        marker.stale = False
        marker.save(update_fields=["computed_at", "stale"])


def _refresh_after() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "CITYHALL_DASHBOARD_REFRESH_SECONDS", 300))


def ensure(months: Iterable[dt.date]) -> None:
    """Build the months not built yet, and the stale ones last built more than the refresh interval ago.

    One query when everything is fresh (the page's usual case); months after the current one are skipped.
    """
    now = timezone.now()
    current = month_of(now)
    wanted = [m for m in months if m <= current]
    known = {r.month: r for r in RollupMonth.objects.filter(month__in=wanted)}
    for month in wanted:
        marker = known.get(month)
        if marker is None or (marker.stale and now - marker.computed_at >= _refresh_after()):
            rebuild(month)


def mark_stale(month: dt.date) -> None:
    """Say that a decision changed ``month`` (one UPDATE; nothing when the month was never built)."""
    RollupMonth.objects.filter(month=month, stale=False).update(stale=True)


def _document_saved(sender: type[Document], instance: Document, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if instance.decided_at is not None and (fields is None or "decided_at" in fields):
        mark_stale(month_of(instance.decided_at))


def connect() -> None:
    """Listen to saved documents (called from the app's ``ready``)."""
    post_save.connect(_document_saved, sender=Document, dispatch_uid="dashboard.document_saved")
