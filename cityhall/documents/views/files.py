"""A document's files (添付ファイル・署名済み原議): downloaded, or shown in the page's viewer (ブラウザで表示).

Every file view fetches the document as its page does (404 alike for missing and forbidden) and
records the view or download of a document with personal information. A download is
``attachment``; only a PDF or a PNG/JPEG/GIF image (whose type was judged from its bytes when it
was attached) is ever served ``inline``, and then with headers that keep it what it is: the
type with ``nosniff``, a safe file name, a Content-Security-Policy that runs nothing and lets
only our own pages frame it (with ``X-Frame-Options: SAMEORIGIN``; the site default is DENY),
and no caching.

A disposed record's files (廃棄済) are gone: each file view answers 410 with the record's register entry
and the list that disposed it, to those who could have seen the record (404 for anyone else).

From a remote session the remote-access policy (``documents.remote``) decides first: when it does not
let the caller have the originals, every original (download, inline view, signed PDF) answers 403
with the reason, and ``attachment_rendered`` shows the pages as images with a watermark burnt in.
"""

from __future__ import annotations

import base64
import unicodedata

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_sameorigin

from cityhall.accounts.models import User
from cityhall.accounts.requests import user_of
from cityhall.core.context import current_access
from cityhall.core.remote_policy import Mode
from cityhall.documents import remote, watermark
from cityhall.documents.models import Attachment, Document
from cityhall.documents.views._common import content_shown, fetch, gone_when_disposed, record_personal_info_access

INLINE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; base-uri 'none'"


def shows_inline(attachment: Attachment) -> bool:
    """Whether the attachment may open in the page: a PDF or an image, never any other type."""
    return attachment.is_pdf or attachment.is_image


def safe_filename(name: str, fallback: str = "file") -> str:
    """The file name without control characters (改行などを除いた名前), for Content-Disposition."""
    cleaned = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return cleaned or fallback


def _attachment(request: HttpRequest, pk: int, attachment_id: int) -> tuple[Document, Attachment]:
    document = fetch(request, pk)
    attachment = document.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return document, attachment


def _refused(
    request: HttpRequest, user: User, document: Document, attachment: Attachment | None
) -> HttpResponse | None:
    """The 403 page when the policy keeps the originals from this remote session; None when allowed."""
    mode = remote.files_mode(user, document)
    if mode is Mode.SEE:
        return None
    context = {"document": document, "attachment": attachment, "masked": mode is Mode.MASKED}
    return render(request, "documents/remote_refused.html", context, status=403)


def _inline(response: FileResponse) -> FileResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = INLINE_CSP
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@gone_when_disposed(410)
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponseBase:
    """Download an attachment of a document the user may see (閲覧権限を確認), if the remote policy allows."""
    document, attachment = _attachment(request, pk, attachment_id)
    if (refused := _refused(request, user_of(request), document, attachment)) is not None:
        return refused
    record_personal_info_access(user_of(request), document, "download")
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=safe_filename(attachment.name),
        content_type=attachment.content_type,
    )


@login_required
@xframe_options_sameorigin
@gone_when_disposed(410)
def attachment_view(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponseBase:
    """Show a PDF or image attachment in the page's viewer (添付ファイルの表示); other types are not found here."""
    document, attachment = _attachment(request, pk, attachment_id)
    if not shows_inline(attachment):
        raise Http404
    if (refused := _refused(request, user_of(request), document, attachment)) is not None:
        return refused
    record_personal_info_access(user_of(request), document, "view")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=False,
        filename=safe_filename(attachment.name),
        content_type=attachment.content_type,
    )
    return _inline(response)


def _signed(request: HttpRequest, pk: int, *, inline: bool) -> HttpResponseBase:
    document, user = fetch(request, pk), user_of(request)
    if not document.signed_pdf:
        raise Http404
    if (refused := _refused(request, user, document, None)) is not None:
        return refused
    record_personal_info_access(user, document, "view" if inline else "download")
    content_shown(document, user, "signed_pdf")
    name = safe_filename(f"{document.number_label}.pdf", fallback="signed.pdf")
    return FileResponse(
        document.signed_pdf.open("rb"), as_attachment=not inline, filename=name, content_type="application/pdf"
    )


@login_required
@gone_when_disposed(410)
def signed_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Download the signed approval sheet (署名済み起案用紙) once it exists."""
    return _signed(request, pk, inline=False)


@login_required
@xframe_options_sameorigin
@gone_when_disposed(410)
def signed_pdf_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Show the signed approval sheet in the page's PDF viewer (署名済み原議の表示)."""
    response = _signed(request, pk, inline=True)
    return _inline(response) if isinstance(response, FileResponse) else response


@login_required
@gone_when_disposed(410)
def attachment_rendered(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    """The attachment as watermarked page images (透かし入りで表示), with no download or print link; recorded."""
    document, attachment = _attachment(request, pk, attachment_id)
    user = user_of(request)
    if remote.files_mode(user, document) is Mode.NONE:
        return render(request, "documents/remote_refused.html", {"document": document, "masked": False}, status=403)
    mark = watermark.watermark_text(user, current_access())
    pages = watermark.rendered_pages(attachment, mark)
    remote.remote_view_record(actor=user, attachment=attachment, pages=len(pages))
    context = {
        "document": document,
        "attachment": attachment,
        "mark": mark,
        "pages": [base64.b64encode(page).decode("ascii") for page in pages],
        "text": "" if pages else attachment.extracted_text,
        "max_pages": watermark.MAX_PAGES,
    }
    response = render(request, "documents/attachment_rendered.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
