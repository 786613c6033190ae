"""The consumption tax of an order's lines (消費税額): within the amount; given per line or computed, on the form."""

from __future__ import annotations

import re
import secrets

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.documents.models import Document
from cityhall.finance.models import PaymentOrder
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.testing.finance import pay_day
from cityhall.testing.web import client_for, finance_api

pytestmark = pytest.mark.django_db


# --- the consumption tax must lie within the amount -----------------------------------------


@pytest.mark.parametrize(
    ("amount", "tax", "shown"),
    [(1, 1, "消費税額（1円）は0円以上、金額（1円）未満"), (5, -1, "消費税額（-1円）は0円以上、金額（5円）未満")],
)
def test_a_tax_amount_outside_the_amount_is_refused_by_the_api_naming_the_row(city, budget, amount, tax, shown):
    before = (Document.objects.count(), PaymentOrder.objects.count())
    body = {
        "title": "消耗品の代金の支払について",
        "kind": "combined",
        "line_id": budget.line.pk,
        "lines": [{"creditor_id": budget.creditor.pk, "amount": amount, "tax_amount": tax}],
        "payment_date": pay_day().isoformat(),
    }
    response = finance_api(city.drafter, "post", "/payment-orders", body)
    assert response.status_code == 400, response.content
    assert response.json()["detail"].startswith(f"明細1行目: {shown}")
    assert response.json()["field"] == "lines.1.tax_amount"
    assert (Document.objects.count(), PaymentOrder.objects.count()) == before


# --- the consumption tax per line on the order form ----------------------------------------


def _form_post(budget, *rows: tuple[str, str], **overrides: str) -> dict[str, str]:
    """The order form as posted: a combined order with rows of (amount, tax amount) at 10%."""
    today = timezone.localdate()
    data = {
        "title": "消耗品の代金の支払について",
        "kind": "combined",
        "encumbrance": "",
        "line": str(budget.line.pk),
        "payment_method": "transfer",
        "payment_date": pay_day().isoformat(),
        "inspection_date": today.isoformat(),
        "inspector": str(User.objects.get(username="shunin").pk),
        "invoice_received_on": today.isoformat(),
        "description": "",
        "form_token": secrets.token_urlsafe(16),
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
    }
    for i, (amount, tax) in enumerate(rows):
        data |= {
            f"lines-{i}-creditor": str(budget.creditor.pk),
            f"lines-{i}-description": "",
            f"lines-{i}-amount": amount,
            f"lines-{i}-tax_rate": "10",
            f"lines-{i}-tax_amount": tax,
            f"lines-{i}-withholding": "",
        }
    return data | overrides


def _field_error(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="doc-field__error" id="{field_id}_error">([^<]*)</p>', html)
    assert match, f"no error next to {field_id}"
    return match.group(1)


def _tax_input(html: str, row: int) -> str:
    tag = re.search(rf'<input[^>]*name="lines-{row}-tax_amount"[^>]*>', html)
    assert tag, "no 消費税額 input"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def test_the_order_form_takes_a_tax_amount_per_line_blank_is_computed(city, budget):
    client = client_for(city.drafter)
    page = client.get(reverse("finance:payment_order_new")).content.decode()
    assert "うち消費税額（円）" in page and _tax_input(page, 0) == ""
    response = client.post(
        reverse("finance:payment_order_new"), _form_post(budget, ("110,000", "9,999"), ("55,000", ""))
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    order = PaymentOrder.objects.get()
    assert list(order.lines.order_by("position").values_list("amount", "tax_amount")) == [
        (110_000, 9_999),
        (55_000, 5_000),
    ]


def test_a_tax_amount_that_does_not_match_shows_next_to_the_line_and_saves_nothing(city, budget):
    response = client_for(city.drafter).post(
        reverse("finance:payment_order_new"), _form_post(budget, ("110,000", "9,000"))
    )
    assert response.status_code == 400
    message = _field_error(response.content.decode(), "id_lines-0-tax_amount")
    assert message.startswith("明細1行目: 消費税額（9,000円）が金額110,000円の10%分（10,000円）と合いません")
    assert not PaymentOrder.objects.exists()


def test_correcting_shows_a_given_tax_and_recomputes_a_blank_one(city, budget, draft_order):
    given = draft_order(lines=[OrderLineInput(creditor=budget.creditor, amount=110_000, tax_amount=9_999)])
    computed = draft_order()
    client = client_for(city.drafter)
    assert _tax_input(client.get(reverse("finance:payment_order_edit", args=[given.pk])).content.decode(), 0) == "9,999"
    assert _tax_input(client.get(reverse("finance:payment_order_edit", args=[computed.pk])).content.decode(), 0) == ""
    response = client.post(reverse("finance:payment_order_edit", args=[given.pk]), _form_post(budget, ("220,000", "")))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(given.lines.values_list("amount", "tax_amount")) == [(220_000, 20_000)]
