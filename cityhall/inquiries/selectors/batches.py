"""Inquiry batches as their section's tax collectors see them (預貯金等照会の参照): lists, letters, persons.

Only batches of the caller's sections (``scope_of``); a letter is overdue (回答期限超過) when it is
waiting for an answer after its reply deadline.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from cityhall.core.errors import PermissionDenied
from cityhall.inquiries.access import NOT_FOUND, scope_of
from cityhall.inquiries.models import BatchPerson, InquiryBatch, InquiryItem, Letter, LetterStatus


def batches_for(user: object) -> QuerySet[InquiryBatch]:
    """The batches of the caller's sections (担当課の照会); refused for anyone else."""
    return InquiryBatch.objects.filter(section_id__in=scope_of(user).section_ids)


def batch_list(user: object) -> QuerySet[InquiryBatch]:
    """The caller's batches, newest first, with their document and how many persons and letters."""
    return (
        batches_for(user)
        .select_related("document", "section")
        .annotate(person_count=Count("persons", distinct=True), letter_count=Count("letters", distinct=True))
        .order_by("-created_at", "-pk")
    )


def batch_detail(user: object, pk: int) -> InquiryBatch:
    """One batch with its document; missing and forbidden alike are 「not found」."""
    batch = batches_for(user).filter(pk=pk).select_related("document", "section").first()
    if batch is None:
        raise PermissionDenied(NOT_FOUND)
    return batch


def letters_of(batch: InquiryBatch, *, on: dt.date | None = None) -> list[Letter]:
    """The batch's letters with their institution, how many persons each asks about and whether overdue."""
    day = on or timezone.localdate()
    letters: list[Letter] = list(
        Letter.objects.filter(batch=batch)
        .select_related("institution")
        .annotate(person_count=Count("items"))
        .order_by("number", "institution__kind", "institution__bank_code", "institution__kana", "pk")
    )
    for letter in letters:
        letter.is_overdue = bool(  # type: ignore[attr-defined]
            letter.status == LetterStatus.SENT and letter.reply_deadline and letter.reply_deadline < day
        )
    return letters


def batch_persons(batch: InquiryBatch) -> QuerySet[BatchPerson]:
    """The batch's persons as asked about, by kana, each with the institutions asked (``asked``)."""
    items = InquiryItem.objects.select_related("letter__institution").order_by("letter__institution__name")
    return (
        BatchPerson.objects.filter(batch=batch)
        .select_related("person")
        .prefetch_related(Prefetch("items", queryset=items, to_attr="asked"))
        .order_by("kana", "birth_date", "pk")
    )


def counts_of(batch: InquiryBatch) -> dict[str, int]:
    """How many persons, letters and person-institution items the batch holds (照会の件数)."""
    return {
        "persons": BatchPerson.objects.filter(batch=batch).count(),
        "letters": Letter.objects.filter(batch=batch).count(),
        "items": InquiryItem.objects.filter(letter__batch=batch).count(),
    }
