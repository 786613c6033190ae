"""Letters as their section's tax collectors see them (照会書の参照): one letter, its files, the overdue list.

Everything starts from ``scope_of`` (the caller's sections, in SQL); missing and forbidden are the
same 404. A file not made yet is a 409 that says so (the background task is still at work).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from cityhall.core.errors import Conflict, PermissionDenied
from cityhall.inquiries.access import NOT_FOUND, scope_of
from cityhall.inquiries.models import Channel, Letter, LetterFile, LetterFileKind, LetterStatus, Reminder

FILE_PENDING = "照会書のファイルを作成中です。しばらくしてから、もう一度お試しください。"


def letters_for(user: object) -> QuerySet[Letter]:
    """The letters of the caller's sections' batches (担当課の照会書); refused for anyone else."""
    return Letter.objects.filter(batch__section_id__in=scope_of(user).section_ids)


def _with_files(letters: QuerySet[Letter]) -> QuerySet[Letter]:
    files = LetterFile.objects.select_related("reminder").order_by("kind", "reminder__number")
    return letters.prefetch_related(
        Prefetch("files", queryset=files, to_attr="file_rows"),
        Prefetch("reminder_rows", queryset=Reminder.objects.order_by("number"), to_attr="reminder_list"),
    )


def batch_letters(user: object, batch_id: int, *, on: dt.date | None = None) -> list[Letter]:
    """A batch's letters with institution, persons asked, files, reminders and whether overdue (``is_overdue``)."""
    day = on or timezone.localdate()
    letters: list[Letter] = list(
        _with_files(letters_for(user).filter(batch_id=batch_id))
        .select_related("institution")
        .annotate(person_count=Count("items"))
        .order_by("number", "institution__kind", "institution__bank_code", "institution__kana", "pk")
    )
    for letter in letters:
        letter.is_overdue = is_overdue(letter, day)  # type: ignore[attr-defined]
    return letters


def is_overdue(letter: Letter, day: dt.date) -> bool:
    """Whether the letter waits for its answer after its reply deadline (回答期限超過)."""
    return bool(letter.status == LetterStatus.SENT and letter.reply_deadline and letter.reply_deadline < day)


def letter_detail(user: object, batch_id: int, letter_id: int, *, on: dt.date | None = None) -> Letter:
    """One letter of a batch with its batch, institution, files and reminders; 404 if not the caller's."""
    letter = (
        _with_files(letters_for(user).filter(batch_id=batch_id, pk=letter_id))
        .select_related("batch__document", "batch__section", "institution")
        .annotate(person_count=Count("items"))
        .first()
    )
    if letter is None:
        raise PermissionDenied(NOT_FOUND)
    letter.is_overdue = is_overdue(letter, on or timezone.localdate())  # type: ignore[attr-defined]
    return letter


def letter_file(user: object, batch_id: int, letter_id: int, kind: str, reminder: int | None = None) -> LetterFile:
    """A letter's file to download: its PDF, its request file (digital institutions) or a reminder's PDF.

    404 for a letter that is not the caller's, a request file of a paper institution or a reminder
    that was never recorded; 409 while the background task is still making the file.
    """
    letter = letters_for(user).filter(batch_id=batch_id, pk=letter_id).select_related("institution").first()
    if letter is None or letter.number is None:
        raise PermissionDenied(NOT_FOUND)
    if kind == LetterFileKind.REQUEST and letter.institution.channel != Channel.DIGITAL:
        raise PermissionDenied(NOT_FOUND)
    files = LetterFile.objects.filter(letter=letter, kind=kind).select_related("letter", "reminder")
    if kind == LetterFileKind.REMINDER:
        if reminder is None or not Reminder.objects.filter(letter=letter, number=reminder).exists():
            raise PermissionDenied(NOT_FOUND)
        files = files.filter(reminder__number=reminder)
    found = files.first()
    if found is None:
        raise Conflict(FILE_PENDING)
    return found


def overdue_letters(user: object, *, on: dt.date | None = None) -> QuerySet[Letter]:
    """The caller's letters waiting after their reply deadline (回答期限超過の一覧), the oldest deadline first."""
    day = on or timezone.localdate()
    return (
        letters_for(user)
        .filter(status=LetterStatus.SENT, reply_deadline__lt=day)
        .select_related("batch__document", "institution")
        .annotate(person_count=Count("items"))
        .order_by("reply_deadline", "batch_id", "number", "pk")
    )
