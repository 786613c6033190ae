"""Writes of the task inventory (業務棚卸しの登録): tasks added, changed, removed and imported, each audited.

Only the head of the section (課長) or the 情報政策 role writes a section's inventory
(``scopes.section_for``: anyone else gets "not found"). An import (Excel or CSV, read by
``core.tables``) takes all its rows or none: a row with the same 業務名 as a task of the section
changes it, any other row adds a task; every problem is reported with its row, column and reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import transaction

from cityhall.accounts.models import User
from cityhall.core.audit import record
from cityhall.core.errors import ValidationFailed, clean
from cityhall.core.tables import Field, Layout, Row, cells, read_rows
from cityhall.documents.models import MatterKind
from cityhall.telework.models import InventoryTask, Obstacle
from cityhall.telework.scopes import section_for
from cityhall.telework.selectors.inventory import task_for

CREATE = "telework.inventory.create"
UPDATE = "telework.inventory.update"
DELETE = "telework.inventory.delete"
IMPORT = "telework.inventory.import"
OBJECT_TYPE = "telework.inventorytask"


@dataclass(frozen=True)
class TaskInput:
    """A task as given: name, hours per year, systems, obstacles (``Obstacle`` values), kind of matter (code)."""

    name: str
    hours_per_year: int | None
    systems: str = ""
    obstacles: tuple[str, ...] = ()
    matter_kind: str = ""


def _kinds() -> dict[str, MatterKind]:
    """Kinds of matter by code and by name (an import may give either)."""
    kinds = list(MatterKind.objects.all())
    return {k.code: k for k in kinds} | {k.name: k for k in kinds}


def problems(data: TaskInput, kinds: Mapping[str, MatterKind]) -> list[tuple[str, str]]:
    """What is wrong with a task as given: (field, Japanese reason), empty when it can be saved."""
    found = []
    if not data.name.strip():
        found.append(("name", "業務名を入力してください。"))
    if data.hours_per_year is None:
        found.append(("hours_per_year", "年間業務時間を入力してください。"))
    elif data.hours_per_year < 0:
        found.append(("hours_per_year", "年間業務時間は0時間以上にしてください。"))
    unknown = [o for o in data.obstacles if o not in Obstacle.values]
    if unknown:
        found.append(("obstacles", f"支障「{'、'.join(unknown)}」はありません。"))
    if data.matter_kind and data.matter_kind not in kinds:
        found.append(("matter_kind", f"事案の種類「{data.matter_kind}」はありません。"))
    return found


def _apply(task: InventoryTask, data: TaskInput, kinds: Mapping[str, MatterKind]) -> InventoryTask:
    wrong = problems(data, kinds)
    if wrong:
        raise ValidationFailed(wrong[0][1], field=wrong[0][0])
    task.name = data.name.strip()
    task.hours_per_year = data.hours_per_year or 0
    task.systems = data.systems.strip()
    task.obstacles = [o.value for o in Obstacle if o.value in set(data.obstacles)]
    task.matter_kind = kinds[data.matter_kind] if data.matter_kind else None
    clean(task)
    return task


def _readable(task: InventoryTask) -> dict[str, object]:
    return {
        "section": task.section_id,
        "name": task.name,
        "hours_per_year": task.hours_per_year,
        "systems": task.systems,
        "obstacles": list(task.obstacles),
        "matter_kind": task.matter_kind.code if task.matter_kind else "",
    }


def inventory_task_create(*, actor: User, section_id: int, data: TaskInput) -> InventoryTask:
    """Add a task to a section's inventory (業務の追加); its head or 情報政策 only."""
    section = section_for(actor, section_id)
    task = _apply(InventoryTask(section=section), data, _kinds())
    with transaction.atomic(durable=True):
        task.save()
        record(actor=actor, action=CREATE, obj=task, object_repr=task.name, after=_readable(task))
    return task


