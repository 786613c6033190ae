"""The rules the database holds for the inquiries (制約): they hold whatever code writes the rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from cityhall.inquiries.models import (
    Answer,
    AnswerResult,
    DelinquentPerson,
    Institution,
    InstitutionKind,
    Letter,
    LetterStatus,
    MatchStatus,
)

pytestmark = pytest.mark.django_db


def _refused(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_the_database_refuses_rows_that_break_the_inquiries_rules(inquiry_city):
    w = inquiry_city
    letter = Letter.objects.filter(batch=w.batch).earliest("pk")
    person = dict(
        section=w.nozei, name="重複", kana="ジュウフク", birth_date=dt.date(1990, 1, 1), address="—",
        amount=1, delinquent_since=dt.date(2024, 1, 1),
    )  # fmt: skip
    _refused(lambda: DelinquentPerson.objects.create(resident_number=w.yamada.resident_number, **person))
    _refused(lambda: DelinquentPerson.objects.create(resident_number="x", **(person | {"amount": -1})))
    DelinquentPerson.objects.create(resident_number=w.yamada.resident_number, **(person | {"section": w.zeimu}))
    _refused(lambda: Institution.objects.create(kind=InstitutionKind.BANK, name="コードなし銀行", address="—"))
    _refused(
        lambda: Institution.objects.create(kind=InstitutionKind.INSURER, name="某生命", bank_code="0001", address="—")
    )
    _refused(lambda: Institution.objects.create(kind=InstitutionKind.BANK, name="二重", bank_code="0001", address="—"))
    _refused(lambda: Letter.objects.filter(pk=letter.pk).update(status=LetterStatus.SENT))  # sent without a date
    _refused(
        lambda: Letter.objects.filter(pk=letter.pk).update(
            sent_on=dt.date(2025, 5, 1), reply_deadline=dt.date(2025, 4, 1)
        )
    )
    _refused(lambda: Letter.objects.create(batch=w.batch, institution=letter.institution))  # one letter per institution
    answer = dict(letter=letter, result=AnswerResult.NONE, received_on=dt.date(2025, 5, 1))
    _refused(lambda: Answer.objects.create(match_status=MatchStatus.MATCHED, **answer))  # matched names its item
    Answer.objects.create(match_status=MatchStatus.UNMATCHED, **answer)  # left for a human
