"""Letters and request files of a decided batch (照会書・照会ファイルの作成), their numbers and dates.

On decision, in the deciding transaction (the batch type's ``apply_decision``: ``letters_decided``),
each letter of the batch gets its number (照会書番号, 1, 2, 3 … in the batch's order of
institutions, gap-free: taken under the batch's row lock, rolled back with the decision), its
sent date (the day of the decision), its reply deadline (``InquiryBatch.reply_days`` later) and
the status 回答待ち; the hours saved (letters and person rows not typed by hand) go on the
city's ledger (``cityhall.savings``) in the same transaction.

After commit (``on_decided``: ``letters_queue``) a background task (``services.tasks.make_letter_files``)
makes the files, one letter at a time (``letters_generate``): the signed PDF of the 照会書 with
its 回答書 for every institution, and the request file (CSV) for those answering digitally. Each
letter's files are stored through Django's storage in one transaction with their audit entry, so
a letter has all its files or none, and a task run again makes only what is missing.

Downloads are recorded (``letter_file_downloaded``): who took which file of which letter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cityhall.core.audit import record
from cityhall.documents.models import Document
from cityhall.inquiries.letter_pdf import InquiryLetter, LetterPerson, ReminderTerms, render_letter
from cityhall.inquiries.models import (
    BatchPerson,
    Channel,
    InquiryBatch,
    InquiryItem,
    Letter,
    LetterFile,
    LetterFileKind,
    LetterStatus,
    Reminder,
)
from cityhall.inquiries.request_file import RequestFile, RequestRow, render_request
from cityhall.inquiries.services._common import collector
from cityhall.savings.services import saved_time_record

SYSTEM_ACTOR = "inquiries.letters"
KIND_LETTER = "inquiries.letter"
KIND_ROW = "inquiries.row"
MINUTES = {"letter": 15, "row": 2}
"""Minutes by hand (the default of ``CITYHALL_INQUIRY_MINUTES``): a letter with its addresses, a person's row."""


def letter_label(document: Document, number: int | None) -> str:
    """The letter's printed number (照会書番号): the batch's document number and the letter's, 「緑納第12号-3」."""
    return f"{document.number_label}-{number}" if number else document.number_label


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
    from cityhall.inquiries.services.tasks import make_letter_files

    batch_id = InquiryBatch.objects.filter(document_id=document_id).values_list("pk", flat=True).first()
    if batch_id is not None:
        make_letter_files.enqueue(batch_id)


def persons_of_batch(batch: InquiryBatch) -> dict[int, BatchPerson]:
    return {p.pk: p for p in BatchPerson.objects.filter(batch=batch).order_by("kana", "birth_date", "pk")}


def persons_asked(letter: Letter, persons: dict[int, BatchPerson]) -> list[BatchPerson]:
    """The letter's persons in the batch's order (by kana, birth date)."""
    ids = set(InquiryItem.objects.filter(letter=letter).values_list("batch_person_id", flat=True))
    return [person for pk, person in persons.items() if pk in ids]


def _former(person: BatchPerson) -> tuple[str, ...]:
    return tuple(line for line in person.former_addresses.splitlines() if line.strip())


def _institution_name(letter: Letter) -> str:
    institution = letter.institution
    return f"{institution.name} {institution.branch_name}".strip()


def inquiry_letter(letter: Letter, persons: Sequence[BatchPerson], reminder: Reminder | None = None) -> InquiryLetter:
    """What the letter's PDF states (照会書の記載事項), from the letter, its batch and its persons."""
    batch, institution = letter.batch, letter.institution
    document = batch.document
    postal = f"〒{institution.postal_code} " if institution.postal_code else ""
    assert letter.sent_on is not None and letter.reply_deadline is not None
    return InquiryLetter(
        municipality=batch.section.municipality.name,
        number=letter_label(document, letter.number),
        issued_on=reminder.sent_on if reminder else letter.sent_on,
        institution=_institution_name(letter),
        institution_address=f"{postal}{institution.address}",
        addressee=institution.addressee,
        section=batch.section.name,
        contact=document.drafter.full_name,
        legal_basis=batch.legal_basis,
        purpose=batch.purpose,
        base_date=batch.base_date,
        period_from=batch.period_from,
        period_to=batch.period_to,
        reply_deadline=reminder.reply_deadline if reminder else letter.reply_deadline,
        digital=institution.channel == Channel.DIGITAL,
        persons=[LetterPerson(p.name, p.kana, p.birth_date, p.address, _former(p)) for p in persons],
        reminder=ReminderTerms(reminder.number, letter.sent_on, reminder.previous_deadline) if reminder else None,
    )


