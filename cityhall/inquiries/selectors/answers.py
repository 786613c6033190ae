"""Answers as their section's tax collectors see them (回答の参照): per letter, rows to decide, 差押予定一覧.

Everything starts from ``scope_of`` (the caller's sections, in SQL; missing and forbidden are the
same 404). The seizure-candidate list (差押予定一覧) gathers the assets of the rows matched to a
person (照合済・職員が確定), one entry per person with their assets, the persons with the most first;
a person whose every institution answered with nothing is listed apart (財産なし).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from cityhall.core.errors import PermissionDenied
from cityhall.inquiries.access import NOT_FOUND, scope_of
from cityhall.inquiries.matching import kana_key
from cityhall.inquiries.models import (
    Answer,
    AnswerFile,
    BatchPerson,
    DelinquentPerson,
    FoundAsset,
    InquiryBatch,
    InquiryItem,
    Letter,
)
from cityhall.inquiries.models.answers import MATCHED_STATUSES, OPEN_STATUSES

MAX_CANDIDATES = 20


def letter_for(user: object, pk: int) -> Letter:
    """One letter of the caller's sections with its institution and batch; else 「not found」."""
    letter = (
        Letter.objects.filter(pk=pk, batch__section_id__in=scope_of(user).section_ids)
        .select_related("institution", "batch__document")
        .first()
    )
    if letter is None:
        raise PermissionDenied(NOT_FOUND)
    return letter


def answer_for(user: object, pk: int) -> Answer:
    """One answer row of the caller's sections with its letter; else 「not found」."""
    answer = (
        Answer.objects.filter(pk=pk, letter__batch__section_id__in=scope_of(user).section_ids)
        .select_related("letter__institution", "letter__batch__document", "answer_file", "item__batch_person__person")
        .first()
    )
    if answer is None:
        raise PermissionDenied(NOT_FOUND)
    return answer


def answer_letters(batch: InquiryBatch) -> list[Letter]:
    """The batch's letters with how many persons were asked, answered, and rows left to decide."""
    answered = Answer.objects.filter(item=OuterRef("pk"), match_status__in=MATCHED_STATUSES)
    done = dict(
        InquiryItem.objects.filter(letter__batch=batch)
        .filter(Exists(answered))
        .values("letter_id")
        .annotate(n=Count("pk"))
        .values_list("letter_id", "n")
    )
    letters: list[Letter] = list(
        Letter.objects.filter(batch=batch)
        .select_related("institution")
        .annotate(
            person_count=Count("items", distinct=True),
            open_count=Count("answers", filter=Q(answers__match_status__in=OPEN_STATUSES), distinct=True),
            file_count=Count("answer_files", distinct=True),
        )
        .order_by("number", "institution__kind", "institution__bank_code", "institution__kana", "pk")
    )
    for letter in letters:
        letter.answered_count = done.get(letter.pk, 0)  # type: ignore[attr-defined]
    return letters


def answer_files(batch: InquiryBatch) -> QuerySet[AnswerFile]:
    """The answer files imported for the batch's letters, newest first."""
    return (
        AnswerFile.objects.filter(letter__batch=batch)
        .select_related("letter__institution", "imported_by")
        .order_by("-imported_at", "-pk")
    )


def batch_answers(user: object, batch_id: int, *, status: str = "") -> QuerySet[Answer]:
    """The answer rows of one of the caller's batches (by letter and row), optionally of one match status."""
    rows = Answer.objects.filter(letter__batch_id=batch_id, letter__batch__section_id__in=scope_of(user).section_ids)
    if status == "open":
        rows = rows.filter(match_status__in=OPEN_STATUSES)
    elif status:
        rows = rows.filter(match_status=status)
    return rows.select_related("letter__institution", "item__batch_person__person").prefetch_related("assets")


def open_answers(batch: InquiryBatch) -> QuerySet[Answer]:
    """The rows of the batch left for a human to decide (該当者なし・複数該当)."""
    return (
        Answer.objects.filter(letter__batch=batch, match_status__in=OPEN_STATUSES)
        .select_related("letter__institution")
        .order_by("letter_id", "answer_file_id", "row_number", "pk")
    )


