"""The dashboard's figures (DXダッシュボードの数値) and the records behind them, for the 幹部 role.

Figures are city-wide counts read from the monthly rollups (``rollup``) in a constant number of
queries whatever the size of the register (the durations from the rollup of the grain the filters
need: by 課 alone and by kind alone for the city, by 課 and kind for one 課); the lists behind a
figure go through documents' ``visible_documents``, so a viewer lists only the documents they may see.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.core import figures
from cityhall.core.japanese import fiscal_year_start
from cityhall.dashboard import rollup
from cityhall.dashboard.access import require_view
from cityhall.dashboard.models import DecisionRollup, DurationRollup, KindDurationRollup, SectionDurationRollup
from cityhall.documents.models import Document, Medium, PostReview
from cityhall.documents.selectors import visible_documents
from cityhall.savings.models import SavedTime
from cityhall.savings.selectors import ledger_for


@dataclass(frozen=True)
class Filters:
    """The page's filters: a 年度, optionally one month of it (its first day) and one 課."""

    fiscal_year: int
    month: dt.date | None = None
    section_id: int | None = None

    def months(self) -> list[dt.date]:
        """The months the figures cover: the chosen month, or April to March of the 年度."""
        if self.month is not None:
            return [self.month]
        first = fiscal_year_start(self.fiscal_year)
        months = [first]
        for _month in range(11):
            months.append(rollup.next_month(months[-1]))
        return months


@dataclass(frozen=True)
class Durations:
    """Median and p90 of the time to decision, in hours (each the upper bound of its bucket), and the count."""

    documents: int
    median_hours: int | None
    p90_hours: int | None


def durations(buckets: Iterable[tuple[int, int]]) -> Durations:
    """Median and p90 from ``(bucket, count)`` pairs: the first bucket where the running count reaches the share."""
    ordered = sorted(buckets)
    total = sum(n for _, n in ordered)
    if total == 0:
        return Durations(0, None, None)

    def at(share: float) -> int:
        running = 0
        for bucket, n in ordered:
            running += n
            if running >= share * total:
                return bucket
        return ordered[-1][0]

    return Durations(total, at(0.5), at(0.9))


@dataclass(frozen=True)
class Split:
    """Decided documents by medium (電子・紙) and the electronic share in percent."""

    electronic: int = 0
    paper: int = 0

    @property
    def total(self) -> int:
        return self.electronic + self.paper

    @property
    def share(self) -> float | None:
        return round(100 * self.electronic / self.total, 1) if self.total else None


@dataclass(frozen=True)
class MonthRow:
    """One month: decisions by medium, paper avoided (sheets and attachments not printed), hours saved."""

    month: dt.date
    split: Split
    sheets: int
    attachment_pages: int
    minutes_saved: int
    telework_days: float | None = None  # provided by telework; None while nobody provides it

    @property
    def pages_avoided(self) -> int:
        return self.sheets + self.attachment_pages

    @property
    def hours_saved(self) -> float:
        return round(self.minutes_saved / 60, 1)

    @property
    def label(self) -> str:
        return _("%(year)d年%(month)d月") % {"year": self.month.year, "month": self.month.month}

    @property
    def number(self) -> int:
        return self.month.month


@dataclass(frozen=True)
class SectionRow:
    """One 課: decisions by medium and the time to decision."""

    section_id: int
    name: str
    split: Split
    durations: Durations
    telework_days: float | None = None  # provided by telework; None while nobody provides it
    telework_days_url: str = ""
    telework_ready: float | None = None
    telework_ready_url: str = ""


@dataclass(frozen=True)
class KindRow:
    """One kind of matter (事案の種類): the time to decision."""

    matter_kind_id: int
    name: str
    durations: Durations


@dataclass(frozen=True)
class Dashboard:
    """Every figure of the page for the filters."""

    filters: Filters
    months: list[MonthRow]
    sections: list[SectionRow]
    kinds: list[KindRow]
    total: Split
    overall: Durations
    post_reviews: int
    telework: dict[str, figures.Figure | None] = field(default_factory=dict)

    @property
    def sheets(self) -> int:
        return sum(m.sheets for m in self.months)

    @property
    def attachment_pages(self) -> int:
        return sum(m.attachment_pages for m in self.months)

    @property
    def pages_avoided(self) -> int:
        return self.sheets + self.attachment_pages

    @property
    def hours_saved(self) -> float:
        return round(sum(m.minutes_saved for m in self.months) / 60, 1)


