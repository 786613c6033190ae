"""A received document's files (収受文書のファイル) and its receipt sheet (収受・供覧票).

Each view fetches the receipt as its page does (404 alike for missing and forbidden). Originals
follow the remote-access policy (``selectors_receipts.receipt_files_mode``): from a remote session a
receipt holding personal data offers only the watermarked rendering; every view or download of
such a receipt's file is audited. A file opens inline only when it is a PDF or an image (judged
from its bytes when filed), with the same headers as a document's attachments.
"""

from __future__ import annotations

import base64
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from cityhall.accounts.requests import user_of
from cityhall.core.context import current_access
from cityhall.core.errors import ApplicationError
from cityhall.core.http import apply_error
from cityhall.core.remote_policy import Mode
from cityhall.documents import receipt_sheet, services, watermark
from cityhall.documents.forms import upload_stream
from cityhall.documents.forms_receipts import ReceiptFileForm
from cityhall.documents.models import Receipt, ReceiptFile
from cityhall.documents.selectors_receipts import receipt_files_mode
from cityhall.documents.views.files import INLINE_CSP, safe_filename
from cityhall.documents.views.receipts import fetch_receipt, files_refused, render_detail


def _file(request: HttpRequest, pk: int, file_id: int) -> tuple[Receipt, ReceiptFile]:
    receipt = fetch_receipt(request, pk)
    row = receipt.files.filter(pk=file_id).first()
    if row is None:
        raise Http404
    return receipt, row


@login_required
@require_POST
def receipt_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    """File a scan or an electronic original with the receipt (before it is circulated)."""
    receipt = fetch_receipt(request, pk)
    form = ReceiptFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_detail(request, receipt, status=400, file_form=form)
    try:
        services.receipt_file_add(
            actor=user_of(request),
            receipt=receipt,
            origin=form.cleaned_data["origin"],
            **upload_stream(form.cleaned_data["file"]),
        )
    except ApplicationError as exc:
        apply_error(form, exc) if exc.field in ("file", "origin") else form.add_error(None, exc.message)
        return render_detail(request, fetch_receipt(request, pk), status=exc.status_code, file_form=form)
    messages.success(request, _("ファイルを追加しました。"))
    return redirect("documents:receipt", pk=receipt.pk)


@login_required
@require_POST
def receipt_file_remove(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    """Remove a file filed by mistake (before the receipt is circulated)."""
    receipt, row = _file(request, pk, file_id)
    try:
        services.receipt_file_remove(actor=user_of(request), file=row)
    except ApplicationError as exc:
        return render_detail(request, fetch_receipt(request, pk), status=exc.status_code, error=exc.message)
    messages.success(request, _("ファイルを削除しました。"))
    return redirect("documents:receipt", pk=receipt.pk)


def _served(request: HttpRequest, pk: int, file_id: int, *, inline: bool) -> HttpResponseBase:
    receipt, row = _file(request, pk, file_id)
    if inline and not (row.is_pdf or row.is_image):
        raise Http404
    if (refused := files_refused(request, receipt)) is not None:
        return refused
    services.receipt_access_record(actor=user_of(request), receipt=receipt, what="view" if inline else "download")
    response = FileResponse(
        row.file.open("rb"), as_attachment=not inline, filename=safe_filename(row.name), content_type=row.content_type
    )
    if inline:
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = INLINE_CSP
        response["Cache-Control"] = "private, no-store"
    return response


@login_required
def receipt_file_download(request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    """Download a file of the receipt, if the remote-access policy allows; audited for personal data."""
    return _served(request, pk, file_id, inline=False)


@login_required
@xframe_options_sameorigin
def receipt_file_view(request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    """Show a PDF or image file of the receipt in the page (ブラウザで表示); other types are not found here."""
    return _served(request, pk, file_id, inline=True)


@login_required
def receipt_file_rendered(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    """The file as watermarked page images (透かし入りで表示), no download or print; audited."""
    receipt, row = _file(request, pk, file_id)
    user = user_of(request)
    if receipt_files_mode(user, receipt) is Mode.NONE:
        return render(request, "documents/receipt_remote_refused.html", {"receipt": receipt}, status=403)
    mark = watermark.watermark_text(user, current_access())
    pages = watermark.rendered_pages(row, mark)
    services.receipt_access_record(actor=user, receipt=receipt, what="view")
    context = {
        "receipt": receipt,
        "file": row,
        "mark": mark,
        "pages": [base64.b64encode(page).decode("ascii") for page in pages],
        "text": "" if pages else row.extracted_text,
        "max_pages": watermark.MAX_PAGES,
    }
    response = render(request, "documents/receipt_file_rendered.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def receipt_sheet_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The receipt sheet (収受・供覧票) as a PDF with the 閲 stamps and their dates; audited for personal data."""
    receipt = fetch_receipt(request, pk)
    if (refused := files_refused(request, receipt)) is not None:
        return refused
    data = receipt_sheet.render_receipt_sheet(receipt)
    services.receipt_access_record(actor=user_of(request), receipt=receipt, what="download")
    name = safe_filename(f"{receipt.number_label}.pdf", fallback="receipt.pdf")
    response = FileResponse(io.BytesIO(data), as_attachment=False, filename=name, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