def inventory_task_update(*, actor: User, task_id: int, data: TaskInput) -> InventoryTask:
    """Change a task of the inventory (業務の変更); its section's head or 情報政策 only."""
    task_for(actor, task_id)
    kinds = _kinds()
    with transaction.atomic(durable=True):
        task = InventoryTask.objects.select_for_update(of=("self",)).select_related("matter_kind").get(pk=task_id)
        before = _readable(task)
        _apply(task, data, kinds)
        task.save()
        record(actor=actor, action=UPDATE, obj=task, object_repr=task.name, before=before, after=_readable(task))
    return task


def inventory_task_delete(*, actor: User, task_id: int) -> None:
    """Remove a task from the inventory (業務の削除); its section's head or 情報政策 only."""
    task_for(actor, task_id)
    with transaction.atomic(durable=True):
        task = InventoryTask.objects.select_for_update(of=("self",)).select_related("matter_kind").get(pk=task_id)
        before = _readable(task)
        record(actor=actor, action=DELETE, obj=task, object_repr=task.name, before=before)
        task.delete()


FIELDS: tuple[Field, ...] = (
    Field("name", "業務名", cells.text, required=True, example="児童手当の認定"),
    Field("hours_per_year", "年間業務時間", cells.number, required=True, example="1200"),
    Field("systems", "使用するシステム", cells.text, example="住民記録システム"),
    Field("matter_kind", "事案の種類", cells.text, example="一般"),
    *(Field(o.value, str(o.label), cells.flag, example="はい") for o in Obstacle),
)


class RowsRejected(ValidationFailed):
    """An import refused for its rows: every row's reasons in ``extra["rows"]``, nothing saved."""


@dataclass
class ImportResult:
    """What an import did: tasks added and changed."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def _row_input(row: Row) -> TaskInput:
    return TaskInput(
        name=row["name"] or "",
        hours_per_year=row["hours_per_year"],
        systems=row["systems"] or "",
        obstacles=tuple(o.value for o in Obstacle if row[o.value]),
        matter_kind=row["matter_kind"] or "",
    )


def _checked_rows(rows: Iterable[Row], kinds: Mapping[str, MatterKind]) -> list[tuple[Row, TaskInput]]:
    checked, seen = [], set()
    for row in rows:
        data = _row_input(row)
        if not row.reasons:
            for name, message in problems(data, kinds):
                row.refuse(name, message)
            if data.name.strip() in seen:
                row.refuse("name", f"業務名「{data.name.strip()}」が前の行と重複しています。")
            if data.name.strip() and len(data.name.strip()) > 100:
                row.refuse("name", "業務名は100文字以内にしてください。")
        seen.add(data.name.strip())
        checked.append((row, data))
    return checked


def inventory_import(*, actor: User, section_id: int, data: bytes) -> ImportResult:
    """Take a section's tasks from an Excel or CSV file (業務棚卸しの取込): all rows or none, audited."""
    section = section_for(actor, section_id)
    kinds = _kinds()
    checked = _checked_rows(read_rows(FIELDS, data, Layout()), kinds)
    reasons = [r.message for row, _ in checked for r in row.reasons]
    if not checked:
        raise ValidationFailed("取り込む行がありません。", field="file")
    result = ImportResult()
    with transaction.atomic(durable=True):
        existing = {t.name: t for t in InventoryTask.objects.select_for_update().filter(section=section)}
        tasks = []
        for row, given in checked:
            if row.reasons:
                continue
            task = existing.get(given.name.strip()) or InventoryTask(section=section)
            try:
                tasks.append((task.pk is not None, _apply(task, given, kinds)))
            except ValidationFailed as exc:
                reasons.append(f"{row.number}行目: {exc.message}")
        if reasons:
            raise RowsRejected(
                f"{len(reasons)}件の誤りがあるため、取り込みませんでした。", field="file", extra={"rows": reasons}
            )
        for was_there, task in tasks:
            task.save()
            (result.updated if was_there else result.created).append(task.name)
        record(
            actor=actor,
            action=IMPORT,
            object_type=OBJECT_TYPE,
            object_id=str(section.pk),
            object_repr=f"{section.name}の業務棚卸し",
            after={"created": result.created, "updated": result.updated},
        )
    return result
