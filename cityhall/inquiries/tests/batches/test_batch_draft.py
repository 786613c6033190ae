"""Drafting an inquiry batch (預貯金等照会の起案): persons by filters, institutions by region, choice and person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.models import AuditEntry
from cityhall.documents.models import Document
from cityhall.inquiries.models import BatchPerson, DelinquentPerson, InquiryBatch, InquiryItem, Letter
from cityhall.inquiries.selectors.persons import PersonFilters
from cityhall.inquiries.services.batches import BatchTerms, InstitutionChoice, batch_draft
from cityhall.inquiries.services.institutions import institution_deactivate
from cityhall.inquiries.services.persons import person_create
from cityhall.testing.city import last_entry
from cityhall.testing.engine import submit
from cityhall.testing.inquiries import answered, person_input
from cityhall.testing.web import client_for

pytestmark = pytest.mark.django_db
TERMS = BatchTerms(purpose="滞納処分のための財産調査", base_date=dt.date(2025, 3, 31))


def _rows() -> tuple[int, ...]:
    models = (Document, InquiryBatch, BatchPerson, Letter, InquiryItem, AuditEntry)
    return tuple(model.objects.count() for model in models)


def test_a_batch_asks_the_filtered_persons_of_a_region_and_some_of_one_more_institution(inquiry_city):
    w = inquiry_city
    batch = batch_draft(
        actor=w.collector,
        filters=PersonFilters(area="北部地区"),  # 鈴木 and 佐藤
        institutions=InstitutionChoice(
            region="東京都", institution_ids=[w.banks["0138"].pk], per_person={w.suzuki.pk: [w.insurer.pk]}
        ),
        terms=TERMS,
    )
    document = batch.document
    assert (document.doc_type, document.is_confidential, document.section, batch.section) == (
        "inquiries.batch", True, w.nozei, w.nozei,
    )  # fmt: skip
    assert document.title == "預貯金等の照会について（2名・5件）"
    assert w.suzuki.name not in document.body and "国税徴収法第141条" in document.body
    asked = {
        (item.batch_person.person_id, item.letter.institution_id)
        for item in InquiryItem.objects.filter(letter__batch=batch).select_related("batch_person", "letter")
    }
    every = {w.banks["0001"].pk, w.banks["0005"].pk, w.post_bank.pk, w.banks["0138"].pk}  # 東京都's and 横浜
    assert asked == {(p.pk, i) for p in (w.suzuki, w.sato) for i in every} | {(w.suzuki.pk, w.insurer.pk)}
    assert batch.letters.count() == 5 and batch.criteria == {"area": "北部地区", "region": "東京都"}
    assert last_entry().action == "inquiries.batch.create"


def test_the_batch_keeps_each_person_as_asked_about(inquiry_city):
    copy = BatchPerson.objects.get(batch=inquiry_city.batch, person=inquiry_city.yamada)
    assert (copy.name, copy.kana, copy.former_addresses) == ("山田　太郎", "ヤマダ　タロウ", "埼玉県所沢市1-2-3")


@pytest.mark.parametrize(
    ("filters", "choice", "field"),
    [
        (PersonFilters(min_amount=10_000_000), InstitutionChoice(region="東京都"), "persons"),
        (PersonFilters(), InstitutionChoice(region="大阪府"), "region"),
        (PersonFilters(), InstitutionChoice(), "institutions"),
        (PersonFilters(area="中央地区"), InstitutionChoice(region="東京都", per_person={-1: [1]}), "per_person"),
    ],
)
def test_a_batch_that_cannot_be_asked_is_refused_and_nothing_is_written(inquiry_city, filters, choice, field):
    before = _rows()
    with pytest.raises(ValidationFailed) as refused:
        batch_draft(actor=inquiry_city.collector, filters=filters, institutions=choice, terms=TERMS)
    assert refused.value.field == field
    assert _rows() == before


def test_only_the_sections_collectors_draft_and_a_stopped_institution_stops_the_submission(city, inquiry_city):
    w = inquiry_city
    before = _rows()
    with pytest.raises(PermissionDenied):
        batch_draft(actor=city.drafter, institutions=InstitutionChoice(region="東京都"), terms=TERMS)
    with pytest.raises(ValidationFailed):  # 山田 is not a person of 税務課
        batch_draft(
            actor=w.zeimu_collector,
            person_ids=[w.yamada.pk],
            institutions=InstitutionChoice(region="東京都"),
            terms=TERMS,
        )
    assert _rows() == before
    institution_deactivate(actor=w.collector, institution=w.insurer)
    with pytest.raises(ValidationFailed, match="みどり生命保険株式会社"):
        submit(w.batch)


def test_the_draft_screen_makes_a_batch_once_and_shows_it_per_institution(inquiry_city):
    w = inquiry_city
    client = client_for(w.collector)
    form = client.get(reverse("inquiries:batch_new")).context["form"]
    data = {
        "form_token": form.initial["form_token"], "area": "北部地区", "region": "東京都",
        "purpose": "財産調査", "legal_basis": "国税徴収法第141条", "base_date": "2025-03-31", "reply_days": "14",
    }  # fmt: skip
    response = client.post(reverse("inquiries:batch_new"), data)
    batch = InquiryBatch.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("inquiries:batch", args=[batch.pk])
    assert client.post(reverse("inquiries:batch_new"), data).status_code == 302  # the same form again
    assert InquiryBatch.objects.filter(pk__gt=w.batch.pk).count() == 1
    page = client.get(reverse("inquiries:batch", args=[batch.pk])).content.decode()
    assert "株式会社ゆうちょ銀行" in page and w.sato.name in page and "未送付" in page


def test_where_seen_adds_each_persons_payment_banks_and_the_institutions_that_found_assets_before(inquiry_city):
    w = inquiry_city
    answered(w)  # 0001 answered with two accounts of 山田
    DelinquentPerson.objects.filter(pk=w.suzuki.pk).update(payment_banks="0138")  # 口座振替 seen at 0138
    batch = batch_draft(
        actor=w.collector, institutions=InstitutionChoice(institution_ids=[w.insurer.pk], where_seen=True), terms=TERMS
    )
    asked: dict[int, set[int]] = {}
    for item in InquiryItem.objects.filter(letter__batch=batch).select_related("batch_person", "letter"):
        asked.setdefault(item.batch_person.person_id, set()).add(item.letter.institution_id)
    assert asked[w.suzuki.pk] == {w.insurer.pk, w.banks["0138"].pk}
    assert asked[w.yamada.pk] == {w.insurer.pk, w.banks["0001"].pk}
    assert asked[w.sato.pk] == {w.insurer.pk}


def test_a_payment_bank_that_does_not_exist_is_refused_naming_its_code(inquiry_city):
    with pytest.raises(ValidationFailed) as refused:
        person_create(
            actor=inquiry_city.collector,
            data=person_input("0000000777", "川口　一郎", "カワグチ　イチロウ", payment_banks=("0001", "9998")),
        )
    assert (refused.value.field, refused.value.message) == ("payment_banks", "銀行コード 9998 は存在しません。")
    assert not DelinquentPerson.objects.filter(resident_number="0000000777").exists()
