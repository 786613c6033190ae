"""Received documents (収受): register, list, files, 供覧, 閲, the sheet and the import of online applications.

A receipt the caller may not see answers 404 like a missing one (``selectors_receipts.receipt_for``);
a file of a receipt holding personal data follows the remote-access policy (403 with the reason
from a remote session) and every view or download of such a receipt is audited.
"""

from __future__ import annotations

import io
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from cityhall.accounts.requests import user_of
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.http import ApiError, Id
from cityhall.core.remote_policy import Mode
from cityhall.core.tables import MAX_BYTES
from cityhall.documents import receipt_sheet, services
from cityhall.documents.api import _common as c
from cityhall.documents.api.files import BINARY
from cityhall.documents.api.schemas_receipts import (
    CancelIn,
    CandidateOut,
    CirculateIn,
    CloseIn,
    ImportReportOut,
    ReceiptDetailOut,
    ReceiptFileOut,
    ReceiptIn,
    ReceiptOut,
    ReceiptPage,
    ReceiptQuery,
)
from cityhall.documents.models import Receipt, ReceiptFile
from cityhall.documents.remote import MASKED_REFUSED, NONE_REFUSED, RemoteFileRefused
from cityhall.documents.selectors_receipts import (
    circulation_candidates,
    receipt_files_mode,
    receipt_for,
    receipts_for,
)
from cityhall.documents.services.receipt_imports import ImportReport, receipt_import

