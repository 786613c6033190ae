"""Letters' screens (照会書): a letter's page, its files to download, reminders and the overdue list.

Downloads are for the section's collectors in the office (``collector_page``), each one recorded
(``letter_file_downloaded``); a file the background task has not made yet sends the user back to
the letter's page with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.core.errors import ApplicationError, Conflict, PermissionDenied
from cityhall.core.http import apply_error
from cityhall.inquiries.access import Scope
from cityhall.inquiries.forms.letters import ReminderForm
from cityhall.inquiries.models import LetterFile, LetterFileKind
from cityhall.inquiries.selectors.letters import letter_detail, letter_file, overdue_letters
from cityhall.inquiries.services.letters import letter_file_downloaded
from cityhall.inquiries.services.reminders import reminder_record
from cityhall.inquiries.views._common import PAGE_SIZE, collector_page


def _page(request: HttpRequest, scope: Scope, pk: int, letter_id: int, form: ReminderForm, status: int) -> HttpResponse:
    letter = letter_detail(scope.user, pk, letter_id)
    context = {"batch": letter.batch, "letter": letter, "form": form}
    return render(request, "inquiries/letters/detail.html", context, status=status)


@collector_page
def letter_detail_view(request: HttpRequest, scope: Scope, pk: int, letter_id: int) -> HttpResponse:
    """A letter (照会書): number, dates, status, its files and reminders, and the reminder form when overdue."""
    return _page(request, scope, pk, letter_id, ReminderForm(), 200)


def send(request: HttpRequest, scope: Scope, found: LetterFile) -> HttpResponseBase:
    """The file as a download, recorded in the audit trail first."""
    letter_file_downloaded(actor=scope.user, letter_file=found, where="screen")
    content_type = "text/csv; charset=utf-8" if found.kind == LetterFileKind.REQUEST else "application/pdf"
    response = FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


def _download(
    request: HttpRequest, scope: Scope, pk: int, letter_id: int, kind: str, number: int | None = None
) -> HttpResponseBase:
    try:
        found = letter_file(scope.user, pk, letter_id, kind, number)
    except Conflict as exc:
        messages.warning(request, exc.message)
        return redirect("inquiries:letter", pk=pk, letter_id=letter_id)
    return send(request, scope, found)


@collector_page
def letter_pdf(request: HttpRequest, scope: Scope, pk: int, letter_id: int) -> HttpResponseBase:
    """Download the signed letter with its reply form (照会書・回答書 PDF)."""
    return _download(request, scope, pk, letter_id, LetterFileKind.LETTER)


@collector_page
def letter_csv(request: HttpRequest, scope: Scope, pk: int, letter_id: int) -> HttpResponseBase:
    """Download the request file (照会ファイル CSV) of a digital institution."""
    return _download(request, scope, pk, letter_id, LetterFileKind.REQUEST)


@collector_page
def reminder_pdf(request: HttpRequest, scope: Scope, pk: int, letter_id: int, number: int) -> HttpResponseBase:
    """Download a reminder's signed PDF (督促状)."""
    return _download(request, scope, pk, letter_id, LetterFileKind.REMINDER, number)


@collector_page
@require_POST
def letter_remind(request: HttpRequest, scope: Scope, pk: int, letter_id: int) -> HttpResponse:
    """Record a reminder of an overdue letter (督促); the signed reminder is made in the background."""
    form = ReminderForm(request.POST)
    if not form.is_valid():
        return _page(request, scope, pk, letter_id, form, 400)
    try:
        reminder = reminder_record(
            actor=scope.user, batch_id=pk, letter_id=letter_id, reply_days=form.cleaned_data["reply_days"]
        )
    except PermissionDenied:
        raise
    except ApplicationError as exc:
        apply_error(form, exc)
        return _page(request, scope, pk, letter_id, form, exc.status_code)
    messages.success(request, _("督促を記録しました（%(n)s回目）。督促状を作成しています。") % {"n": reminder.number})
    return redirect("inquiries:letter", pk=pk, letter_id=letter_id)


@collector_page
def overdue_list(request: HttpRequest, scope: Scope) -> HttpResponse:
    """The section's letters waiting after their reply deadline (回答期限超過の一覧), oldest first."""
    page = Paginator(overdue_letters(scope.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inquiries/letters/overdue.html", {"page": page, "query": ""})
