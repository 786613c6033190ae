"""Attachments of a document (添付ファイル): add and remove, as an htmx partial or a full page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError
from cityhall.core.http import apply_error
from cityhall.core.numbers import ascii_integer
from cityhall.documents import services
from cityhall.documents.forms import AttachmentForm, upload_stream
from cityhall.documents.models import Document
from cityhall.documents.selectors import available_actions
from cityhall.documents.views._common import fetch
from cityhall.documents.views.detail import detail_context


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _respond(
    request: HttpRequest, document: Document, form: AttachmentForm, status: int = 200, notice: str = ""
) -> HttpResponse:
    if _htmx(request):
        context = {
            "document": document,
            "attachments": document.attachments.select_related("uploaded_by").order_by("pk"),
            "attachment_form": form,
            "actions": available_actions(user_of(request), document),
            "notice": notice,
        }
        return render(request, "documents/partials/attachments.html", context, status=status)
    if status == 200:
        return redirect("documents:detail", pk=document.pk)
    return render(
        request, "documents/detail.html", detail_context(request, document, attachment_form=form), status=status
    )


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a checked file; errors are shown next to the file field and nothing is stored."""
    document = fetch(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _respond(request, document, form, status=400)
    try:
        services.attachment_add(
            actor=user_of(request),
            document=document,
            expected_version=form.cleaned_data["expected_version"],
            **upload_stream(form.cleaned_data["file"]),
        )
    except ApplicationError as exc:
        apply_error(form, exc) if exc.field in ("file", "expected_version") else form.add_error(None, exc.message)
        return _respond(request, fetch(request, pk), form, status=exc.status_code)
    document = fetch(request, pk)
    notice = _("添付ファイルを追加しました。")
    if not _htmx(request):
        messages.success(request, notice)
    return _respond(request, document, AttachmentForm(initial={"expected_version": document.version}), notice=notice)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    """Remove an attachment from a draft (起案中・差戻し only), guarded by the version."""
    document = fetch(request, pk)
    attachment = document.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    version = request.POST.get("expected_version", "")
    form = AttachmentForm(initial={"expected_version": document.version})
    try:
        services.attachment_remove(
            actor=user_of(request), attachment=attachment, expected_version=ascii_integer(version) or 0
        )
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return _respond(request, fetch(request, pk), form, status=exc.status_code)
    document = fetch(request, pk)
    notice = _("添付ファイルを削除しました。")
    if not _htmx(request):
        messages.success(request, notice)
    return _respond(request, document, AttachmentForm(initial={"expected_version": document.version}), notice=notice)