router = Router(tags=["収受"])
PDF = {
    "responses": {
        200: {
            "description": "PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _visible(request: HttpRequest, receipt_id: int) -> Receipt:
    return receipt_for(user_of(request), receipt_id)


def _refuse_original(request: HttpRequest, receipt: Receipt) -> None:
    mode = receipt_files_mode(user_of(request), receipt)
    if mode is Mode.MASKED:
        raise RemoteFileRefused(MASKED_REFUSED)
    if mode is Mode.NONE:
        raise RemoteFileRefused(NONE_REFUSED)


@router.get("/receipts", response={200: ReceiptPage, **c.ERRORS}, summary="収受簿の一覧")
def receipt_list(request: HttpRequest, filters: Query[ReceiptQuery]) -> dict[str, Any]:
    """Received documents of the caller's section, those circulated to the caller, or all for document managers."""
    section = c.units([filters.section_id], "section_id")[0] if filters.section_id is not None else None
    qs = receipts_for(user_of(request), fiscal_year=filters.fiscal_year, section=section, to_read=filters.to_read)
    return c.paged(qs, filters.page, filters.page_size)


@router.post("/receipts", response={201: ReceiptOut, **c.ERRORS}, summary="収受の登録")
def receipt_register(request: HttpRequest, payload: ReceiptIn) -> Status[Receipt]:
    """Register a received document in the caller's section with the next 収受番号."""
    return Status(201, services.receipt_register(actor=user_of(request), **payload.dict()))


@router.get("/receipts/circulation-candidates", response={200: list[CandidateOut], **c.ERRORS}, summary="供覧先の候補")
def receipt_candidates(request: HttpRequest) -> list[dict[str, Any]]:
    """The superiors the caller may circulate a received document to, lowest post first."""
    return [
        {"user_id": a.user_id, "name": a.user.full_name, "post_name": f"{a.unit.name} {a.post.name}"}
        for a in circulation_candidates(user_of(request))
    ]


@router.post(
    "/receipts/imports",
    response={200: ImportReportOut, 201: ImportReportOut, **c.ERRORS},
    summary="オンライン申請の取込",
)
def receipt_import_run(
    request: HttpRequest,
    csv: File[UploadedFile],
    archive: File[UploadedFile | None] = None,
    dry_run: Form[bool] = False,
) -> Status[dict[str, Any]]:
    """Take online applications (CSV + ZIP of files) in as receipts: all new ones or none; ``dry_run`` previews.

    Applications received already (same 申請番号) are skipped. Refused rows answer 400 with every reason in ``rows``.
    """
    if (csv.size or 0) > MAX_BYTES:
        raise ValidationFailed(f"申請データが大きすぎます（上限 {MAX_BYTES:,} バイト）。", field="csv")
    report = receipt_import(
        actor=user_of(request),
        csv_data=csv.read(),
        archive=archive.file if archive is not None else None,
        archive_size=archive.size if archive is not None else None,
        dry_run=dry_run,
    )
    return Status(200 if dry_run else 201, _report(report))


def _report(report: ImportReport) -> dict[str, Any]:
    return {
        "dry_run": report.dry_run,
        "created": len(report.created),
        "skipped": len(report.skipped),
        "problems": report.reasons,
        "unused_files": report.unused_files,
        "rows": report.rows,
    }


@router.get("/receipts/{int:receipt_id}", response={200: ReceiptDetailOut, **c.ERRORS}, summary="収受文書の詳細")
def receipt_detail(request: HttpRequest, receipt_id: Id) -> Receipt:
    """One received document with its files and 供覧先; a view of one holding personal data is audited."""
    receipt = _visible(request, receipt_id)
    services.receipt_access_record(actor=user_of(request), receipt=receipt, what="view")
    return receipt


@router.post(
    "/receipts/{int:receipt_id}/files", response={201: ReceiptFileOut, **c.ERRORS}, summary="収受文書のファイルの追加"
)
def receipt_file_upload(
    request: HttpRequest, receipt_id: Id, file: File[UploadedFile], origin: Form[str] = "original"
) -> Status[ReceiptFile]:
    """File a scan (``origin=scan``) or an electronic original with the receipt, before it is circulated."""
    added = services.receipt_file_add(
        actor=user_of(request),
        receipt=_visible(request, receipt_id),
        name=file.name or "",
        stream=file,
        size=file.size,
        origin=origin,
    )
    return Status(201, added)


def _file(request: HttpRequest, receipt_id: int, file_id: int) -> tuple[Receipt, ReceiptFile]:
    receipt = _visible(request, receipt_id)
    found = receipt.files.filter(pk=file_id).first()
    if found is None:
        raise PermissionDenied("ファイルが見つかりません。")
    return receipt, found


@router.get(
    "/receipts/{int:receipt_id}/files/{int:file_id}",
    response={**c.ERRORS, 403: ApiError},
    summary="収受文書のファイルの取得",
    openapi_extra=BINARY,
)
def receipt_file_download(request: HttpRequest, receipt_id: Id, file_id: Id) -> FileResponse:
    """The file, if the remote-access policy lets the caller have the original; audited for personal data."""
    receipt, found = _file(request, receipt_id, file_id)
    _refuse_original(request, receipt)
    response = c.download(found.file, filename=found.name, content_type=found.content_type)
    services.receipt_access_record(actor=user_of(request), receipt=receipt, what="download")
    return response


@router.delete(
    "/receipts/{int:receipt_id}/files/{int:file_id}",
    response={204: None, **c.ERRORS},
    summary="収受文書のファイルの削除",
)
def receipt_file_delete(request: HttpRequest, receipt_id: Id, file_id: Id) -> Status[None]:
    """Remove a file filed by mistake, before the receipt is circulated."""
    _receipt, found = _file(request, receipt_id, file_id)
    services.receipt_file_remove(actor=user_of(request), file=found)
    return Status(204, None)


@router.post("/receipts/{int:receipt_id}/circulate", response={200: ReceiptDetailOut, **c.ERRORS}, summary="供覧")
def receipt_circulate(request: HttpRequest, receipt_id: Id, payload: CirculateIn) -> Receipt:
    """Circulate the received document to named superiors (供覧先); staff of the receiving section only."""
    receipt = _visible(request, receipt_id)
    readers = c.users(payload.reader_ids, "reader_ids")
    services.receipt_circulate(actor=user_of(request), receipt=receipt, readers=readers)
    return _visible(request, receipt_id)


@router.post("/receipts/{int:receipt_id}/seen", response={200: ReceiptDetailOut, **c.ERRORS}, summary="閲（閲覧済み）")
def receipt_seen(request: HttpRequest, receipt_id: Id) -> Receipt:
    """Mark the received document seen (閲) as one of its 供覧先, with the time."""
    receipt = _visible(request, receipt_id)
    services.receipt_mark_seen(actor=user_of(request), receipt=receipt)
    return _visible(request, receipt_id)


@router.post("/receipts/{int:receipt_id}/close", response={200: ReceiptDetailOut, **c.ERRORS}, summary="完結（保存）")
def receipt_close(request: HttpRequest, receipt_id: Id, payload: CloseIn) -> Receipt:
    """Close a received document that needs no answer under a file-plan class: its retention starts (完結)."""
    receipt = _visible(request, receipt_id)
    plan = c.file_plan_class(payload.file_plan_class_id)
    with c.payload_fields():
        return services.receipt_close(actor=user_of(request), receipt=receipt, file_plan_class=plan)


@router.post("/receipts/{int:receipt_id}/cancel", response={200: ReceiptDetailOut, **c.ERRORS}, summary="収受の取消")
def receipt_cancel(request: HttpRequest, receipt_id: Id, payload: CancelIn) -> Receipt:
    """Cancel a receipt registered by mistake, with the reason, before anyone has seen or answered it (取消)."""
    receipt = _visible(request, receipt_id)
    return services.receipt_cancel(actor=user_of(request), receipt=receipt, reason=payload.reason)


@router.get(
    "/receipts/{int:receipt_id}/sheet",
    response={**c.ERRORS, 403: ApiError},
    summary="収受・供覧票（PDF）",
    openapi_extra=PDF,
)
def receipt_sheet_pdf(request: HttpRequest, receipt_id: Id) -> FileResponse:
    """The receipt sheet with the 閲 stamps and their dates; audited for personal data."""
    receipt = _visible(request, receipt_id)
    _refuse_original(request, receipt)
    data = receipt_sheet.render_receipt_sheet(receipt)
    services.receipt_access_record(actor=user_of(request), receipt=receipt, what="download")
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=f"{receipt.number_label}.pdf", content_type="application/pdf"
    )
