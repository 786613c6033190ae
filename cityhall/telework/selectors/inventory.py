"""Reads of the task inventory (業務棚卸しの参照): each task's readiness for telework, with its reasons.

**Readiness (テレワークの可否).** A task with no obstacle left is ready (可); one whose only obstacles
are personal data or large drawings is ready with conditions (条件付きで可: the remote-access policy's
masking and watermark, a large screen); paper originals, seals or wet approval, counter work and field
work block it (不可).

**Removed obstacles (解消済みの支障), measured from the register.** 「押印・紙の決裁」 is removed for a
task whose kind of matter (``matter_kind``) its section now decides electronically: among the section's
documents of that kind decided in the last ``CITYHALL_TELEWORK_WINDOW_DAYS`` days (90), the share decided
in cityhall (``Document.medium`` electronic, not a registered paper decision) is at least
``CITYHALL_TELEWORK_E_DECISION_SHARE`` percent (80), with at least one decision. 「紙の原本」 stays as
declared: the register does not say whether a task's incoming originals are paper.

All tasks of a section (or of every section a user sees) cost a constant number of queries: the
tasks, and one grouped count over documents for their sections and kinds (:func:`electronic_shares`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, TextChoices
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from cityhall.core.errors import PermissionDenied
from cityhall.documents.models import DECIDED_STATUSES, Document, Medium
from cityhall.org.models import OrgUnit, UnitKind
from cityhall.telework.models import InventoryTask, Obstacle
from cityhall.telework.scopes import NOT_FOUND, sections_of, sections_read


class Readiness(TextChoices):
    """A task's readiness for telework (テレワークの可否)."""

    READY = "ready", pgettext_lazy("readiness", "可")
    CONDITIONS = "conditions", pgettext_lazy("readiness", "条件付きで可")
    BLOCKED = "blocked", pgettext_lazy("readiness", "不可")


CONDITIONS = {
    Obstacle.PERSONAL_DATA: (
        "個人情報を扱う: 庁外ではリモートアクセスの方針のとおり（マスク・透かし入りの表示）、自宅に保存しない"
    ),
    Obstacle.LARGE_DRAWINGS: "大きな図面が必要: 大きな画面のある環境が必要",
}
BLOCKING = {
    Obstacle.PAPER_ORIGINALS: "紙の原本が必要: 原本が電子化されるまで庁外ではできない",
    Obstacle.SEALS: "押印・紙の決裁が必要",
    Obstacle.COUNTER_WORK: "窓口業務: 来庁者の対応は庁外ではできない",
    Obstacle.FIELD_WORK: "現場業務: 現地での作業は庁外（自宅）ではできない",
}


def window_days() -> int:
    """The days of decisions the measure looks back over (90)."""
    return int(getattr(settings, "CITYHALL_TELEWORK_WINDOW_DAYS", 90))


def threshold() -> int:
    """The share of electronic decisions, in percent, at which 「押印・紙の決裁」 counts as removed (80)."""
    return int(getattr(settings, "CITYHALL_TELEWORK_E_DECISION_SHARE", 80))


@dataclass(frozen=True)
class Share:
    """Decisions of one section and kind of matter in the window: all of them and those made electronically."""

    total: int
    electronic: int

    @property
    def percent(self) -> int:
        """The electronic share in whole percent (0 with no decision)."""
        return self.electronic * 100 // self.total if self.total else 0


Shares = dict[tuple[int, int], Share]


def electronic_shares(section_ids: Iterable[int], kind_ids: Iterable[int], *, now: dt.datetime | None = None) -> Shares:
    """(section, kind) → decisions in the window and how many were electronic, in one grouped query."""
    sections, kinds = set(section_ids), set(kind_ids)
    if not sections or not kinds:
        return {}
    since = (now or timezone.now()) - dt.timedelta(days=window_days())
    rows = (
        Document.objects.filter(
            section_id__in=sections, matter_kind_id__in=kinds, status__in=DECIDED_STATUSES, decided_at__gte=since
        )
        .values("section_id", "matter_kind_id")
        .annotate(total=Count("id"), electronic=Count("id", filter=Q(medium=Medium.ELECTRONIC)))
        .order_by()
    )
    return {(r["section_id"], r["matter_kind_id"]): Share(r["total"], r["electronic"]) for r in rows}


@dataclass
class TaskRow:
    """A task with its readiness, the reasons (Japanese) and the obstacles measured as removed."""

    task: InventoryTask
    readiness: Readiness = Readiness.READY
    reasons: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def obstacle_labels(self) -> list[str]:
        """The declared obstacles' labels."""
        return [str(Obstacle(o).label) for o in self.task.obstacles]


def _seal_share(task: InventoryTask, shares: Shares) -> Share | None:
    if task.matter_kind_id is None:
        return None
    return shares.get((task.section_id, task.matter_kind_id))


