"""A payment of year N is paid by 31 May of N+1 (出納閉鎖, 地方自治法第235条の5).

Refused with a message naming the article at drafting (screen service and API), at
submission, and at the accounting manager's review; nothing is saved.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import closing_period_end, next_bank_business_day, previous_bank_business_day
from cityhall.documents.models import Document, DocumentStatus
from cityhall.finance.models import PaymentBatch, PaymentOrder, ReviewStatus
from cityhall.finance.services.review import order_review_approve
from cityhall.testing.engine import submit
from cityhall.testing.finance import FY, decided_order, draft_order
from cityhall.testing.web import finance_api

pytestmark = pytest.mark.django_db

ARTICLE = "地方自治法第235条の5"
AFTER_31_MAY = next_bank_business_day(closing_period_end(FY))  # the first bank business day in June of FY+1


def test_drafting_an_order_of_the_year_paid_after_31_may_is_refused(city, budget):
    with pytest.raises(ValidationFailed) as caught:
        draft_order(city, budget, payment_date=AFTER_31_MAY)
    assert caught.value.field == "payment_date"
    assert ARTICLE in caught.value.message and f"{FY}年度" in caught.value.message
    assert not PaymentOrder.objects.exists()


def test_the_api_refuses_it_with_the_same_message(city, budget):
    answer = finance_api(
        city.drafter,
        "post",
        "/payment-orders",
        {
            "title": "消耗品の代金の支払について",
            "kind": "combined",
            "line_id": budget.line.pk,
            "lines": [{"creditor_id": budget.creditor.pk, "amount": 110_000}],
            "payment_date": AFTER_31_MAY.isoformat(),
        },
    )
    assert answer.status_code == 400, answer.content
    assert answer.json()["field"] == "payment_date" and ARTICLE in answer.json()["detail"]
    assert not PaymentOrder.objects.exists()


def test_submitting_an_order_whose_payment_date_is_after_31_may_is_refused(city, budget):
    order = draft_order(city, budget)
    PaymentOrder.objects.filter(pk=order.pk).update(payment_date=AFTER_31_MAY)  # e.g. a row from an import
    with pytest.raises(ValidationFailed, match=ARTICLE):
        submit(order)
    assert Document.objects.get(pk=order.document_id).status == DocumentStatus.DRAFT


def test_the_review_refuses_an_old_year_payment_dated_after_31_may(city, budget, treasurer):
    order = decided_order(city, budget)
    PaymentOrder.objects.filter(pk=order.pk).update(payment_date=AFTER_31_MAY)
    with pytest.raises(ValidationFailed) as caught:
        order_review_approve(actor=treasurer, order=order)
    assert ARTICLE in caught.value.message and caught.value.field == "payment_date"
    assert PaymentOrder.objects.get(pk=order.pk).review_status == ReviewStatus.WAITING
    assert not PaymentBatch.objects.exists()


def test_the_last_bank_business_day_up_to_31_may_is_still_allowed(city, budget):
    last_day = previous_bank_business_day(closing_period_end(FY) + dt.timedelta(days=1))
    assert draft_order(city, budget, payment_date=last_day).payment_date == last_day
