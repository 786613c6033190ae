"""Letters (照会書): a batch's letters and their files, downloads, reminders, the overdue list.

The same checks as the screens: the caller's scope (404 for anyone but the section's collectors,
403 from outside the office); every download is recorded; a file the background task has not made
yet answers 409.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Field, Router, Schema, Status

from cityhall.core.http import Id, Page, PageSize, paged
from cityhall.inquiries.api._common import ERRORS, scope
from cityhall.inquiries.models import Letter, LetterFile, LetterFileKind, LetterStatus
from cityhall.inquiries.selectors.batches import batch_detail
from cityhall.inquiries.selectors.letters import batch_letters, letter_file, overdue_letters
from cityhall.inquiries.services.letters import letter_file_downloaded
from cityhall.inquiries.services.reminders import reminder_record

router = Router(tags=["照会書"])
BINARY = {"responses": {200: {"description": "ファイル", "content": {"application/octet-stream": {}}}}}


class LetterFileOut(Schema):
    kind: str
    name: str
    size: int
    sha256: str
    reminder: int | None


class ReminderOut(Schema):
    number: int
    sent_on: dt.date
    reply_deadline: dt.date
    previous_deadline: dt.date


class BatchLetterOut(Schema):
    id: int
    batch_id: int
    number: int | None
    institution_id: int
    institution: str
    channel: str
    status: LetterStatus
    sent_on: dt.date | None
    reply_deadline: dt.date | None
    answered_on: dt.date | None
    reminders: int
    overdue: bool
    persons: int
    files: list[LetterFileOut]
    reminder_list: list[ReminderOut]


class OverdueOut(Schema):
    id: int
    batch_id: int
    number: int | None
    label: str
    institution: str
    sent_on: dt.date | None
    reply_deadline: dt.date | None
    reminders: int
    persons: int


class OverduePageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[OverdueOut]


class ReminderIn(Schema):
    reply_days: int | None = Field(None, ge=1, le=120, description="新しい回答期限（督促日から。省略時は照会の日数）")


def _file(row: LetterFile) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "name": row.name,
        "size": row.size,
        "sha256": row.sha256,
        "reminder": row.reminder.number if row.reminder else None,
    }


def _letter(letter: Letter) -> dict[str, Any]:
    fields = ("id", "batch_id", "number", "institution_id", "status", "sent_on", "reply_deadline", "answered_on")
    out: dict[str, Any] = {f: getattr(letter, f) for f in fields}
    return out | {
        "institution": letter.institution.name,
        "channel": letter.institution.channel,
        "reminders": letter.reminders,
        "overdue": letter.is_overdue,  # type: ignore[attr-defined]
        "persons": letter.person_count,  # type: ignore[attr-defined]
        "files": [_file(f) for f in letter.file_rows],  # type: ignore[attr-defined]
        "reminder_list": letter.reminder_list,  # type: ignore[attr-defined]
    }


@router.get("/batches/{batch_id}/letters", response={200: list[BatchLetterOut], **ERRORS}, summary="照会書の一覧")
def letter_list_api(request: HttpRequest, batch_id: Id) -> list[dict[str, Any]]:
    """A batch's letters: number, institution, status, dates, reminders and files (none before the decision)."""
    user = scope(request).user
    batch = batch_detail(user, batch_id)  # 404 for a batch that is not the caller's
    return [_letter(letter) for letter in batch_letters(user, batch.pk)]


def _send(request: HttpRequest, batch_id: int, letter_id: int, kind: str, number: int | None = None) -> FileResponse:
    user = scope(request).user
    found = letter_file(user, batch_id, letter_id, kind, number)
    letter_file_downloaded(actor=user, letter_file=found, where="api")
    content_type = "text/csv; charset=utf-8" if kind == LetterFileKind.REQUEST else "application/pdf"
    response = FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/batches/{batch_id}/letters/{letter_id}/pdf", response=ERRORS, summary="照会書（PDF）の取得", openapi_extra=BINARY
)
def letter_pdf_api(request: HttpRequest, batch_id: Id, letter_id: Id) -> FileResponse:
    """The signed letter with its reply form (照会書・回答書); 409 while it is being made."""
    return _send(request, batch_id, letter_id, LetterFileKind.LETTER)


@router.get(
    "/batches/{batch_id}/letters/{letter_id}/csv",
    response=ERRORS,
    summary="照会ファイル（CSV）の取得",
    openapi_extra=BINARY,
)
def letter_csv_api(request: HttpRequest, batch_id: Id, letter_id: Id) -> FileResponse:
    """The request file of a digital institution (layout: docs/inquiries-request-file.md); 404 for paper ones."""
    return _send(request, batch_id, letter_id, LetterFileKind.REQUEST)


@router.post(
    "/batches/{batch_id}/letters/{letter_id}/reminders", response={201: ReminderOut, **ERRORS}, summary="督促の記録"
)
def reminder_create_api(request: HttpRequest, batch_id: Id, letter_id: Id, body: ReminderIn) -> Status[Any]:
    """Remind an overdue letter (督促): the new deadline; the signed reminder PDF is made in the background."""
    user = scope(request).user
    reminder = reminder_record(actor=user, batch_id=batch_id, letter_id=letter_id, reply_days=body.reply_days)
    return Status(201, reminder)


@router.get(
    "/batches/{batch_id}/letters/{letter_id}/reminders/{number}/pdf",
    response=ERRORS,
    summary="督促状（PDF）の取得",
    openapi_extra=BINARY,
)
def reminder_pdf_api(request: HttpRequest, batch_id: Id, letter_id: Id, number: Id) -> FileResponse:
    """A reminder's signed PDF (督促状); 409 while it is being made."""
    return _send(request, batch_id, letter_id, LetterFileKind.REMINDER, number)


@router.get("/letters/overdue", response={200: OverduePageOut, **ERRORS}, summary="回答期限超過の一覧")
def overdue_list_api(request: HttpRequest, page: Page = 1, page_size: PageSize = 50) -> dict[str, Any]:
    """The caller's letters waiting after their reply deadline, the oldest deadline first."""
    result = paged(overdue_letters(scope(request).user), page, page_size)
    result["items"] = [
        {
            "id": x.pk,
            "batch_id": x.batch_id,
            "number": x.number,
            "label": f"{x.batch.document.number_label}-{x.number}",
            "institution": x.institution.name,
            "sent_on": x.sent_on,
            "reply_deadline": x.reply_deadline,
            "reminders": x.reminders,
            "persons": x.person_count,
        }
        for x in result["items"]
    ]
    return result