def candidates(answer: Answer) -> list[BatchPerson]:
    """The letter's persons the row may be about: the same kana or the same birth date, the likeliest first."""
    wanted = kana_key(answer.kana) if answer.kana else ""
    rows = (
        BatchPerson.objects.filter(items__letter_id=answer.letter_id)
        .select_related("person")
        .only("pk", "name", "kana", "birth_date", "address", "former_addresses", "person__resident_number")
    )
    found = []
    for person in rows.iterator(chunk_size=2_000):
        same_kana, same_birth = bool(wanted) and kana_key(person.kana) == wanted, person.birth_date == answer.birth_date
        if same_kana or same_birth:
            found.append((not (same_kana and same_birth), not same_kana, person.kana, person.pk, person))
    return [row[-1] for row in sorted(found, key=lambda r: r[:4])][:MAX_CANDIDATES]


@dataclass
class SeizureAsset:
    """One found asset as the 差押予定一覧 lists it."""

    institution: str
    kind: str
    branch_name: str
    branch_code: str
    account_type: str
    number: str
    balance: int
    last_transaction_on: dt.date | None


@dataclass
class SeizurePerson:
    """A person of the 差押予定一覧: who, how much owed, the assets found (largest first) and their total."""

    person: DelinquentPerson
    name: str
    kana: str
    birth_date: dt.date
    assets: list[SeizureAsset] = field(default_factory=list)

    @property
    def total(self) -> int:
        """The sum of the assets' balances (and surrender values)."""
        return sum(a.balance for a in self.assets)


@dataclass
class SeizureList:
    """The batch's 差押予定一覧: persons with assets, persons with none anywhere, persons still waiting."""

    batch: InquiryBatch
    found: list[SeizurePerson]
    nothing: list[SeizurePerson]
    waiting: int

    @property
    def persons(self) -> list[DelinquentPerson]:
        """Every person the list shows (for the audit trail)."""
        return [p.person for p in (*self.found, *self.nothing)]


def _asset(row: FoundAsset) -> SeizureAsset:
    return SeizureAsset(
        institution=row.answer.letter.institution.name,
        kind=row.get_kind_display(),
        branch_name=row.branch_name,
        branch_code=row.branch_code,
        account_type=row.get_account_type_display() if row.account_type else "",
        number=row.account_number or row.policy_number,
        balance=(row.balance if row.balance is not None else row.surrender_value) or 0,
        last_transaction_on=row.last_transaction_on,
    )


def seizure_list(user: object, batch_id: int) -> SeizureList:
    """The 差押予定一覧 of one of the caller's batches: by total balance, then kana."""
    batch = InquiryBatch.objects.filter(pk=batch_id, section_id__in=scope_of(user).section_ids).first()
    if batch is None:
        raise PermissionDenied(NOT_FOUND)
    persons = {p.pk: p for p in BatchPerson.objects.filter(batch=batch).select_related("person")}
    entries = {pk: SeizurePerson(p.person, p.name, p.kana, p.birth_date) for pk, p in persons.items()}
    assets = (
        FoundAsset.objects.filter(answer__letter__batch=batch, answer__match_status__in=MATCHED_STATUSES)
        .select_related("answer__letter__institution", "answer__item")
        .order_by("pk")
    )
    for row in assets:
        assert row.answer.item is not None  # a matched answer names its item (a constraint)
        entries[row.answer.item.batch_person_id].assets.append(_asset(row))
    answered = Answer.objects.filter(item=OuterRef("pk"), match_status__in=MATCHED_STATUSES)
    pending = set(
        InquiryItem.objects.filter(letter__batch=batch)
        .exclude(Exists(answered))
        .values_list("batch_person_id", flat=True)
    )
    found = [e for e in entries.values() if e.assets]
    for entry in found:
        entry.assets.sort(key=lambda a: (-a.balance, a.institution))
    found.sort(key=lambda e: (-e.total, e.kana, e.person.pk))
    nothing = sorted(
        (e for pk, e in entries.items() if not e.assets and pk not in pending), key=lambda e: (e.kana, e.person.pk)
    )
    return SeizureList(batch, found, nothing, sum(1 for pk, e in entries.items() if not e.assets and pk in pending))
