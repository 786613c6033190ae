"""REST API of the task inventory (業務棚卸し API), mounted at /api/telework; section heads and 情報政策."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from cityhall.accounts.requests import user_of
from cityhall.core.http import ERRORS, Id
from cityhall.telework.selectors.inventory import TaskRow, ready_task_counts, section_inventory
from cityhall.telework.services import inventory as services

router = Router(auth=django_auth, tags=["業務棚卸し"])


class TaskIn(Schema):
    """A task as given."""

    name: str = Field(max_length=100)
    hours_per_year: int = Field(ge=0, le=1_000_000)
    systems: str = Field("", max_length=200)
    obstacles: list[str] = Field(
        default_factory=list,
        max_length=6,
        description="personal_data, paper_originals, seals, large_drawings, counter_work, field_work",
    )
    matter_kind: str = Field("", max_length=30, description="事案の種類のコード（空欄可）")


class TaskOut(Schema):
    """A task with its readiness (ready, conditions, blocked) and the reasons."""

    id: int
    section_id: int
    name: str
    hours_per_year: int
    systems: str
    obstacles: list[str]
    matter_kind: str
    readiness: str
    reasons: list[str]
    removed: list[str]


class CountsOut(Schema):
    """One section's tasks by readiness."""

    section_id: int
    section_name: str
    ready: int
    conditions: int
    blocked: int
    hours_ready: int


def _out(row: TaskRow) -> TaskOut:
    task = row.task
    return TaskOut(
        id=task.pk,
        section_id=task.section_id,
        name=task.name,
        hours_per_year=task.hours_per_year,
        systems=task.systems,
        obstacles=list(task.obstacles),
        matter_kind=task.matter_kind.code if task.matter_kind else "",
        readiness=row.readiness.value,
        reasons=row.reasons,
        removed=row.removed,
    )


def _input(payload: TaskIn) -> services.TaskInput:
    return services.TaskInput(
        name=payload.name,
        hours_per_year=payload.hours_per_year,
        systems=payload.systems,
        obstacles=tuple(payload.obstacles),
        matter_kind=payload.matter_kind,
    )


def _row(request: HttpRequest, section_id: int, task_id: int) -> TaskOut:
    rows = section_inventory(user_of(request), section_id).rows
    return next(_out(r) for r in rows if r.task.pk == task_id)


@router.get("/inventory/counts", response={200: list[CountsOut], **ERRORS}, summary="課ごとの業務の判定の件数")
def counts_get(request: HttpRequest) -> list[CountsOut]:
    """Per section the user sees: tasks ready, ready with conditions, blocked."""
    return [CountsOut(**vars(c)) for c in ready_task_counts(user_of(request))]


@router.get("/inventory/sections/{section_id}/tasks", response={200: list[TaskOut], **ERRORS}, summary="課の業務棚卸し")
def tasks_get(request: HttpRequest, section_id: Id) -> list[TaskOut]:
    """The section's tasks with readiness and reasons (404 for a section the user does not see)."""
    return [_out(r) for r in section_inventory(user_of(request), section_id).rows]


@router.post("/inventory/sections/{section_id}/tasks", response={201: TaskOut, **ERRORS}, summary="業務の追加")
def task_post(request: HttpRequest, section_id: Id, payload: TaskIn) -> Status:
    """Add a task to the section's inventory (audited)."""
    task = services.inventory_task_create(actor=user_of(request), section_id=section_id, data=_input(payload))
    return Status(201, _row(request, section_id, task.pk))


@router.put("/inventory/tasks/{task_id}", response={200: TaskOut, **ERRORS}, summary="業務の変更")
def task_put(request: HttpRequest, task_id: Id, payload: TaskIn) -> TaskOut:
    """Change a task (audited)."""
    task = services.inventory_task_update(actor=user_of(request), task_id=task_id, data=_input(payload))
    return _row(request, task.section_id, task.pk)


@router.delete("/inventory/tasks/{task_id}", response={204: None, **ERRORS}, summary="業務の削除")
def task_delete(request: HttpRequest, task_id: Id) -> Status:
    """Remove a task (audited)."""
    services.inventory_task_delete(actor=user_of(request), task_id=task_id)
    return Status(204, None)


class ImportOut(Schema):
    """The tasks an import added and changed."""

    created: list[str]
    updated: list[str]


@router.post("/inventory/sections/{section_id}/import", response={200: ImportOut, **ERRORS}, summary="業務棚卸しの取込")
def import_post(request: HttpRequest, section_id: Id, file: File[UploadedFile]) -> ImportOut:
    """Take the section's tasks from an Excel or CSV file: all rows or none (a 400 lists the reasons in ``rows``)."""
    result = services.inventory_import(actor=user_of(request), section_id=section_id, data=file.read())
    return ImportOut(created=result.created, updated=result.updated)
