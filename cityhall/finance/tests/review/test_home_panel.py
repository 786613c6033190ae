"""The accounting manager's home panel: the review queue, the next payment date and its total."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.finance.models import PaymentOrder
from cityhall.finance.services.review import order_review_approve
from cityhall.testing.web import client_for, home_panel

pytestmark = pytest.mark.django_db


def test_the_accounting_manager_sees_the_queue_and_the_next_payment_date_with_its_total(
    budget, treasurer, decided_order
):
    first = decided_order(amounts=(110_000,))
    decided_order(amounts=(55_000,))
    order_review_approve(actor=treasurer, order=first)
    first = PaymentOrder.objects.select_related("batch").get(pk=first.pk)
    assert first.batch is not None
    panel = home_panel(client_for(treasurer).get(reverse("web:home")).content.decode(), "finance-review")
    assert panel.startswith("会計管理者審査 1 件")
    assert "審査待ち 1 件" in panel and "その日の支払額（審査済） 1 件 110,000円" in panel
    assert "その日の支払額（審査待ち） 1 件 55,000円" in panel and "次の支払日 令和" in panel
    assert "55,000円 支払予定日" in panel


def test_a_clerk_has_no_review_panel(city, budget, decided_order):
    decided_order()
    assert 'data-panel="finance-review"' not in client_for(city.drafter).get(reverse("web:home")).content.decode()
