"""Personal information on the payment order's pages (個人情報): views of a marked order are recorded,
an individual's account number is masked for clerks and its full showing is recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.core.audit.models import AuditEntry
from cityhall.core.japanese import next_bank_business_day
from cityhall.documents.models import Document
from cityhall.finance import services
from cityhall.org import services as org_services
from cityhall.org.models import Role
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.engine import submit
from cityhall.testing.web import client_for, finance_api

pytestmark = pytest.mark.django_db


def _views(document_id: int) -> int:
    return AuditEntry.objects.filter(action="documents.document.view", object_id=str(document_id)).count()


def test_viewing_an_order_marked_personal_records_the_access(city, draft_order):
    order = draft_order()
    plain = _views(order.document_id)
    assert client_for(city.drafter).get(reverse("finance:payment_order", args=[order.pk])).status_code == 200
    assert finance_api(city.drafter, "get", f"/payment-orders/{order.pk}").status_code == 200
    assert _views(order.document_id) == plain  # not marked: nothing recorded
    Document.objects.filter(pk=order.document_id).update(has_personal_info=True)
    assert client_for(city.drafter).get(reverse("finance:payment_order", args=[order.pk])).status_code == 200
    assert _views(order.document_id) == plain + 1
    assert finance_api(city.drafter, "get", f"/payment-orders/{order.pk}").status_code == 200
    assert _views(order.document_id) == plain + 2
    entry = AuditEntry.objects.filter(action="documents.document.view", object_id=str(order.document_id)).last()
    assert entry is not None and entry.actor_id == city.drafter.pk


def test_payment_order_detail_masks_the_account_number_but_for_accounting(
    client, city, budget, draft_order, django_user_model
):
    order = draft_order(amounts=(10_000,), title="電気料")
    submit(order)
    url = reverse("finance:payment_order", args=[order.pk])
    client.force_login(city.drafter)
    page = client.get(url).content.decode()
    assert "***4567" in page and "1234567" not in page
    treasurer = django_user_model.objects.create_user(username="kaikei2", last_name="会田", first_name="花子")
    org_services.role_grant(actor=SETUP, user=treasurer, role=Role.TREASURER, valid_from=SINCE)
    for user in (treasurer, budget.staff):
        client.force_login(user)
        assert "1234567" in client.get(url).content.decode()


def test_showing_an_individuals_account_on_the_order_page_is_audited(client, city, budget, django_user_model):
    person = services.creditor_create(
        actor=budget.staff, code="200001", name="鈴木一郎", kana="スズキイチロウ", address="東京都港区",
        is_individual=True,
        bank_account=services.BankAccountInput("0005", "001", "1", "7654321", "スズキ イチロウ"),
    ).creditor  # fmt: skip
    day = timezone.localdate()
    order = services.payment_order_draft(
        actor=city.drafter,
        title="講師謝礼ほか",
        kind="collective",
        line=budget.line,
        lines=[
            services.OrderLineInput(creditor=person, amount=30_000, tax_rate=0),
            services.OrderLineInput(creditor=person, amount=20_000, tax_rate=0),
            services.OrderLineInput(creditor=budget.creditor, amount=11_000),
        ],
        payment_date=next_bank_business_day(timezone.localdate() + dt.timedelta(days=7)),
        inspection_date=day,
        invoice_received_on=day,
    )
    url = reverse("finance:payment_order", args=[order.pk])
    client.force_login(city.drafter)  # a clerk sees ***4321 only: nothing to record
    page = client.get(url).content.decode()
    assert "7654321" not in page and AuditEntry.objects.filter(action="finance.creditor.view").count() == 0

    treasurer = django_user_model.objects.create_user(username="kaikei3", last_name="会田", first_name="花子")
    org_services.role_grant(actor=SETUP, user=treasurer, role=Role.TREASURER, valid_from=SINCE)
    client.force_login(treasurer)
    assert "7654321" in client.get(url).content.decode()
    entries = AuditEntry.objects.filter(action="finance.creditor.view")
    assert [(e.actor_id, e.object_id) for e in entries] == [(treasurer.pk, str(person.pk))]  # once, not the company
    assert "payment_order" in str(entries.get().after)
