"""検収 by an inspector (検査員) independent of who ordered (地方自治法第234条の2): recorded and checked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.core.errors import ValidationFailed
from cityhall.finance.models import PaymentOrder
from cityhall.finance.selectors.review import review_checks
from cityhall.testing.engine import decide
from cityhall.testing.finance import order_post
from cityhall.testing.web import client_for, field_error, finance_api

pytestmark = pytest.mark.django_db


def test_the_drafter_of_the_order_or_of_its_encumbrance_cannot_be_the_inspector(city, budget, encumber, draft_order):
    with pytest.raises(ValidationFailed, match="第234条の2") as refused:
        draft_order(inspector=city.drafter)
    assert refused.value.field == "inspector"
    enc = encumber(amount=300_000, by=city.drafter2)
    decide(enc)
    with pytest.raises(ValidationFailed, match="支出負担行為を起案した職員以外"):
        draft_order(kind="linked", encumbrance=enc, inspector=city.drafter2)
    assert not PaymentOrder.objects.exists()
    order = draft_order(kind="linked", encumbrance=enc)
    assert order.inspector == city.shunin


def test_the_review_asks_for_an_independent_inspector(city, budget, decided_order):
    order = decided_order(inspector=None)
    debt = next(check for check in review_checks(order) if check.label == "債務確定")
    assert (debt.ok, debt.field) == (False, "inspector") and "検査員が入力されていません" in debt.detail
    PaymentOrder.objects.filter(pk=order.pk).update(inspector=city.drafter)  # as an old record might hold
    order.refresh_from_db()
    debt = next(check for check in review_checks(order) if check.label == "債務確定")
    assert not debt.ok and "第234条の2" in debt.detail


def test_the_form_lists_colleagues_and_wants_an_inspector_with_the_inspection_date(city, budget, encumber):
    enc = encumber(amount=800_000)
    decide(enc)
    client = client_for(city.drafter)
    page = client.get(reverse("finance:payment_order_new")).content.decode()
    assert "主野 太郎" in page and "起田 太郎</option>" not in page  # the drafter is no candidate
    response = client.post(reverse("finance:payment_order_new"), order_post(budget, enc, inspector=""))
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_inspector") == "検収日を入力したときは検査員を選んでください。"
    assert not PaymentOrder.objects.exists()
    assert client.post(reverse("finance:payment_order_new"), order_post(budget, enc)).status_code == 302
    order = PaymentOrder.objects.get()
    assert order.inspector == city.shunin
    detail = client.get(reverse("finance:payment_order", args=[order.pk])).content.decode()
    assert 'data-testid="inspector">主野 太郎<' in detail


def test_the_api_takes_and_shows_the_inspector(city, budget, draft_order):
    order = draft_order(inspector=None)
    refused = finance_api(city.drafter, "patch", f"/payment-orders/{order.pk}", {"inspector_id": city.drafter.pk})
    assert refused.status_code == 400 and refused.json()["field"] == "inspector"
    changed = finance_api(city.drafter, "patch", f"/payment-orders/{order.pk}", {"inspector_id": city.shunin.pk})
    assert changed.status_code == 200
    assert (changed.json()["inspector_id"], changed.json()["inspector"]) == (city.shunin.pk, "主野 太郎")
    unknown = finance_api(city.drafter, "patch", f"/payment-orders/{order.pk}", {"inspector_id": 999_999})
    assert unknown.status_code == 400 and unknown.json()["field"] == "inspector_id"
