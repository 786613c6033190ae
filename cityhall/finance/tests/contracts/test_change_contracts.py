"""変更契約 (支出負担行為の変更): a new decision on the same encumbrance, routed by the new total,
its increase held against the budget from submission (法232条の3), a decrease never below what is
ordered; and the splitting warning shown to the approver (never a refusal)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.documents import registry
from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus
from cityhall.finance import balance, services
from cityhall.finance.models import Allotment, Encumbrance, EncumbranceChange
from cityhall.finance.selectors.budget import allotment_balance
from cityhall.finance.selectors.reports import execution_by_section
from cityhall.testing.engine import approve_to_decision, decide, document_of, submit
from cityhall.testing.finance import make_creditor, make_setsu_line
from cityhall.testing.web import client_for, documents_api, finance_api, visible_text

pytestmark = pytest.mark.django_db


def _works(city, budget, encumber, *, budget_amount: int = 6_000_000, amount: int = 4_800_000) -> Encumbrance:
    """A decided ¥4,800,000 工事 contract (一般競争入札) on a 14節 line of ``budget_amount`` allotted to 総務課."""
    line = make_setsu_line(budget, "14", budget_amount, section=city.units.soumu)
    enc = encumber(line=line, amount=amount, contract_method="general_tender", title="庁舎改修工事について")
    decide(enc)
    return Encumbrance.objects.get(pk=enc.pk)


def _available(enc: Encumbrance) -> int:
    return balance.available_amount(Allotment.objects.get(pk=enc.allotment_id))


def _text(document: Document) -> str:
    typed = registry.get_type(document.doc_type)
    assert typed is not None
    content = typed.content_for(document, None)
    assert content is not None
    return " ".join(
        " ".join(
            [s.title, *(f"{r.label} {r.value}" for r in s.rows)]
            + [" ".join(str(v) for row in t.rows for v in row) for t in s.tables]
        )
        for s in content.sections
    )


def test_an_increase_is_routed_by_the_new_total_and_applied_when_decided(city, budget, encumber):
    enc = _works(city, budget, encumber)
    assert document_of(enc).decision_label == "部長専決"
    change = services.encumbrance_change_draft(
        actor=city.drafter, encumbrance=enc, new_amount=5_400_000, reason="地中障害物の撤去に伴う増額"
    )
    doc = document_of(change)
    assert (doc.doc_type, doc.amount, doc.matter_kind.code) == ("finance.encumbrance_change", 5_400_000, "contract")
    assert (change.previous_amount, change.difference, change.sequence) == (4_800_000, 600_000, 1)
    # The increment alone (¥600,000) would be 課長専決; the total (¥5,400,000) is 部長専決.
    assert submit(encumber(amount=600_000)).decision_label == "課長専決"
    doc = submit(change)
    assert doc.decision_label == "部長専決"
    # Held from submission: the allotment has ¥600,000 less, the encumbrance is unchanged until decided.
    assert _available(enc) == 6_000_000 - 5_400_000
    assert Encumbrance.objects.get(pk=enc.pk).amount == 4_800_000
    text = _text(doc)
    assert "4800000" in text and "600000" in text and "5400000" in text  # original, change, new total
    doc = approve_to_decision(doc)
    assert doc.decided_by == city.bucho
    enc.refresh_from_db()
    assert (enc.amount, enc.original_amount) == (5_400_000, 4_800_000)
    assert _available(enc) == 600_000
    assert EncumbranceChange.objects.get(pk=change.pk).applied_at is not None
    entry = AuditEntry.objects.get(action="finance.encumbrance.change", object_id=str(enc.pk))
    assert (json.loads(entry.before)["amount"], json.loads(entry.after)["amount"]) == (4_800_000, 5_400_000)
    assert entry.actor_id == city.bucho.pk
    # The history on the encumbrance's page and in its content.
    page = visible_text(client_for(city.drafter).get(reverse("finance:encumbrance", args=[enc.pk])).content.decode())
    assert "第1回変更" in page and "600,000円" in page and "5,400,000円" in page
    assert "変更の履歴" in _text(document_of(enc))


def test_a_change_above_the_budget_is_refused_naming_the_article(city, budget, encumber):
    enc = _works(city, budget, encumber, budget_amount=5_000_000)
    before = (EncumbranceChange.objects.count(), Document.objects.count())
    with pytest.raises(ValidationFailed) as caught:
        services.encumbrance_change_draft(actor=city.drafter, encumbrance=enc, new_amount=5_400_000, reason="増工")
    assert caught.value.field == "new_amount"
    assert "地方自治法第232条の3" in caught.value.message
    assert "増額分 600,000円 に対し" in caught.value.message and "執行可能額は 200,000円" in caught.value.message
    assert (EncumbranceChange.objects.count(), Document.objects.count()) == before
    assert Encumbrance.objects.get(pk=enc.pk).amount == 4_800_000


def test_the_increase_in_circulation_is_a_hard_stop_for_others_and_at_the_decision(city, budget, encumber):
    enc = _works(city, budget, encumber)
    change = services.encumbrance_change_draft(actor=city.drafter, encumbrance=enc, new_amount=5_400_000, reason="増工")
    submit(change)
    with pytest.raises(ValidationFailed, match="執行可能額: 600,000円"):
        encumber(line=enc.line, amount=600_001, contract_method="general_tender")
    # A second change of the same encumbrance waits for the first.
    with pytest.raises(Conflict, match="処理中"):
        services.encumbrance_change_draft(actor=city.drafter, encumbrance=enc, new_amount=5_000_000, reason="再変更")
    with pytest.raises(Conflict, match="処理中"):
        services.encumbrance_amend(actor=city.bucho, encumbrance=enc, amount=4_000_000, reason="減額")


def test_the_decision_checks_the_budget_again(city, budget, encumber):
    """A change drafted but not submitted holds nothing: the budget taken meanwhile stops its decision."""
    enc = _works(city, budget, encumber)
    change = services.encumbrance_change_draft(actor=city.drafter, encumbrance=enc, new_amount=5_400_000, reason="増工")
    decide(encumber(line=enc.line, amount=1_000_000, contract_method="general_tender"))
    doc = document_of(change)
    with pytest.raises(ValidationFailed, match="地方自治法第232条の3"):
        docs.submit(actor=city.drafter, document=doc, expected_version=doc.version)
    assert document_of(change).status == DocumentStatus.DRAFT
    assert Encumbrance.objects.get(pk=enc.pk).amount == 4_800_000


def test_a_decrease_never_goes_below_what_is_ordered(city, budget, encumber, draft_order):
    enc = _works(city, budget, encumber)
    submit(draft_order(kind="linked", encumbrance=enc, amounts=(3_000_000,), title="前払金の支払について"))
    with pytest.raises(ValidationFailed, match="支出命令済額（3,000,000円）を下回る"):
        services.encumbrance_change_draft(actor=city.drafter, encumbrance=enc, new_amount=2_999_999, reason="減工")
    change = services.encumbrance_change_draft(actor=city.drafter, encumbrance=enc, new_amount=3_500_000, reason="減工")
    assert approve_to_decision(submit(change)).decision_label == "部長専決"
    assert Encumbrance.objects.get(pk=enc.pk).amount == 3_500_000


def test_a_small_amount_contract_stays_within_its_limit_when_changed(city, budget, encumber):
    enc = encumber(amount=1_400_000, negotiated_ground="1")  # 需用費: 財産の買入れ, limit ¥1,500,000
    decide(enc)
    with pytest.raises(ValidationFailed, match="地方自治法施行令第167条の2第1項第1号"):
        services.encumbrance_change_draft(actor=city.drafter, encumbrance=enc, new_amount=1_500_001, reason="追加")
    assert (
        services.encumbrance_change_draft(
            actor=city.drafter, encumbrance=enc, new_amount=1_500_000, reason="追加"
        ).new_amount
        == 1_500_000
    )


def test_only_a_decided_encumbrance_of_ones_own_section_is_changed(city, budget, encumber):
    enc = encumber(amount=500_000)
    with pytest.raises(Conflict, match="決裁前の支出負担行為"):
        services.encumbrance_change_draft(actor=city.drafter, encumbrance=enc, new_amount=600_000, reason="増")
    decide(enc)
    with pytest.raises(ValidationFailed, match="同じです"):
        services.encumbrance_change_draft(actor=city.drafter, encumbrance=enc, new_amount=500_000, reason="増")
    with pytest.raises(ValidationFailed, match="理由"):
        services.encumbrance_change_draft(actor=city.drafter, encumbrance=enc, new_amount=600_000, reason=" ")
    with pytest.raises(PermissionDenied):
        services.encumbrance_change_draft(actor=city.outsider, encumbrance=enc, new_amount=600_000, reason="増")


def test_a_change_through_the_api(city, budget, encumber):
    enc = _works(city, budget, encumber)
    answer = finance_api(
        city.drafter, "post", f"/encumbrances/{enc.pk}/changes", {"new_amount": 5_400_000, "reason": "増工"}
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["new_amount"], body["difference"], body["applied"]) == (5_400_000, 600_000, False)
    refused = finance_api(
        city.drafter, "post", f"/encumbrances/{enc.pk}/changes", {"new_amount": 9_000_000, "reason": "増工"}
    )
    assert refused.status_code in (400, 409)
    detail = finance_api(city.drafter, "get", f"/encumbrances/{enc.pk}").json()
    assert [c["new_amount"] for c in detail["changes"]] == [5_400_000]
    assert (detail["contract_method"], detail["contract_kind"]) == ("general_tender", "works")


def test_splitting_is_shown_to_the_approver_as_a_warning(city, budget, encumber):
    first = encumber(amount=800_000, title="消耗品の購入（その1）")
    second = encumber(amount=800_000, title="消耗品の購入（その2）")
    other = encumber(amount=800_000, creditor=make_creditor(budget))
    doc = submit(second)  # not refused: the approver judges
    assert doc.decision_label == "課長専決"
    text = _text(doc)
    assert "分割発注の疑い" in text and "1,600,000円" in text and "部長専決" in text
    assert first.document.number_label in text
    assert "分割発注の疑い" not in _text(document_of(other))
    page = client_for(city.kacho).get(reverse("documents:detail", args=[doc.pk])).content.decode()
    assert "分割発注の疑い" in page


def test_the_increase_in_circulation_counts_in_the_execution_report_and_line_figures(city, budget, encumber):
    enc = encumber(amount=800_000)
    decide(enc)
    submit(services.encumbrance_change_draft(actor=city.drafter, encumbrance=enc, new_amount=1_000_000, reason="増"))
    allotment = Allotment.objects.get(pk=budget.allotment.pk)
    assert balance.available_amount(allotment) == 2_000_000
    (soumu,) = execution_by_section(budget.staff, fiscal_year=enc.fiscal_year).rows
    assert (soumu.figures.encumbered, soumu.figures.remaining) == (1_000_000, 2_000_000)
    assert allotment_balance(allotment).available == 2_000_000
    (figures,) = balance.line_figures_for([budget.line])[budget.line.pk].allotments
    assert figures.available == 2_000_000


def test_a_change_is_visible_through_documents_to_whom_finance_shows_its_encumbrance(city, budget, encumber):
    enc = encumber(amount=800_000)
    decide(enc)
    change = services.encumbrance_change_draft(actor=city.drafter, encumbrance=enc, new_amount=900_000, reason="増")
    submit(change)
    for name in ("drafter", "kakaricho", "kacho", "bucho", "outsider", "jinji_kacho", "zaisei_kacho", "docmgr"):
        user = getattr(city, name)
        in_finance = finance_api(user, "get", f"/encumbrances/{enc.pk}").status_code == 200
        assert (documents_api(user, "get", f"/{change.document_id}").status_code == 200) == in_finance, name
    assert documents_api(city.outsider, "get", f"/{change.document_id}").status_code == 404