def _scoped(qs: QuerySet, filters: Filters) -> QuerySet:
    months = filters.months()
    qs = qs.filter(month__gte=months[0], month__lte=months[-1])
    return qs if filters.section_id is None else qs.filter(section_id=filters.section_id)


def _month_rows(user: User, filters: Filters) -> list[MonthRow]:
    by_month: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        _scoped(DecisionRollup.objects.all(), filters)
        .values("month", "medium")
        .annotate(n=Sum("documents"), a=Sum("attachments"))
    )
    for r in rows.order_by():
        figures_of = by_month[r["month"]]
        figures_of[r["medium"]] += r["n"]
        if r["medium"] == Medium.ELECTRONIC:
            figures_of["attachments"] += r["a"]
    saved = _minutes_saved(user, filters)
    return [
        MonthRow(
            month=m,
            split=Split(by_month[m][Medium.ELECTRONIC], by_month[m][Medium.PAPER]),
            sheets=by_month[m][Medium.ELECTRONIC],
            attachment_pages=by_month[m]["attachments"],
            minutes_saved=saved.get(m, 0),
        )
        for m in filters.months()
    ]


def _minutes_saved(user: User, filters: Filters) -> dict[dt.date, int]:
    """The savings ledger's minutes by Japan month, as ``savings.ledger_for`` lets the user see them."""
    months = filters.months()
    start, _ = rollup.bounds(months[0])
    _, end = rollup.bounds(months[-1])
    qs = ledger_for(user).filter(occurred_at__gte=start, occurred_at__lt=end)
    if filters.section_id is not None:
        qs = qs.filter(section_id=filters.section_id)
    rows = qs.annotate(m=TruncMonth("occurred_at")).values("m").annotate(minutes=Sum("minutes")).order_by()
    return {(r["m"].date() if isinstance(r["m"], dt.datetime) else r["m"]): int(r["minutes"] or 0) for r in rows}


def _section_rows(filters: Filters) -> list[SectionRow]:
    splits: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    names: dict[int, tuple[str, str]] = {}
    for r in (
        _scoped(DecisionRollup.objects.all(), filters)
        .values("section_id", "section__name", "section__code", "medium")
        .annotate(n=Sum("documents"))
        .order_by()
    ):
        splits[r["section_id"]][r["medium"]] += r["n"]
        names[r["section_id"]] = (r["section__code"], r["section__name"])
    buckets: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for r in (
        _scoped(SectionDurationRollup.objects.all(), filters)
        .values("section_id", "bucket")
        .annotate(n=Sum("documents"))
        .order_by()
    ):
        buckets[r["section_id"]].append((r["bucket"], r["n"]))
    return [
        SectionRow(
            pk, names[pk][1], Split(splits[pk][Medium.ELECTRONIC], splits[pk][Medium.PAPER]), durations(buckets[pk])
        )
        for pk in sorted(names, key=lambda pk: names[pk][0])
    ]


def _kind_rows(filters: Filters) -> tuple[list[KindRow], Durations]:
    buckets: dict[int, list[tuple[int, int]]] = defaultdict(list)
    names: dict[int, tuple[int, str]] = {}
    overall: dict[int, int] = defaultdict(int)
    # The city's page reads the rollup by kind alone; a 課's page that 課's rows by kind.
    table = KindDurationRollup if filters.section_id is None else DurationRollup
    rows = (
        _scoped(table.objects.all(), filters)
        .values("matter_kind_id", "matter_kind__name", "matter_kind__sort_order", "bucket")
        .annotate(n=Sum("documents"))
        .order_by()
    )
    for r in rows:
        buckets[r["matter_kind_id"]].append((r["bucket"], r["n"]))
        names[r["matter_kind_id"]] = (r["matter_kind__sort_order"], r["matter_kind__name"])
        overall[r["bucket"]] += r["n"]
    kinds = [KindRow(pk, names[pk][1], durations(buckets[pk])) for pk in sorted(names, key=lambda pk: names[pk])]
    return kinds, durations(overall.items())