def request_file(letter: Letter, persons: Sequence[BatchPerson]) -> RequestFile:
    """The request file's content (照会ファイル) for a digital institution's letter."""
    batch = letter.batch
    assert letter.sent_on is not None and letter.reply_deadline is not None
    return RequestFile(
        number=letter_label(batch.document, letter.number),
        sent_on=letter.sent_on,
        reply_deadline=letter.reply_deadline,
        base_date=batch.base_date,
        period_from=batch.period_from,
        period_to=batch.period_to,
        bank_code=letter.institution.bank_code,
        branch_code=letter.institution.branch_code,
        rows=[RequestRow(p.pk, p.kana, p.name, p.birth_date, p.address, _former(p)) for p in persons],
    )


def signed(pdf: bytes, letter: InquiryLetter) -> bytes:
    """The PDF signed with the city's certificate (電子署名)."""
    from cityhall.signing.sign import sign_pdf

    what = f"督促（{letter.reminder.number}回目）" if letter.reminder else "預貯金等の照会"
    return sign_pdf(pdf, reason=f"{letter.number} {what}", location=letter.municipality)


def store_files(
    letter_id: int, files: Iterable[tuple[str, str, bytes]], *, reminder: Reminder | None = None
) -> list[LetterFile]:
    """Store a letter's files ((kind, name, bytes) each) with one audit entry, all or none; [] if already there."""
    stored: list[str] = []
    try:
        with transaction.atomic(durable=True):
            letter = Letter.objects.select_for_update().get(pk=letter_id)
            if LetterFile.objects.filter(letter=letter, reminder=reminder, kind__in=[f[0] for f in files]).exists():
                return []
            rows = []
            for kind, name, content in files:
                row = LetterFile(letter=letter, kind=kind, reminder=reminder, name=name, size=len(content))
                row.sha256 = hashlib.sha256(content).hexdigest()
                row.file.save(f"letter-{letter.pk}-{kind}.{name.rsplit('.', 1)[-1]}", ContentFile(content), save=False)
                stored.append(row.file.name or "")
                rows.append(row)
            LetterFile.objects.bulk_create(rows)
            record(
                actor=SYSTEM_ACTOR,
                action="inquiries.letter.files",
                obj=letter,
                after=[{"kind": r.kind, "name": r.name, "sha256": r.sha256, "size": r.size} for r in rows],
            )
    except BaseException:
        for name in stored:
            LetterFile.file.field.storage.delete(name)
        raise
    return rows


def _letter_files(letter: Letter, persons: Sequence[BatchPerson]) -> list[tuple[str, str, bytes]]:
    from cityhall.inquiries import letter_pdf
    from cityhall.inquiries import request_file as request_csv

    content = inquiry_letter(letter, persons)
    files = [(LetterFileKind.LETTER.value, letter_pdf.file_name(content), signed(render_letter(content), content))]
    if letter.institution.channel == Channel.DIGITAL:
        request = request_file(letter, persons)
        files.append((LetterFileKind.REQUEST.value, request_csv.file_name(request), render_request(request)))
    return files


def letters_generate(batch_id: int) -> int:
    """Make the missing files of a decided batch's letters (照会書PDF・照会ファイル), one letter at a time; how many."""
    batch = InquiryBatch.objects.select_related("document__drafter", "section__municipality").get(pk=batch_id)
    done = set(
        LetterFile.objects.filter(letter__batch=batch, reminder__isnull=True).values_list("letter_id", flat=True)
    )
    letters = [
        letter
        for letter in Letter.objects.filter(batch=batch, number__isnull=False).select_related("institution")
        if letter.pk not in done
    ]
    if not letters:
        return 0
    persons = persons_of_batch(batch)
    made = 0
    for letter in letters:
        letter.batch = batch
        made += bool(store_files(letter.pk, _letter_files(letter, persons_asked(letter, persons))))
    return made


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
