"""The issue's journey through the API: a lawyer's fee of ¥110,000 paid with ¥11,231 withheld, which appears in the
歳計外現金 ledger and in the next month's payment to the tax office, due on the 10th (or the next business day)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from cityhall.finance.models import PaymentOrder
from cityhall.finance.services.withholding import due_date, month_of, next_month
from cityhall.testing.engine import decide
from cityhall.testing.finance import order_post
from cityhall.testing.web import finance_api

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("zengin_files")]


def test_a_lawyers_fee_is_withheld_received_and_paid_to_the_tax_office(city, budget, suzuki, treasurer):
    body = {
        "title": "法律相談の報酬の支払について",
        "kind": "combined",
        "line_id": budget.line.pk,
        "payment_date": order_post(budget)["payment_date"],
        "inspection_date": timezone.localdate().isoformat(),
        "invoice_received_on": timezone.localdate().isoformat(),
        "inspector_id": city.shunin.pk,
        "lines": [{"creditor_id": suzuki.pk, "amount": 110_000, "withholding_kind": "professional"}],
    }
    made = finance_api(city.drafter, "post", "/payment-orders", body)
    assert made.status_code == 201, made.content.decode()
    assert (made.json()["withholding_amount"], made.json()["payment_amount"]) == (11_231, 98_769)
    order = PaymentOrder.objects.get(pk=made.json()["id"])
    decide(order)
    approved = finance_api(treasurer, "post", f"/payment-orders/{order.pk}/review-approve")
    assert approved.status_code == 200, approved.content.decode()
    batch_id = PaymentOrder.objects.get(pk=order.pk).batch_id
    exported = finance_api(treasurer, "post", f"/batches/{batch_id}/export")
    assert exported.status_code == 200 and exported["X-Total-Amount"] == "98769"
    assert finance_api(treasurer, "get", "/withholding/months").json() == []  # not received before payment
    assert finance_api(treasurer, "post", f"/batches/{batch_id}/mark-paid").status_code == 200

    [month] = finance_api(treasurer, "get", "/withholding/months").json()
    assert (month["received"], month["balance"]) == (11_231, 11_231)
    first = month_of(PaymentOrder.objects.get(pk=order.pk).payment_date)
    with freeze_time(dt.datetime.combine(next_month(first), dt.time(1, 0), tzinfo=dt.UTC)):
        paid = finance_api(treasurer, "post", "/withholding/remittances", {"month": f"{first:%Y-%m}"})
    assert paid.status_code == 201, paid.content.decode()
    assert (paid.json()["amount"], paid.json()["due_date"]) == (11_231, due_date(first).isoformat())
    [month] = finance_api(treasurer, "get", "/withholding/months").json()
    assert (month["paid"], month["balance"], month["remittance"]["amount"]) == (11_231, 0, 11_231)
