"""Drafting a returned order again (起案し直し): the same content, once, by its section, within the budget."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.core.japanese import next_bank_business_day
from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus
from cityhall.finance import services
from cityhall.finance.models import PaymentOrder, PaymentOrderLine, ReviewStatus
from cityhall.finance.selectors.payment_orders import may_redraft
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders import payment_order_redraft
from cityhall.finance.services.review import order_review_approve, order_review_return
from cityhall.org import services as org_services
from cityhall.testing.city import SETUP
from cityhall.testing.engine import decide
from cityhall.testing.finance import collective_lines
from cityhall.testing.web import client_for, finance_api

pytestmark = pytest.mark.django_db

REASON = "請求書の日付が検収日より前です。"


@pytest.fixture
def returned(city, draft_order, treasurer):
    """A collective (集合) order of two creditors, decided and returned (返付) by the accounting manager."""

    def make(**kw) -> PaymentOrder:
        order = draft_order(**kw)
        decide(order)
        order_review_return(actor=treasurer, order=PaymentOrder.objects.get(pk=order.pk), reason=REASON)
        return PaymentOrder.objects.get(pk=order.pk)

    return make


def _lines_of(order: PaymentOrder) -> list[tuple]:
    fields = ("position", "creditor", "bank_account", "description", "tax_rate", "amount", "tax_amount", "withholding")
    return list(PaymentOrderLine.objects.filter(order=order).order_by("position").values_list(*fields))


def test_a_returned_order_is_drafted_again_with_the_same_content(city, budget, second_creditor, returned):
    source = returned(kind="collective", lines=collective_lines(budget, second_creditor), description="研修会")
    Document.objects.filter(pk=source.document_id).update(body="研修会の講師謝礼と弁当代", has_personal_info=True)
    made = payment_order_redraft(actor=city.drafter, order=source)
    assert made.pk != source.pk
    doc = made.document
    assert (doc.status, doc.drafter, doc.title, doc.body, doc.amount, doc.has_personal_info) == (
        DocumentStatus.DRAFT,
        city.drafter,
        "消耗品の代金の支払について",
        "研修会の講師謝礼と弁当代",
        438_000,
        True,
    )
    head = ["kind", "fiscal_year", "line_id", "section_id", "allotment_id", "encumbrance_id", "payment_method"]
    head += ["payment_date", "inspection_date", "invoice_received_on", "description", "total_amount"]
    head += ["withholding_amount", "payment_amount"]
    assert [getattr(made, f) for f in head] == [getattr(source, f) for f in head]
    assert _lines_of(made) == _lines_of(source)
    assert made.review_status == ReviewStatus.WAITING
    # The returned document is left as it was.
    again = PaymentOrder.objects.select_related("document").get(pk=source.pk)
    assert (again.review_status, again.document.status) == (ReviewStatus.RETURNED, DocumentStatus.DECIDED)
    entry = AuditEntry.objects.get(action="finance.payment_order.redraft", object_id=str(made.pk))
    assert json.loads(entry.after)["redrafted_from"] == {
        "order": source.pk,
        "document": source.document_id,
        "number": source.document.number_label,
    }


def test_a_linked_order_is_drafted_again_against_its_encumbrance(city, budget, encumber, returned):
    enc = encumber(amount=500_000)
    decide(enc)
    source = returned(kind="linked", encumbrance=enc, lines=[OrderLineInput(creditor=budget.creditor, amount=500_000)])
    made = payment_order_redraft(actor=city.drafter, order=source)
    assert (made.kind, made.encumbrance_id, made.total_amount) == ("linked", enc.pk, 500_000)


def test_a_colleague_of_the_same_section_may_draft_it_again_others_may_not(city, budget, returned):
    source = returned()
    for outsider in (city.outsider, budget.staff):
        with pytest.raises(PermissionDenied):
            payment_order_redraft(actor=outsider, order=source)
    made = payment_order_redraft(actor=city.drafter2, order=source)
    assert (made.document.drafter, made.section) == (city.drafter2, source.section)


def test_a_returned_order_is_drafted_again_once_until_that_copy_is_withdrawn(city, returned):
    """A double click or two colleagues: one copy, not two payments of the same bill."""
    source = returned()
    first = payment_order_redraft(actor=city.drafter, order=source)
    assert first.redrafted_from == source and not may_redraft(city.drafter, source)
    with pytest.raises(Conflict, match=f"既に起案し直されています（{first.document.number_label}"):
        payment_order_redraft(actor=city.drafter2, order=source)
    docs.withdraw(actor=city.drafter, document=first.document, expected_version=first.document.version, reason="誤り")
    assert may_redraft(city.drafter, source)
    second = payment_order_redraft(actor=city.drafter2, order=source)
    assert second.redrafted_from == source and PaymentOrder.objects.filter(redrafted_from=source).count() == 2


def test_a_drafter_who_moved_to_another_section_may_not_draft_it_again(city, budget, returned):
    source = returned()
    services.allotment_set(actor=budget.staff, line=budget.line, section=city.units.zaisei, amount=1_000_000)
    org_services.assignment_create(
        actor=SETUP,
        user=city.drafter,
        unit=city.units.zaisei,
        post=city.posts["shuji"],
        valid_from=timezone.localdate(),
    )
    count = PaymentOrder.objects.count()
    with pytest.raises(PermissionDenied, match="起案者と同じ課の職員だけ"):
        payment_order_redraft(actor=city.drafter, order=source)
    assert PaymentOrder.objects.count() == count


def test_only_a_returned_order_may_be_drafted_again(city, draft_order, treasurer):
    waiting = draft_order()
    with pytest.raises(Conflict, match="返付した支出命令だけ"):
        payment_order_redraft(actor=city.drafter, order=waiting)
    decide(waiting)
    with pytest.raises(Conflict, match="審査状況: 審査待ち"):
        payment_order_redraft(actor=city.drafter, order=waiting)
    approved = order_review_approve(actor=treasurer, order=PaymentOrder.objects.get(pk=waiting.pk))
    with pytest.raises(Conflict, match="審査状況: 審査済"):
        payment_order_redraft(actor=city.drafter, order=approved)
    assert PaymentOrder.objects.count() == 1


def test_the_budget_hard_stop_applies_to_the_copy(city, budget, draft_order, returned):
    source = returned(lines=[OrderLineInput(creditor=budget.creditor, amount=2_000_000)])
    decide(draft_order(lines=[OrderLineInput(creditor=budget.creditor, amount=1_500_000)]))  # holds 1.5M of the 3M
    count = (Document.objects.count(), PaymentOrder.objects.count())
    with pytest.raises(ValidationFailed, match="予算残額が不足しています"):
        payment_order_redraft(actor=city.drafter, order=source)
    assert (Document.objects.count(), PaymentOrder.objects.count()) == count
    assert not AuditEntry.objects.filter(action="finance.payment_order.redraft").exists()


def test_a_passed_payment_date_moves_to_a_bank_business_day_from_today(city, budget, returned):
    source = returned()
    later = next_bank_business_day(source.payment_date + dt.timedelta(days=3))
    made = payment_order_redraft(actor=city.drafter, order=source, on=later)
    assert made.payment_date == later
    assert made.document.drafted_on == later


def test_the_returned_orders_page_offers_the_button_and_it_opens_the_new_draft(city, returned):
    source = returned()
    page = client_for(city.drafter).get(reverse("finance:payment_order", args=[source.pk]))
    assert "この内容で起案し直す" in page.content.decode()
    url = reverse("finance:payment_order_redraft", args=[source.pk])
    assert client_for(city.drafter, csrf=True).post(url).status_code == 403  # no CSRF token
    assert client_for(city.drafter).get(url).status_code == 405
    response = client_for(city.drafter).post(url)
    made = PaymentOrder.objects.exclude(pk=source.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("finance:payment_order_edit", args=[made.pk])
    shown = client_for(city.drafter).get(reverse("finance:payment_order", args=[source.pk])).content.decode()
    assert 'data-testid="redraft"' not in shown  # once drafted again, the page links the copy instead
    assert 'data-testid="redraft-link"' in shown and reverse("finance:payment_order", args=[made.pk]) in shown


def test_the_button_is_not_offered_before_a_return_and_a_refused_post_says_why(city, draft_order):
    order = draft_order()
    decide(order)
    page = client_for(city.drafter).get(reverse("finance:payment_order", args=[order.pk]))
    assert "この内容で起案し直す" not in page.content.decode()
    response = client_for(city.drafter).post(reverse("finance:payment_order_redraft", args=[order.pk]), follow=True)
    assert "返付した支出命令だけ" in response.content.decode()
    assert PaymentOrder.objects.count() == 1


def test_the_api_drafts_a_returned_order_again(city, returned):
    source = returned()
    response = finance_api(city.drafter, "post", f"/payment-orders/{source.pk}/redraft")
    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["total_amount"]) == ("draft", 110_000)
    assert response.json()["id"] != source.pk
    refused = finance_api(city.outsider, "post", f"/payment-orders/{source.pk}/redraft")
    assert refused.status_code == 404
