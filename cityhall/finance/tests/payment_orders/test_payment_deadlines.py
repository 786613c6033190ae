"""Payment deadlines (支払遅延防止法§6, §14): 30 days from a proper invoice, 40 for 工事, shown and watched."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.core.japanese import format_wareki
from cityhall.finance import services
from cityhall.finance.models import PaymentOrder
from cityhall.finance.selectors.deadlines import payment_deadline
from cityhall.finance.selectors.review import orders_near_deadline, review_warnings
from cityhall.testing.finance import FY, pay_day
from cityhall.testing.web import client_for, finance_api

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _deadline_warning(order: PaymentOrder, on: dt.date | None = None) -> str:
    found = [w.detail for w in review_warnings(order, on=on) if w.label == "支払期限"]
    return found[0] if found else ""


def test_the_deadline_is_30_days_after_the_invoice_and_40_for_works(budget):
    received = dt.date(FY, 4, 1)
    supplies = PaymentOrder(line=budget.line, invoice_received_on=received, payment_date=dt.date(FY, 4, 20))
    kouji = services.budget_line_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu["14"]
    )
    works = PaymentOrder(line=kouji, invoice_received_on=received, payment_date=dt.date(FY, 4, 20))
    # 初日不算入: received on 1 April, due by 1 May (30 days) or 11 May (40 days for 工事).
    assert (due := payment_deadline(supplies)) is not None and due.due == dt.date(FY, 5, 1)
    assert (due := payment_deadline(works)) is not None and (due.due, due.works) == (dt.date(FY, 5, 11), True)
    assert payment_deadline(PaymentOrder(line=budget.line, invoice_received_on=None, payment_date=received)) is None


def test_the_review_says_how_near_the_deadline_is_and_warns_of_a_late_payment_date(budget, decided_order):
    near = decided_order(invoice_received_on=TODAY() - dt.timedelta(days=25))
    assert "まであと5日です" in _deadline_warning(near)
    assert "を2日過ぎています" in _deadline_warning(near, on=TODAY() + dt.timedelta(days=7))
    far = decided_order(invoice_received_on=TODAY())
    assert _deadline_warning(far) == ""  # 30 days ahead: nothing to say

    late = decided_order(
        invoice_received_on=TODAY() - dt.timedelta(days=29), payment_date=pay_day(TODAY() + dt.timedelta(days=2))
    )
    warning = _deadline_warning(late)
    assert "遅延利息" in warning and "第6条" in warning
    assert all(w.ok for w in review_warnings(late))  # a warning never blocks the approval


def test_the_accounting_manager_sees_the_orders_near_or_past_their_deadline_nearest_first(
    city, budget, treasurer, decided_order
):
    later = decided_order(invoice_received_on=TODAY() - dt.timedelta(days=24))
    sooner = decided_order(invoice_received_on=TODAY() - dt.timedelta(days=27))
    decided_order(invoice_received_on=TODAY() - dt.timedelta(days=5))  # due in 25 days
    assert [order.pk for order, _ in orders_near_deadline(treasurer)] == [sooner.pk, later.pk]
    assert orders_near_deadline(city.kacho) == []  # not an accounting manager

    listed = finance_api(treasurer, "get", "/review/deadlines").json()
    assert [row["id"] for row in listed] == [sooner.pk, later.pk]
    assert (listed[0]["payment_deadline"], listed[0]["payment_deadline_days_left"]) == (
        (TODAY() + dt.timedelta(days=3)).isoformat(),
        3,
    )
    assert finance_api(city.kacho, "get", "/review/deadlines").json() == []


def test_the_order_page_and_its_document_show_the_deadline(city, budget, draft_order):
    order = draft_order(invoice_received_on=TODAY() - dt.timedelta(days=10))
    due = format_wareki(TODAY() + dt.timedelta(days=20))
    page = client_for(city.drafter).get(reverse("finance:payment_order", args=[order.pk])).content.decode()
    assert f"{due}（請求書受理日から30日） あと20日" in page
    document = client_for(city.kacho).get(reverse("documents:detail", args=[order.document_id])).content.decode()
    assert "支払期限（支払遅延防止法）" in document and due in document
