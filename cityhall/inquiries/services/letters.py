"""Letters and request files of a decided batch (照会書・照会ファイルの作成), their numbers and dates.

On decision, in the deciding transaction (the batch type's ``apply_decision``: ``letters_decided``),
each letter of the batch gets its number (照会書番号, 1, 2, 3 … in the batch's order of
institutions, gap-free: taken under the batch's row lock, rolled back with the decision), its
sent date (the day of the decision), its reply deadline (``InquiryBatch.reply_days`` later) and
the status 回答待ち; the hours saved (letters and person rows not typed by hand) go on the
city's ledger (``cityhall.savings``) in the same transaction.

After commit (``on_decided``: ``letters_queue``) a background task (``services.tasks.make_letter_files``)
makes the files, one letter at a time (``letter_files.letters_generate``): the signed PDF of the 照会書 with
its 回答書 for every institution, and the request file (CSV) for those answering digitally. Each
letter's files are stored through Django's storage in one transaction with their audit entry, so
a letter has all its files or none, and a task run again makes only what is missing.

Downloads are recorded (``letter_file_downloaded``): who took which file of which letter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cityhall.core.audit import record
from cityhall.documents.models import Document
from cityhall.inquiries.models import (
    InquiryBatch,
    InquiryItem,
    Letter,
    LetterFile,
    LetterStatus,
)
from cityhall.inquiries.saved_time_kinds import KIND_LETTER, KIND_ROW
from cityhall.inquiries.services._common import collector
from cityhall.inquiries.services.tasks import make_letter_files
from cityhall.savings.services import saved_time_record

MINUTES = {"letter": 15, "row": 2}
"""Minutes by hand (the default of ``CITYHALL_INQUIRY_MINUTES``): a letter with its addresses, a person's row."""


def _minutes(what: str) -> int:
    return int(getattr(settings, "CITYHALL_INQUIRY_MINUTES", MINUTES).get(what, MINUTES[what]))


def letters_decided(document: Document, actor: Any) -> None:
    """Number and date the batch's letters on its decision (照会書番号・送付日・回答期限); the hours saved."""
    batch = InquiryBatch.objects.select_for_update().filter(document=document).first()
    if batch is None:
        return
    day = timezone.localdate(document.decided_at) if document.decided_at else timezone.localdate()
    deadline = day + dt.timedelta(days=batch.reply_days)
    letters = list(
        Letter.objects.select_for_update()
        .filter(batch=batch, status=LetterStatus.PENDING, number__isnull=True)
        .order_by("institution__kind", "institution__bank_code", "institution__kana", "pk")
    )
    taken = Letter.objects.filter(batch=batch, number__isnull=False).count()
    for number, letter in enumerate(letters, start=taken + 1):
        letter.number, letter.status, letter.sent_on, letter.reply_deadline = number, LetterStatus.SENT, day, deadline
    Letter.objects.bulk_update(letters, ["number", "status", "sent_on", "reply_deadline"])
    items = InquiryItem.objects.filter(letter__in=letters).count()
    record(
        actor=actor,
        action="inquiries.batch.letters",
        obj=batch,
        after={
            "letters": len(letters),
            "numbers": [taken + 1, taken + len(letters)] if letters else [],
            "sent_on": day.isoformat(),
            "reply_deadline": deadline.isoformat(),
            "items": items,
        },
    )
    for kind, count, what in ((KIND_LETTER, len(letters), "letter"), (KIND_ROW, items, "row")):
        saved_time_record(
            actor=actor, section=batch.section, kind=kind, count=count, minutes=count * _minutes(what), obj=batch
        )


def letters_queue(document_id: int) -> None:
    """After the decision commits (``on_decided``): queue the task that makes the batch's files."""
    batch_id = InquiryBatch.objects.filter(document_id=document_id).values_list("pk", flat=True).first()
    if batch_id is not None:
        make_letter_files.enqueue(batch_id)


def letter_file_downloaded(*, actor: Any, letter_file: LetterFile, where: str) -> None:
    """Record that ``actor`` took a letter's file (照会書等のダウンロードの記録); ``where``: 「screen」「api」."""
    scope = collector(actor)
    with transaction.atomic(durable=True):
        record(
            actor=scope.user,
            action="inquiries.letter.download",
            obj=letter_file.letter,
            after={
                "kind": letter_file.kind,
                "name": letter_file.name,
                "sha256": letter_file.sha256,
                "reminder": letter_file.reminder.number if letter_file.reminder else None,
                "persons": InquiryItem.objects.filter(letter_id=letter_file.letter_id).count(),
                "where": where,
            },
        )
