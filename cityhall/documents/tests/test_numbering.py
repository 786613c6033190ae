"""Numbering (文書番号): per section and fiscal year, sub-numbers, no duplicate and no gap under concurrency."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from cityhall.core.errors import Conflict, ValidationFailed
from cityhall.documents import services
from cityhall.documents.models import Document, DocumentNumberCounter


def test_numbers_run_per_section_and_fiscal_year(city, draft):
    first = draft()
    second = draft(by=city.drafter2)
    other_section = draft(by=city.jinji_kacho)
    next_year = draft(on=dt.date(2099, 4, 1))
    assert (first.number, second.number) == (1, 2)
    assert first.number_label == "緑総第1号"
    assert other_section.number_label == "緑人第1号"
    assert (next_year.fiscal_year, next_year.number) == (2099, 1)


def test_march_31_and_april_1_belong_to_different_fiscal_years(city, draft):
    march = draft(on=dt.date(2026, 3, 31))
    april = draft(on=dt.date(2026, 4, 1))
    assert (march.fiscal_year, march.number) == (2025, 1)
    assert (april.fiscal_year, april.number) == (2026, 1)


def test_sub_numbers(city, draft):
    parent = draft()
    child = draft(sub_of=parent)
    grandchild = draft(sub_of=parent)
    assert (child.number, child.sub_number, child.number_label) == (parent.number, 1, "緑総第1号の1")
    assert grandchild.sub_number == 2
    assert draft().number == 2


def test_failed_draft_takes_no_number(city, draft):
    draft()
    with pytest.raises(ValidationFailed):
        draft(title="   ")
    assert draft().number == 2
    assert DocumentNumberCounter.objects.get().last_number == 2


def _run_threads(count, target):
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(i):
        try:
            barrier.wait()
            target(i)
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_drafting_numbers_have_no_duplicate_and_no_gap(city):
    n = 8
    people = [city.drafter, city.drafter2, city.shunin, city.kakaricho, city.hosa, city.kacho, city.docmgr]

    def make(i):
        services.draft_create(actor=people[i % len(people)], title=f"同時起案{i}", matter_kind=city.kinds["general"])

    errors = _run_threads(n, make)
    assert errors == []
    numbers = sorted(Document.objects.filter(section=city.units.soumu).values_list("number", flat=True))
    assert numbers == list(range(1, n + 1))


def test_draft_rolled_back_after_numbering_releases_its_number(city, draft):
    receipt = services.receipt_register(
        actor=city.drafter, received_on=dt.date(2025, 5, 1), sender="県総務課", title="照会について"
    )
    answer = draft(receipt=receipt)
    with pytest.raises(Conflict):
        draft(receipt=receipt)  # numbered, then refused: the whole transaction rolls back
    assert Document.objects.count() == 1
    assert draft().number == answer.number + 1
