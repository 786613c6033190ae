"""Encumbrance (支出負担行為): typed document, route by amount, budget hard stops, amend and cancel."""

from __future__ import annotations

import datetime as dt

import pytest

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus
from cityhall.finance import balance, services
from cityhall.finance.models import Allotment, Encumbrance
from cityhall.finance.selectors.budget import allotment_balance
from cityhall.finance.selectors.encumbrances import encumbrances_for
from cityhall.testing.engine import decide, submit
from cityhall.testing.finance import FY, available

pytestmark = pytest.mark.django_db

OVER = "予算残額が不足しています（予算科目: 一般会計 2款総務費 1項総務管理費 1目一般管理費 10節需用費、"


def test_draft_creates_the_typed_document_and_its_data(city, budget, encumber):
    enc = encumber(amount=800_000, deadline=dt.date(FY + 1, 3, 31))
    doc = enc.document
    assert (doc.doc_type, doc.amount, doc.matter_kind.code, doc.section) == (
        "finance.encumbrance",
        800_000,
        "contract",  # a 随意契約: routed by the 契約 rules
        city.units.soumu,
    )
    assert (enc.section, enc.allotment, enc.fiscal_year, enc.original_amount) == (
        city.units.soumu,
        budget.allotment,
        FY,
        800_000,
    )
    assert AuditEntry.objects.filter(action="finance.encumbrance.create", object_id=str(enc.pk)).exists()
    assert available(budget) == 3_000_000  # a draft holds nothing until it is submitted


def test_800000_of_juyouhi_is_decided_by_the_kacho(city, budget, encumber):
    enc = encumber(amount=800_000)
    doc = submit(enc)
    assert doc.decision_label == "課長専決"
    assert available(budget) == 2_200_000  # reserved while circulating
    doc = docs.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    assert doc.status == DocumentStatus.CIRCULATING
    doc = docs.approve(actor=city.kacho, document=doc, expected_version=doc.version)
    assert (doc.status, doc.decided_by) == (DocumentStatus.DECIDED, city.kacho)
    assert allotment_balance(budget.allotment).encumbered == 800_000


def test_over_budget_at_draft_names_line_available_and_requested_and_saves_nothing(city, budget, encumber):
    decide(encumber(amount=2_000_000))
    before = Document.objects.count(), Encumbrance.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        encumber(amount=1_200_000)
    assert caught.value.message == OVER + "執行可能額: 1,000,000円、要求額: 1,200,000円）。"
    assert (Document.objects.count(), Encumbrance.objects.count()) == before


@pytest.mark.parametrize("amount", ["1000.5", 0, -5, "abc"])
def test_amount_must_be_whole_yen_above_zero(budget, encumber, amount):
    with pytest.raises(ValidationFailed) as caught:
        encumber(amount=amount)
    assert caught.value.field == "amount"
    assert not Encumbrance.objects.exists()


def test_hard_stop_at_submit(city, budget, encumber):
    first, second = encumber(amount=2_000_000), encumber(amount=1_500_000)
    submit(first)
    with pytest.raises(ValidationFailed) as caught:
        submit(second)
    assert caught.value.message == OVER + "執行可能額: 1,000,000円、要求額: 1,500,000円）。"
    assert Document.objects.get(pk=second.document_id).status == DocumentStatus.DRAFT


def test_hard_stop_at_decision_inside_the_deciding_transaction(city, budget, encumber):
    enc = encumber(amount=900_000)
    doc = submit(enc)
    doc = docs.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    # The allotment is cut behind the services' back (e.g. a data correction): the decision must still stop.
    Allotment.objects.filter(pk=budget.allotment.pk).update(amount=500_000)
    with pytest.raises(ValidationFailed, match="執行可能額: 500,000円、要求額: 900,000円"):
        docs.approve(actor=city.kacho, document=doc, expected_version=doc.version)
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.CIRCULATING
    assert not AuditEntry.objects.filter(action="documents.document.decide", object_id=str(doc.pk)).exists()


def test_send_back_and_withdraw_release_the_reservation(city, budget, encumber):
    enc = encumber(amount=1_000_000)
    doc = submit(enc)
    assert available(budget) == 2_000_000
    doc = docs.send_back(actor=city.kakaricho, document=doc, expected_version=doc.version, comment="見積書を添付")
    assert available(budget) == 3_000_000
    doc = docs.submit(actor=city.drafter, document=doc, expected_version=doc.version)
    assert available(budget) == 2_000_000
    docs.withdraw(actor=city.drafter, document=doc, expected_version=doc.version, reason="不要になった")
    assert available(budget) == 3_000_000


