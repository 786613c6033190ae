"""The screens of payment methods: an advance drafted on the order form, settled on its page with a 戻入."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.finance.models import OrderRefund, OrderSettlement, PaymentOrder
from cityhall.finance.services.batches import batch_export, batch_mark_paid
from cityhall.finance.services.review import order_review_approve
from cityhall.testing.engine import decide
from cityhall.testing.finance import order_post
from cityhall.testing.web import client_for, visible_text

pytestmark = pytest.mark.django_db


def test_an_advance_is_drafted_and_settled_on_the_screens(city, budget, treasurer):
    client = client_for(city.drafter)
    post = order_post(
        budget,
        kind="combined",
        line=str(budget.line.pk),
        payment_method="advance",
        description="全国自治体会計研修会の参加費",
        lines=(("50,000", "10", ""),),
    )
    refused = client.post(reverse("finance:payment_order_new"), post)
    assert refused.status_code == 400
    assert "資金前渡職員" in visible_text(refused.content.decode())
    assert not PaymentOrder.objects.exists()
    post = post | {"advance_holder": str(city.shunin.pk), "form_token": "another-token-123456"}
    made = client.post(reverse("finance:payment_order_new"), post)
    assert made.status_code == 302, visible_text(made.content.decode())[:500]
    order = PaymentOrder.objects.get()
    assert (order.payment_method, order.advance_holder) == ("advance", city.shunin)
    decide(order)
    batch = order_review_approve(actor=treasurer, order=PaymentOrder.objects.get(pk=order.pk)).batch
    assert batch is not None
    batch_export(actor=treasurer, batch=batch)
    batch_mark_paid(actor=treasurer, batch=batch)

    page = visible_text(client.get(reverse("finance:payment_order", args=[order.pk])).content.decode())
    assert "精算待ちです" in page
    url = reverse("finance:payment_order_settle", args=[order.pk])
    over = client.post(url, {"actual": "50,001"}, follow=True)
    assert "前渡額（50,000円）を超えられません" in visible_text(over.content.decode())
    assert not OrderSettlement.objects.exists()
    done = client.post(url, {"actual": "47,000", "note": "領収書2枚"}, follow=True)
    text = visible_text(done.content.decode())
    assert "戻入額 3,000円 を記録しました" in text
    assert OrderRefund.objects.get().amount == 3_000
    assert "精算額 47,000円" in text


def test_the_review_card_names_the_staff_member_of_an_advance(city, budget, decided_order, treasurer):
    decided_order(amounts=(50_000,), payment_method="advance", advance_holder=city.shunin, description="研修会")
    page = visible_text(client_for(treasurer).get(reverse("finance:review_queue")).content.decode())
    assert f"資金前渡職員：{city.shunin.full_name}（地方自治法施行令第161条）" in page
