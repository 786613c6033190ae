"""The import of the tax system's list (滞納者一覧の取込): a file with a dry run, its report, the column layout.

``POST /person-imports`` takes the file (multipart ``file``, ``dry_run``, ``section_id`` when the
caller collects for several sections) and answers with the report: 201 when the persons were
stored, 200 for a dry run every row of which could be, 422 (the same report, ``detail`` saying why)
when a row is refused and nothing was stored. ``GET /person-imports/{id}`` gives a stored report
(recorded as a view); ``GET``/``PUT /person-imports/layout`` read and keep the section's layout.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field as SchemaField
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.http import Id
from cityhall.core.tables import MAX_BYTES
from cityhall.inquiries.access import NOT_FOUND
from cityhall.inquiries.api._common import ERRORS, scope
from cityhall.inquiries.models import PersonImport
from cityhall.inquiries.selectors.person_imports import import_layout, import_sections, person_import_for
from cityhall.inquiries.services.person_imports import (
    person_import_layout_set,
    person_import_viewed,
    persons_import,
)
from cityhall.org.models import OrgUnit

router = Router(tags=["滞納者一覧の取込"])


class ReasonOut(Schema):
    field: str
    message: str


class RowOut(Schema):
    row: int
    accepted: bool
    reasons: list[ReasonOut]
    created: str = SchemaField(description="「宛名番号 0001234567: 新規」「…: 更新」「…: 変更なし」")


class ImportOut(Schema):
    id: int
    section_id: int
    file_name: str
    dry_run: bool
    written: bool
    would_write: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    refused: int
    absent: int = SchemaField(description="ファイルにない登録済みの滞納者（そのまま）")
    detail: str
    report: list[RowOut]


class LayoutQuery(Schema):
    section_id: int | None = SchemaField(None, description="担当課（複数の課を担当するとき）")


class LayoutIn(Schema):
    section_id: int | None = None
    columns: dict[str, str] = SchemaField(default_factory=dict, description="項目名: 見出しの文字か #3")
    header_row: int = 1
    sheet: str | None = None


class LayoutOut(Schema):
    section_id: int
    columns: dict[str, str]
    header_row: int
    sheet: str | None


def _section(user: Any, section_id: int | None) -> OrgUnit | None:
    if section_id is None:
        return None
    found = next((s for s in import_sections(user) if s.pk == section_id), None)
    if found is None:
        raise PermissionDenied(NOT_FOUND)
    return found


def _out(run: PersonImport) -> dict[str, Any]:
    report = run.report
    if run.written:
        detail = f"{run.rows}行を登録しました。"
    elif run.refused:
        detail = f"誤りのある行が{run.refused}行あるため、何も登録していません。"
    else:
        detail = "試行：すべての行を登録できます（登録はしていません）。"
    fields = ("id", "section_id", "file_name", "dry_run", "written", "rows", "created", "updated", "unchanged")
    out = {f: getattr(run, f) for f in (*fields, "refused")}
    return out | {
        "would_write": bool(report.get("would_write")),
        "absent": int(report.get("absent", 0)),
        "detail": detail,
        "report": report.get("rows", []),
    }


@router.post(
    "/person-imports",
    response={201: ImportOut, 200: ImportOut, **ERRORS, 422: ImportOut},
    summary="滞納者一覧の取込",
)
def person_import_api(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    section_id: Form[int | None] = None,
) -> Status[dict[str, Any]]:
    """Import the tax system's list: every row stored, or none and each row's reasons; ``dry_run`` stores nothing."""
    user = scope(request).user
    if file.size is not None and file.size > MAX_BYTES:
        raise ValidationFailed(
            f"{file.name}: ファイルが大きすぎます（上限 {MAX_BYTES // 1_000_000}MB）。", field="file"
        )
    run = persons_import(
        actor=user,
        section=_section(user, section_id),
        file_name=file.name or "persons.csv",
        data=file.read(),
        dry_run=dry_run,
    )
    status = 201 if run.written else 422 if run.refused else 200
    return Status(status, _out(run))


@router.get("/person-imports/layout", response={200: LayoutOut, **ERRORS}, summary="滞納者一覧の列の設定")
def person_import_layout_api(request: HttpRequest, query: Query[LayoutQuery]) -> dict[str, Any]:
    """Where each field is read from in the section's files (fields not named: their usual headers)."""
    user = scope(request).user
    section, layout = import_layout(user, _section(user, query.section_id))
    return {"section_id": section.pk, **layout.to_dict()}


@router.put("/person-imports/layout", response={200: LayoutOut, **ERRORS}, summary="滞納者一覧の列の設定の変更")
def person_import_layout_set_api(request: HttpRequest, body: LayoutIn) -> dict[str, Any]:
    """Keep where each field is in the section's files; checked before it is stored."""
    user = scope(request).user
    layout = body.dict(exclude={"section_id"})
    kept = person_import_layout_set(actor=user, layout=layout, section=_section(user, body.section_id))
    return {"section_id": kept.section_id, **kept.layout}


@router.get("/person-imports/{int:import_id}", response={200: ImportOut, **ERRORS}, summary="滞納者一覧の取込結果")
def person_import_detail_api(request: HttpRequest, import_id: Id) -> dict[str, Any]:
    """A stored import's report (opening it is recorded)."""
    user = scope(request).user
    run = person_import_for(user, import_id)
    person_import_viewed(actor=user, run=run, where="api")
    return _out(run)