def outstanding_post_reviews(section_id: int | None = None) -> QuerySet[PostReview]:
    """Post-reviews (後閲) not done yet, city-wide or of one 課's documents."""
    qs = PostReview.objects.filter(done_at__isnull=True)
    return qs if section_id is None else qs.filter(document__section_id=section_id)


def dashboard(user: User, filters: Filters) -> Dashboard:
    """Every figure of the page for ``filters`` (幹部 only), in a constant number of queries."""
    require_view(user)
    rollup.ensure(filters.months())
    telework = {name: figures.provided(name, filters) for name in (figures.TELEWORK_READY, figures.TELEWORK_DAYS)}
    months = _with_telework_months(_month_rows(user, filters), telework)
    kinds, overall = _kind_rows(filters)
    total = Split(sum(m.split.electronic for m in months), sum(m.split.paper for m in months))
    return Dashboard(
        filters=filters,
        months=months,
        sections=_with_telework_sections(_section_rows(filters), telework),
        kinds=kinds,
        total=total,
        overall=overall,
        post_reviews=outstanding_post_reviews(filters.section_id).count(),
        telework=telework,
    )


def _with_telework_months(rows: list[MonthRow], telework: dict[str, figures.Figure | None]) -> list[MonthRow]:
    days = telework.get(figures.TELEWORK_DAYS)
    if days is None:
        return rows
    return [replace(m, telework_days=days.by_month.get(f"{m.month:%Y-%m}", 0)) for m in rows]


def _with_telework_sections(rows: list[SectionRow], telework: dict[str, figures.Figure | None]) -> list[SectionRow]:
    days, ready = telework.get(figures.TELEWORK_DAYS), telework.get(figures.TELEWORK_READY)
    return [
        replace(
            s,
            telework_days=days.by_section.get(s.section_id, 0) if days else None,
            telework_days_url=days.section_urls.get(s.section_id, "") if days else "",
            telework_ready=ready.by_section.get(s.section_id, 0) if ready else None,
            telework_ready_url=ready.section_urls.get(s.section_id, "") if ready else "",
        )
        for s in rows
    ]


@dataclass(frozen=True)
class DrillDown:
    """What a figure's list shows: decided documents by medium or kind, or 後閲 outstanding."""

    medium: str | None = None
    matter_kind_id: int | None = None
    post_review: bool = False


def documents_behind(user: User, filters: Filters, drill: DrillDown) -> QuerySet[Document]:
    """The documents behind a figure that ``user`` may see (documents' visibility rule, in SQL), newest first."""
    require_view(user)
    qs = visible_documents(user)
    if filters.section_id is not None:
        qs = qs.filter(section_id=filters.section_id)
    if drill.post_review:
        open_reviews = PostReview.objects.filter(document=OuterRef("pk"), done_at__isnull=True)
        return qs.filter(Exists(open_reviews)).order_by("-decided_at", "-pk")
    months = filters.months()
    start, _ = rollup.bounds(months[0])
    _, end = rollup.bounds(months[-1])
    qs = qs.filter(decided_at__gte=start, decided_at__lt=end)
    if drill.medium:
        qs = qs.filter(medium=drill.medium)
    if drill.matter_kind_id is not None:
        qs = qs.filter(matter_kind_id=drill.matter_kind_id)
    return qs.annotate(attachment_count=Count("attachments")).order_by("-decided_at", "-pk")


def savings_behind(user: User, filters: Filters) -> QuerySet[SavedTime]:
    """The ledger rows behind the hours saved, as the savings ledger lets ``user`` see them."""
    require_view(user)
    months = filters.months()
    start, _ = rollup.bounds(months[0])
    _, end = rollup.bounds(months[-1])
    qs = ledger_for(user).filter(occurred_at__gte=start, occurred_at__lt=end).select_related("section")
    if filters.section_id is not None:
        qs = qs.filter(section_id=filters.section_id)
    return qs.filter(~Q(count=0)).order_by("-occurred_at", "-pk")
