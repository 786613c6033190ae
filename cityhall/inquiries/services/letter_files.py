"""The files of a decided batch's letters (照会書・照会ファイル・督促状のファイル): made, signed, stored.

The worker side of the tasks (``services.tasks``): ``letters_generate`` makes the missing files of
a batch's letters one letter at a time (the signed PDF of the 照会書 with its 回答書 for every
institution, the request file for digital ones), ``reminder_generate`` the signed PDF of a
reminder (督促状). ``store_files`` keeps a letter's files with their audit entry in one
transaction: all or none, once (a task run again makes only what is missing).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.db import transaction

from cityhall.core.audit import record
from cityhall.documents.models import Document
from cityhall.inquiries.letter_pdf import InquiryLetter, LetterPerson, ReminderTerms, render_letter
from cityhall.inquiries.models import (
    BatchPerson,
    Channel,
    InquiryBatch,
    InquiryItem,
    Institution,
    Letter,
    LetterFile,
    LetterFileKind,
    MatchOn,
    Reminder,
)
from cityhall.inquiries.request_file import RequestFile, RequestRow, render_request

SYSTEM_ACTOR = "inquiries.letters"


def letter_label(document: Document, number: int | None) -> str:
    """The letter's printed number (照会書番号): the batch's document number and the letter's, 「緑納第12号-3」."""
    return f"{document.number_label}-{number}" if number else document.number_label


def persons_of_batch(batch: InquiryBatch) -> dict[int, BatchPerson]:
    return {p.pk: p for p in BatchPerson.objects.filter(batch=batch).order_by("kana", "birth_date", "pk")}


def persons_asked(letter: Letter, persons: dict[int, BatchPerson]) -> list[BatchPerson]:
    """The letter's persons in the batch's order (by kana, birth date)."""
    ids = set(InquiryItem.objects.filter(letter=letter).values_list("batch_person_id", flat=True))
    return [person for pk, person in persons.items() if pk in ids]


def _addresses(person: BatchPerson, institution: Institution) -> tuple[str, tuple[str, ...]]:
    """The person's current and former addresses, only for an institution that matches on them.

    An institution matching on kana and birth date alone is not told where the person lives: a letter
    discloses no more of a taxpayer than the institution needs to answer (地方税法第22条).
    """
    if institution.match_on != MatchOn.KANA_BIRTH_ADDRESS:
        return "", ()
    return person.address, tuple(line for line in person.former_addresses.splitlines() if line.strip())


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
        persons=[LetterPerson(p.name, p.kana, p.birth_date, *_addresses(p, institution)) for p in persons],
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
        rows=[RequestRow(p.pk, p.kana, p.name, p.birth_date, *_addresses(p, letter.institution)) for p in persons],
    )


def signed(pdf: bytes, letter: InquiryLetter) -> bytes:
    """The PDF signed with the city's certificate (電子署名)."""
    from cityhall.signing.sign import sign_pdf

    what = f"督促（{letter.reminder.number}回目）" if letter.reminder else "預貯金等の照会"
    return sign_pdf(pdf, reason=f"{letter.number} {what}", location=letter.municipality)


def store_files(
    letter_id: int, files: Sequence[tuple[str, str, bytes]], *, reminder: Reminder | None = None
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


def reminder_generate(reminder_id: int) -> bool:
    """Make the signed reminder PDF (督促状) of a recorded reminder; False if it exists already."""
    from cityhall.inquiries import letter_pdf

    reminder = Reminder.objects.select_related(
        "letter__institution", "letter__batch__document__drafter", "letter__batch__section__municipality"
    ).get(pk=reminder_id)
    letter = reminder.letter
    if reminder.files.exists():
        return False
    content = inquiry_letter(letter, persons_asked(letter, persons_of_batch(letter.batch)), reminder)
    pdf = signed(letter_pdf.render_letter(content), content)
    return bool(
        store_files(letter.pk, [(LetterFileKind.REMINDER, letter_pdf.file_name(content), pdf)], reminder=reminder)
    )
