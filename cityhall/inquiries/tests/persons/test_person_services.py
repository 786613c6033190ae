"""Entering and correcting a delinquent person (滞納者): normalised, audited, within the collector's section."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.models import AuditEntry
from cityhall.inquiries.models import DelinquentPerson, FormerAddress, TaxItem
from cityhall.inquiries.services.persons import (
    FormerAddressInput,
    PersonsRefused,
    TaxItemInput,
    person_create,
    person_update,
    persons_insert,
)
from cityhall.testing.city import last_entry
from cityhall.testing.inquiries import person_input
from cityhall.testing.web import client_for

pytestmark = pytest.mark.django_db


def _rows() -> tuple[int, int, int, int]:
    return (
        DelinquentPerson.objects.count(),
        FormerAddress.objects.count(),
        TaxItem.objects.count(),
        AuditEntry.objects.count(),
    )


def test_a_person_is_entered_in_katakana_with_the_sum_of_the_items_and_audited(inquiry_city):
    w = inquiry_city
    moved = (FormerAddressInput("神奈川県相模原市1-1", dt.date(2020, 3, 31)), FormerAddressInput("東京都町田市2-2"))
    items = (TaxItemInput("固定資産税", 2023, "１２，０００円"), TaxItemInput("軽自動車税（種別割）", 2024, 10_800))
    data = person_input("0000000301", "高橋　三郎", "たかはし ｻﾌﾞﾛｳ", former_addresses=moved, tax_items=items)
    person = person_create(actor=w.collector, data=data)
    assert (person.section, person.kana, person.amount) == (w.nozei, "タカハシ　サブロウ", 22_800)
    assert list(person.former_addresses.values_list("position", "address")) == [
        (1, "神奈川県相模原市1-1"),
        (2, "東京都町田市2-2"),
    ]
    entry = last_entry()
    assert (entry.action, entry.object_repr) == ("inquiries.person.create", "宛名番号 0000000301")

    changed = person_update(actor=w.nozei_kacho, person=person, data=dataclasses.replace(data, former_addresses=()))
    assert not changed.former_addresses.exists() and last_entry().action == "inquiries.person.update"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kana": "高橋"}, "kana"),
        ({"birth_date": dt.date(1899, 12, 31)}, "birth_date"),
        ({"resident_number": "0000000101"}, None),  # 山田's number in the same section
        ({"amount": 1}, "amount"),  # not the sum of the items
    ],
)
def test_a_bad_person_is_refused_and_nothing_is_written(inquiry_city, change, field):
    before = _rows()
    with pytest.raises(ValidationFailed) as refused:
        data = dataclasses.replace(person_input("0000000302", "高橋　四郎", "タカハシ　シロウ"), **change)
        person_create(actor=inquiry_city.collector, data=data)
    assert refused.value.field == field
    assert _rows() == before


def test_nobody_else_writes_a_person_and_another_section_cannot_touch_ours(city, inquiry_city):
    w = inquiry_city
    before = _rows()
    with pytest.raises(PermissionDenied):
        person_create(actor=city.drafter, data=person_input("0000000303", "某", "ボウ"))
    with pytest.raises(PermissionDenied):
        person_update(actor=w.zeimu_collector, person=w.yamada, data=person_input("0000000101", "改", "カイ"))
    with pytest.raises(PermissionDenied), transaction.atomic():
        persons_insert(actor=w.zeimu_collector, section=w.nozei, rows=[person_input("0000000304", "某", "ボウ")])
    assert _rows() == before


def test_a_bulk_entry_names_every_bad_row_and_writes_none(inquiry_city):
    w = inquiry_city
    before = _rows()
    rows = [
        person_input("0000000401", "良", "リョウ"),
        person_input("0000000101", "既存", "キゾン"),
        person_input("0000000403", "悪", ""),
        person_input("0000000401", "二重", "ニジュウ"),
    ]
    with pytest.raises(PersonsRefused) as refused, transaction.atomic():
        persons_insert(actor=w.collector, section=w.nozei, rows=rows)
    assert [(index, field) for index, field, _message in refused.value.problems] == [
        (1, "resident_number"),
        (2, "kana"),
        (3, "resident_number"),
    ]
    assert _rows() == before
    with transaction.atomic():
        (stored,) = persons_insert(actor=w.collector, section=w.nozei, rows=rows[:1])
    assert stored.tax_items.count() == 1 and last_entry().action == "inquiries.person.create"


def test_every_look_at_a_person_is_recorded(inquiry_city):
    w = inquiry_city
    client = client_for(w.collector)
    assert client.get(reverse("inquiries:person", args=[w.yamada.pk])).status_code == 200
    entry = last_entry()
    assert (entry.action, entry.object_id, entry.actor_id) == (
        "inquiries.person.view",
        str(w.yamada.pk),
        w.collector.pk,
    )
    views = AuditEntry.objects.filter(action="inquiries.person.view").count()
    listed = client.get(reverse("inquiries:persons"), {"area": "北部地区"})
    assert [p.pk for p in listed.context["page"].object_list] == [w.sato.pk, w.suzuki.pk]
    today = timezone.localdate()
    since_2022 = (today.year - 2022) * 12 + today.month - 6  # 鈴木 owes since 2021, 山田 and 佐藤 since 2024
    response = client.get("/api/inquiries/persons", {"min_age_months": since_2022})
    assert [p["id"] for p in response.json()["items"]] == [w.suzuki.pk]
    assert AuditEntry.objects.filter(action="inquiries.person.view").count() == views + 3
