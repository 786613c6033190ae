"""In a browser: a paid 資金前渡 for a conference is settled on its page with a ¥3,000 戻入 (令161条)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from cityhall.finance.models import OrderRefund, PaymentOrder
from cityhall.finance.services.batches import batch_export, batch_mark_paid
from cityhall.finance.services.review import order_review_approve
from cityhall.testing.engine import decide
from cityhall.testing.finance import draft_order, make_treasurer
from cityhall.testing.web import assert_no_serious_violations, sign_in_session

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_an_advance_is_settled_with_a_refund_in_the_browser(page, live_server, city, budget):
    treasurer = make_treasurer()
    order = draft_order(
        city,
        budget,
        amounts=(50_000,),
        payment_method="advance",
        advance_holder=city.shunin,
        description="全国自治体会計研修会の参加費",
        inspector=city.drafter2,
    )
    decide(order)
    batch = order_review_approve(actor=treasurer, order=PaymentOrder.objects.get(pk=order.pk)).batch
    assert batch is not None
    batch_export(actor=treasurer, batch=batch)
    batch_mark_paid(actor=treasurer, batch=batch)

    sign_in_session(page, live_server, city.shunin)
    page.goto(f"/finance/payments/{order.pk}/")
    assert page.get_by_test_id("payment-method").inner_text() == "資金前渡"
    assert page.get_by_test_id("settlement-pending").is_visible()
    page.get_by_label("精算額（実際の支出額・円）").fill("50,001")
    page.get_by_test_id("settle").click()
    assert "前渡額（50,000円）を超えられません" in page.content()
    assert not OrderRefund.objects.exists()
    page.get_by_label("精算額（実際の支出額・円）").fill("47,000")
    page.get_by_test_id("settle").click()
    assert page.get_by_test_id("refunds").is_visible()
    assert "3,000円" in page.get_by_test_id("refunds").inner_text()
    assert OrderRefund.objects.get().amount == 3_000
    assert_no_serious_violations(page)
    page.goto(f"/finance/reports/lines/{budget.line.pk}/")
    assert page.get_by_role("columnheader", name="戻入額").first.is_visible()
