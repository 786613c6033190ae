"""Telework's figures for the DX dashboard (ダッシュボードへ提供する数値), registered with ``core.figures`` by
``TeleworkConfig.ready``.

- 「テレワーク可能な業務」: the tasks of the inventory that are ready today (可 and 条件付きで可), city-wide
  or of the chosen 課, by 課. Readiness is a state of today, not of a month, so it has no monthly series.
- 「テレワーク実施日数」: telework days taken, i.e. days of decided requests (承認済) from the first day of
  the filters' months up to today, by Japan month and by 課.

Each provider reads in a fixed number of queries whatever the number of requests and tasks; neither
knows the viewer, because the dashboard's figures are the city's (the lists behind them are not:
their links go to telework's own screens, which apply telework's scopes).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.core.figures import Figure
from cityhall.telework.models import TeleworkDay
from cityhall.telework.selectors.inventory import city_ready_counts
from cityhall.telework.selectors.requests import APPROVED


def _last_day(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def ready_tasks(filters: Any) -> Figure:
    """Tasks telework-ready today (可 and 条件付きで可), by 課."""
    counts = city_ready_counts(section_id=filters.section_id)
    by_section = {c.section_id: float(c.ready + c.conditions) for c in counts if c.total}
    return Figure(
        value=sum(by_section.values()),
        unit=_("件"),
        url=reverse("telework:inventory"),
        by_section=by_section,
        section_urls={pk: reverse("telework:inventory_section", args=[pk]) for pk in by_section},
    )


def days_taken(filters: Any) -> Figure:
    """Approved telework days up to today in the filters' months, by month ("YYYY-MM") and by 課."""
    months = filters.months()
    until = min(_last_day(months[-1]), timezone.localdate())
    days = TeleworkDay.objects.filter(request__document__status__in=APPROVED, day__gte=months[0], day__lte=until)
    if filters.section_id is not None:
        days = days.filter(section_id=filters.section_id)
    by_month: dict[str, float] = {}
    by_section: dict[int, float] = {}
    rows = days.annotate(month=TruncMonth("day")).values("month", "section_id").annotate(n=Count("pk")).order_by()
    for row in rows:
        key = f"{row['month']:%Y-%m}"
        by_month[key] = by_month.get(key, 0) + row["n"]
        by_section[row["section_id"]] = by_section.get(row["section_id"], 0) + row["n"]
    calendar = reverse("telework:calendar")
    return Figure(
        value=sum(by_month.values()),
        unit=_("日"),
        url=calendar if filters.section_id is None else f"{calendar}?section={filters.section_id}",
        by_month=by_month,
        by_section=by_section,
        section_urls={pk: f"{calendar}?section={pk}" for pk in by_section},
    )