def assess(task: InventoryTask, shares: Shares) -> TaskRow:
    """The readiness of one task from its declared obstacles and the measured shares (no query)."""
    row = TaskRow(task)
    blocked = conditional = False
    for value in task.obstacles:
        obstacle = Obstacle(value)
        if obstacle is Obstacle.SEALS:
            share = _seal_share(task, shares)
            kind = task.matter_kind.name if task.matter_kind else ""
            if share is not None and share.percent >= threshold():
                row.removed.append(
                    f"押印・紙の決裁: 解消（直近{window_days()}日の「{kind}」の決裁 {share.total}件のうち"
                    f"電子決裁 {share.electronic}件・{share.percent}%）"
                )
                continue
            measured = (
                f"（直近{window_days()}日の「{kind}」の電子決裁 {share.percent}%、基準 {threshold()}%）"
                if share is not None
                else "（この課の電子決裁の記録がまだありません）"
                if kind
                else "（事案の種類を入力すると電子決裁の割合で判定します）"
            )
            row.reasons.append(BLOCKING[obstacle] + measured)
            blocked = True
        elif obstacle in BLOCKING:
            row.reasons.append(BLOCKING[obstacle])
            blocked = True
        else:
            row.reasons.append(CONDITIONS[obstacle])
            conditional = True
    row.readiness = Readiness.BLOCKED if blocked else Readiness.CONDITIONS if conditional else Readiness.READY
    return row


def _assessed(tasks: list[InventoryTask]) -> list[TaskRow]:
    shares = electronic_shares({t.section_id for t in tasks}, {t.matter_kind_id for t in tasks if t.matter_kind_id})
    return [assess(task, shares) for task in tasks]


@dataclass(frozen=True)
class SectionInventory:
    """A section's tasks assessed, with the count per readiness."""

    section: OrgUnit
    rows: list[TaskRow]

    def count(self, readiness: str) -> int:
        """How many tasks have this readiness."""
        return sum(1 for r in self.rows if r.readiness == readiness)


def section_inventory(user: Any, section_pk: int) -> SectionInventory:
    """The section's tasks with readiness (課の業務棚卸し); 404 for a section the user does not read."""
    section = sections_read(user).filter(pk=section_pk).first()
    if section is None:
        raise PermissionDenied(NOT_FOUND)
    tasks = list(InventoryTask.objects.filter(section=section).select_related("matter_kind").order_by("name"))
    return SectionInventory(section, _assessed(tasks))


def task_for(user: Any, pk: int) -> InventoryTask:
    """One task of a section the user sees; 404 otherwise."""
    task = InventoryTask.objects.filter(pk=pk, section__in=sections_of(user)).select_related("section").first()
    if task is None:
        raise PermissionDenied(NOT_FOUND)
    return task


@dataclass(frozen=True)
class ReadyCounts:
    """One section's tasks by readiness (for the section list and the DX dashboard)."""

    section_id: int
    section_name: str
    ready: int
    conditions: int
    blocked: int
    hours_ready: int

    @property
    def total(self) -> int:
        """All the section's tasks."""
        return self.ready + self.conditions + self.blocked


def ready_task_counts(user: Any, *, section_ids: Iterable[int] | None = None) -> list[ReadyCounts]:
    """Per section the user sees (課長: their own; 情報政策: all): tasks ready, with conditions, blocked.

    For the DX dashboard and the inventory's section list: three queries whatever the number of
    sections and tasks (the sections, the tasks, one grouped count over documents). ``section_ids``
    narrows the sections; ``hours_ready`` adds up the hours of ready tasks (可 and 条件付きで可).
    Sections without tasks are listed with zeros.
    """
    sections = sections_read(user)
    if section_ids is not None:
        sections = sections.filter(pk__in=list(section_ids))
    return counts_for(list(sections))


def city_ready_counts(*, section_id: int | None = None) -> list[ReadyCounts]:
    """Every current 課 (or one) by readiness, for no particular viewer: the DX dashboard's figure."""
    sections = OrgUnit.objects.on(timezone.localdate()).filter(kind=UnitKind.SECTION).order_by("sort_order", "code")
    if section_id is not None:
        sections = sections.filter(pk=section_id)
    return counts_for(list(sections))


def counts_for(units: list[OrgUnit]) -> list[ReadyCounts]:
    """The units' tasks by readiness, in two queries (the tasks, one grouped count over documents)."""
    tasks = list(InventoryTask.objects.filter(section__in=[u.pk for u in units]).select_related("matter_kind"))
    counts = {u.pk: {r.value: 0 for r in Readiness} | {"hours": 0} for u in units}
    for row in _assessed(tasks):
        counts[row.task.section_id][row.readiness] += 1
        if row.readiness != Readiness.BLOCKED:
            counts[row.task.section_id]["hours"] += row.task.hours_per_year
    return [
        ReadyCounts(
            u.pk,
            u.name,
            counts[u.pk][Readiness.READY],
            counts[u.pk][Readiness.CONDITIONS],
            counts[u.pk][Readiness.BLOCKED],
            counts[u.pk]["hours"],
        )
        for u in units
    ]