def test_amend_only_decreases_and_releases_budget(city, budget, encumber):
    enc = encumber(amount=1_000_000)
    decide(enc)
    with pytest.raises(ValidationFailed, match="現在額: 1,000,000円、変更後: 2,500,000円"):
        services.encumbrance_amend(actor=city.bucho, encumbrance=enc, amount=2_500_000, reason="数量の増")
    enc.refresh_from_db()
    assert (enc.amount, enc.original_amount, available(budget)) == (1_000_000, 1_000_000, 2_000_000)
    enc = services.encumbrance_amend(actor=city.bucho, encumbrance=enc, amount=400_000, reason="減")
    assert available(budget) == 2_600_000
    entry = AuditEntry.objects.filter(action="finance.encumbrance.amend", object_id=str(enc.pk)).latest("seq")
    assert entry.actor_label == city.bucho.username


def test_cancel_releases_budget_once(city, budget, encumber):
    enc = encumber(amount=1_000_000)
    decide(enc)
    services.encumbrance_cancel(actor=city.bucho, encumbrance=enc, reason="契約解除")
    assert available(budget) == 3_000_000
    with pytest.raises(Conflict):
        services.encumbrance_cancel(actor=city.bucho, encumbrance=enc, reason="二重")
    assert AuditEntry.objects.filter(action="finance.encumbrance.cancel", object_id=str(enc.pk)).count() == 1


def test_amend_refuses_an_increase_and_changes_nothing(city, budget, encumber):
    enc = encumber(amount=500_000)
    decide(enc)
    with pytest.raises(ValidationFailed) as caught:
        services.encumbrance_amend(actor=city.kacho, encumbrance=enc, amount=500_001, reason="増額")
    assert caught.value.field == "amount"
    assert caught.value.message == (
        "増額は、変更契約（支出負担行為の変更）を起案し、変更後の総額による決裁を受けてください"
        "（現在額: 500,000円、変更後: 500,001円）。"
    )
    enc.refresh_from_db()
    assert enc.amount == 500_000 and balance.available_amount(enc.allotment) == 2_500_000
    assert not AuditEntry.objects.filter(action="finance.encumbrance.amend").exists()


def test_amend_decreases_in_the_closing_period_but_never_increases(city, budget, encumber):
    enc = encumber(amount=500_000)
    decide(enc)
    april = dt.date(FY + 1, 4, 20)
    with pytest.raises(ValidationFailed, match="変更契約"):
        services.encumbrance_amend(actor=city.kacho, encumbrance=enc, amount=2_500_000, reason="増額", on=april)
    enc = services.encumbrance_amend(actor=city.kacho, encumbrance=enc, amount=300_000, reason="減額", on=april)
    assert enc.amount == 300_000 and balance.available_amount(enc.allotment) == 2_700_000


def test_amend_before_decision_or_by_another_section_is_refused(city, budget, encumber):
    enc = encumber(amount=500_000)
    with pytest.raises(Conflict, match="決裁前"):
        services.encumbrance_amend(actor=city.drafter, encumbrance=enc, amount=600_000, reason="x")
    decide(enc)
    with pytest.raises(PermissionDenied):
        services.encumbrance_cancel(actor=city.outsider, encumbrance=enc, reason="x")
    with pytest.raises(ValidationFailed, match="変更理由"):
        services.encumbrance_amend(actor=city.drafter, encumbrance=enc, amount=600_000, reason=" ")
    enc.refresh_from_db()
    assert enc.amount == 500_000 and enc.cancelled_at is None


def test_a_section_without_allotment_cannot_encumber(city, budget, encumber):
    with pytest.raises(ValidationFailed, match="人事課に配当されていません"):
        encumber(by=city.outsider)
    with pytest.raises(PermissionDenied):
        encumber(by="batch")


def test_no_new_encumbrance_for_the_old_year_after_31_march(budget, encumber):
    with pytest.raises(ValidationFailed, match="年度外"):
        encumber(on=dt.date(FY + 1, 4, 15))


def test_document_amount_changed_behind_the_encumbrance_is_refused_at_submit(city, budget, encumber):
    enc = encumber(amount=500_000)
    doc = Document.objects.get(pk=enc.document_id)
    with pytest.raises(ValidationFailed, match="起案の修正では変更できません"):
        docs.draft_update(actor=city.drafter, document=doc, expected_version=doc.version, amount=100_000)
    Document.objects.filter(pk=doc.pk).update(amount=100_000)  # e.g. a data fix behind the services
    doc = Document.objects.get(pk=enc.document_id)
    with pytest.raises(ValidationFailed, match="一致しません"):
        docs.submit(actor=city.drafter, document=doc, expected_version=doc.version)


def test_encumbrances_are_visible_to_their_section_and_to_accounting(city, budget, encumber):
    enc = encumber()
    assert list(encumbrances_for(city.kacho)) == [enc]
    assert list(encumbrances_for(budget.staff)) == [enc]
    assert list(encumbrances_for(city.outsider)) == []


def test_treasurer_sees_every_encumbrance(city, budget, encumber, treasurer):
    enc = encumber(amount=100_000)
    assert list(encumbrances_for(treasurer)) == [enc]
    assert list(encumbrances_for(city.outsider)) == []
