"""The API of payment methods: an advance drafted, paid, settled with a 戻入; the same checks as the services."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cityhall.finance.models import OrderRefund, OrderSettlement, PaymentOrder
from cityhall.finance.services.batches import batch_export, batch_mark_paid
from cityhall.finance.services.review import order_review_approve
from cityhall.testing.engine import decide
from cityhall.testing.finance import pay_day
from cityhall.testing.web import finance_api

pytestmark = pytest.mark.django_db


def test_an_advance_is_drafted_settled_and_refunded_through_the_api(city, budget, treasurer):
    body = {
        "title": "研修会参加費の資金前渡について",
        "kind": "combined",
        "line_id": budget.line.pk,
        "lines": [{"creditor_id": budget.creditor.pk, "amount": 50_000}],
        "payment_date": pay_day().isoformat(),
        "payment_method": "advance",
        "description": "全国自治体会計研修会の参加費",
        "inspector_id": city.shunin.pk,
        "inspection_date": timezone.localdate().isoformat(),
        "invoice_received_on": timezone.localdate().isoformat(),
    }
    refused = finance_api(city.drafter, "post", "/payment-orders", body)
    assert refused.status_code == 400
    assert "第161条" in refused.json()["detail"]
    made = finance_api(city.drafter, "post", "/payment-orders", {**body, "advance_holder_id": city.shunin.pk})
    assert made.status_code == 201, made.content
    assert (made.json()["payment_method"], made.json()["advance_holder_id"]) == ("advance", city.shunin.pk)
    order = PaymentOrder.objects.get(pk=made.json()["id"])
    decide(order)
    batch = order_review_approve(actor=treasurer, order=PaymentOrder.objects.get(pk=order.pk)).batch
    assert batch is not None
    batch_export(actor=treasurer, batch=batch)
    batch_mark_paid(actor=treasurer, batch=batch)

    too_much = finance_api(city.drafter, "post", f"/payment-orders/{order.pk}/settlement", {"actual": 60_000})
    assert too_much.status_code == 400
    assert "第161条" in too_much.json()["detail"]
    assert not OrderSettlement.objects.exists()
    settled = finance_api(
        city.drafter,
        "post",
        f"/payment-orders/{order.pk}/settlement",
        {"actual": 47_000, "receipts": [{"description": "参加費", "amount": 47_000}]},
    )
    assert settled.status_code == 201, settled.content
    assert (settled.json()["returned"], settled.json()["additional"]) == (3_000, 0)
    detail = finance_api(city.drafter, "get", f"/payment-orders/{order.pk}").json()
    assert (detail["refunded_amount"], detail["settlement"]["actual"]) == (3_000, 47_000)
    over = finance_api(treasurer, "post", f"/payment-orders/{order.pk}/refunds", {"amount": 47_001, "reason": "誤払い"})
    assert over.status_code == 400
    assert "第159条" in over.json()["detail"]
    assert OrderRefund.objects.count() == 1


def test_the_report_api_gives_the_refunds_and_the_orders_methods(city, budget, decided_order, treasurer):
    order = decided_order(amounts=(110_000,))
    batch = order_review_approve(actor=treasurer, order=order).batch
    assert batch is not None
    batch_export(actor=treasurer, batch=batch)
    batch_mark_paid(actor=treasurer, batch=batch)
    refund = {"amount": 10_000, "reason": "過払い"}
    assert finance_api(treasurer, "post", f"/payment-orders/{order.pk}/refunds", refund).status_code == 201
    detail = finance_api(budget.staff, "get", f"/reports/lines/{budget.line.pk}").json()
    assert (detail["line"]["figures"]["paid"], detail["line"]["figures"]["refunded"]) == (100_000, 10_000)
    (row,) = detail["orders"]
    assert (row["method"], row["notes"]) == ("口座振込", ["戻入 10,000円"])
