"""``/api/automation/switchover``: switch-over files (移行データ) with the same checks as the screen.

``GET /kinds`` lists the kinds the caller may import with their fields; ``POST /{kind}`` takes the
file (multipart, ``file``) and ``dry_run`` and answers with the report (all rows or none written);
``GET /imports/{id}`` gives a stored report; ``GET``/``PUT /{kind}/layout`` read and keep the
column settings.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from cityhall.accounts.requests import user_of
from cityhall.automation import selectors
from cityhall.automation.models import ImportSource, SwitchoverImport
from cityhall.automation.services.switchover import switchover_import_now, switchover_layout_set
from cityhall.automation.services.switchover_runs import stored_layout
from cityhall.automation.switchover import SwitchoverKind
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.http import ERRORS as CORE_ERRORS
from cityhall.core.http import ApiError, Id
from cityhall.core.tables import MAX_BYTES

router = Router(auth=django_auth, tags=["移行データの取込"])
ERRORS: dict[int, Any] = {**CORE_ERRORS, 422: ApiError}


class FieldOut(Schema):
    name: str
    label: str
    required: bool
    headers: list[str]
    example: str


class KindOut(Schema):
    code: str
    label: str
    description: str
    fields: list[FieldOut]


class ReasonOut(Schema):
    field: str
    message: str


class RowOut(Schema):
    row: int
    accepted: bool
    reasons: list[ReasonOut]
    created: str


class RunOut(Schema):
    id: int
    kind: str
    file: str
    status: str
    dry_run: bool
    written: bool
    would_write: bool
    accepted: int
    rejected: int
    reasons: list[ReasonOut]
    rows: list[RowOut]


class LayoutIn(Schema):
    columns: dict[str, str] = {}
    header_row: int = 1
    sheet: str | None = None


def _kind(request: HttpRequest, code: str) -> SwitchoverKind:
    found = next((k for k in selectors.switchover_kinds_for(user_of(request)) if k.code == code), None)
    if found is None:
        raise PermissionDenied("その種類の移行データは取り込めません。")
    return found


def _run_out(run: SwitchoverImport) -> dict[str, Any]:
    report = run.report
    return {
        "id": run.pk,
        "kind": run.kind,
        "file": run.file_name,
        "status": run.status,
        "dry_run": run.dry_run,
        "written": run.written,
        "would_write": bool(report.get("would_write")),
        "accepted": run.accepted,
        "rejected": run.rejected,
        "reasons": report.get("reasons", []),
        "rows": report.get("rows", []),
    }


@router.get("/kinds", response={200: list[KindOut], **ERRORS}, summary="取り込める移行データの種類")
def kinds(request: HttpRequest) -> list[dict[str, Any]]:
    """The kinds the caller's role imports, with each field's label and usual headers."""
    return [
        {
            "code": k.code,
            "label": k.label,
            "description": k.description,
            "fields": [
                {
                    "name": f.name,
                    "label": f.label,
                    "required": f.required,
                    "headers": list(f.headers),
                    "example": f.example,
                }
                for f in k.fields
            ],
        }
        for k in selectors.switchover_kinds_for(user_of(request))
    ]


@router.post("/{kind}", response={201: RunOut, 200: RunOut, **ERRORS}, summary="移行データの取込")
def import_file(
    request: HttpRequest, kind: str, file: File[UploadedFile], dry_run: Form[bool] = False
) -> Status[dict[str, Any]]:
    """Import one file of ``kind``: every row written, or none with the reasons; ``dry_run`` writes nothing."""
    found = _kind(request, kind)
    if file.size is not None and file.size > MAX_BYTES:
        raise ValidationFailed(
            f"{file.name}: ファイルが大きすぎます（上限 {MAX_BYTES // 1_000_000}MB）。", field="file"
        )
    run = switchover_import_now(
        actor=user_of(request),
        kind=found.code,
        file_name=file.name or "switchover.csv",
        data=file.read(),
        dry_run=dry_run,
        source=ImportSource.API,
    )
    return Status(201 if run.written else 200, _run_out(run))


@router.get("/imports/{int:run_id}", response={200: RunOut, **ERRORS}, summary="移行データの取込結果")
def import_detail(request: HttpRequest, run_id: Id) -> dict[str, Any]:
    """The stored report of a switch-over import of a kind the caller's role imports."""
    run = selectors.switchover_runs_for(user_of(request)).filter(pk=run_id).first()
    if run is None:
        raise PermissionDenied("取込が見つかりません。")
    return _run_out(run)


@router.get("/{kind}/layout", response={200: LayoutIn, **ERRORS}, summary="移行データの列の設定")
def layout_detail(request: HttpRequest, kind: str) -> dict[str, Any]:
    """Where each field of ``kind`` is read from (fields not named: their usual headers)."""
    return stored_layout(_kind(request, kind)).to_dict()


@router.put("/{kind}/layout", response={200: LayoutIn, **ERRORS}, summary="移行データの列の設定の変更")
def layout_update(request: HttpRequest, kind: str, payload: LayoutIn) -> dict[str, Any]:
    """Keep where each field of ``kind`` is in the city's files; checked before it is stored."""
    mapping = switchover_layout_set(actor=user_of(request), kind=_kind(request, kind).code, layout=payload.dict())
    return dict(mapping.layout)
