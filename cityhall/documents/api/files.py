"""Files of a document: attach (添付), download attachments and the signed PDF (署名済みPDF)."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from cityhall.accounts.requests import user_of
from cityhall.core.errors import PermissionDenied
from cityhall.core.http import ApiError, Id
from cityhall.documents import remote, services
from cityhall.documents.api import _common as c
from cityhall.documents.api.schemas import AttachmentOut
from cityhall.documents.models import Attachment

router = Router(tags=["添付ファイル・署名済みPDF"])
BINARY = {
    "responses": {
        200: {
            "description": "ファイル（ダウンロード）",
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.post("/{int:document_id}/attachments", response={201: AttachmentOut, **c.ERRORS}, summary="添付ファイルの追加")
def attachment_upload(
    request: HttpRequest, document_id: Id, file: File[UploadedFile], expected_version: Form[int | None] = None
) -> Status[Attachment]:
    """Attach a file (PDF, Office, image): checked, stored with its SHA-256, PDF text indexed."""
    attachment = services.attachment_add(
        actor=user_of(request),
        document=c.visible(request, document_id),
        name=file.name or "",
        stream=file,
        size=file.size,
        expected_version=expected_version,
    )
    return Status(201, attachment)


@router.get(
    "/{int:document_id}/attachments/{int:attachment_id}",
    response={**c.ERRORS, 403: ApiError},
    summary="添付ファイルの取得",
    openapi_extra=BINARY,
)
def attachment_download(request: HttpRequest, document_id: Id, attachment_id: Id) -> FileResponse:
    """The attached file, to callers who may see the document; downloads of 個人情報あり are audited.

    From a remote session the remote-access policy may refuse the original (403, with the reason).
    """
    document = c.visible(request, document_id)
    attachment = document.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise PermissionDenied("添付ファイルが見つかりません。")
    remote.refuse_original(user_of(request), document)
    response = c.download(attachment.file, filename=attachment.name, content_type=attachment.content_type)
    services.personal_info_access_record(actor=user_of(request), document=document, what="download")
    return response


@router.get(
    "/{int:document_id}/signed-pdf",
    response={**c.ERRORS, 403: ApiError},
    summary="署名済みPDF（起案用紙）の取得",
    openapi_extra=BINARY,
)
def signed_pdf_download(request: HttpRequest, document_id: Id) -> FileResponse:
    """The decided record as its signed approval sheet (電子署名付き原議); downloads of 個人情報あり are audited."""
    document = c.visible(request, document_id)
    remote.refuse_original(user_of(request), document)
    name = f"{document.number_label}.pdf"
    response = c.download(document.signed_pdf, filename=name, content_type="application/pdf")
    services.personal_info_access_record(actor=user_of(request), document=document, what="download")  # once found
    return response


@router.delete(
    "/{int:document_id}/attachments/{int:attachment_id}", response={204: None, **c.ERRORS}, summary="添付ファイルの削除"
)
def attachment_remove(request: HttpRequest, document_id: Id, attachment_id: Id, expected_version: int) -> Status[None]:
    """Remove an attachment from a draft (起案中・差戻し); never after decision."""
    attachment = c.visible(request, document_id).attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise PermissionDenied("添付ファイルが見つかりません。")
    services.attachment_remove(actor=user_of(request), attachment=attachment, expected_version=expected_version)
    return Status(204, None)
