"""Recurring payments (定例支払): a month's orders in one action, once a month, with the variable part."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.automation.models import ImportedInvoice, InvoiceKind, RecurringPayment
from cityhall.automation.services.recurring import recurring_create, recurring_month
from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import ValidationFailed
from cityhall.finance.models import OrderKind, PaymentOrder
from cityhall.testing.web import client_for

pytestmark = pytest.mark.django_db


def _next_month() -> dt.date:
    return (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def test_a_month_is_drafted_once_with_its_variable_part(city, budget):
    rent = recurring_create(
        actor=city.drafter, name="会議室の賃借料", creditor=budget.creditor, line=budget.line, base_amount="55,000"
    )
    power = recurring_create(
        actor=city.drafter, name="電気料金", creditor=budget.creditor, line=budget.line, base_amount=0, variable=True
    )
    month = _next_month()
    items = recurring_month(actor=city.drafter, month=month, variable={power.pk: "１２，３４０"})
    assert [(i.template.pk, i.amount, i.reasons) for i in items] == [(rent.pk, 55_000, []), (power.pk, 12_340, [])]
    orders = PaymentOrder.objects.order_by("pk")
    assert [(o.kind, o.total_amount) for o in orders] == [(OrderKind.COMBINED, 55_000), (OrderKind.COMBINED, 12_340)]
    assert all(o.payment_date.month == month.month and o.payment_date.day <= 25 for o in orders)
    assert ImportedInvoice.objects.filter(kind=InvoiceKind.TEMPLATE, accepted=True, minutes_saved=3).count() == 2
    again = recurring_month(actor=city.drafter, month=month, variable={power.pk: 1})
    assert all("作成済み" in " ".join(i.reasons) for i in again) and PaymentOrder.objects.count() == 2
    assert AuditEntry.objects.filter(action="automation.recurring.month").count() == 2


def test_a_missing_variable_part_refuses_that_one_only(city, budget):
    recurring_create(
        actor=city.drafter, name="水道料金", creditor=budget.creditor, line=budget.line, base_amount=0, variable=True
    )
    recurring_create(
        actor=city.drafter, name="複合機リース", creditor=budget.creditor, line=budget.line, base_amount=22_000
    )
    items = recurring_month(actor=city.drafter, month=_next_month())
    assert [(i.template.name, bool(i.order_id)) for i in items] == [("水道料金", False), ("複合機リース", True)]
    assert "変動分の金額を入力してください" in items[0].reasons[0]
    with pytest.raises(ValidationFailed, match="定額が0円のとき"):
        recurring_create(actor=city.drafter, name="x", creditor=budget.creditor, line=budget.line, base_amount=0)


def test_the_screen_registers_a_template_and_drafts_the_month(city, budget):
    client = client_for(city.drafter)
    url = reverse("automation:recurring")
    assert client.get(url).status_code == 200
    data = {"name": "庁用車リース", "creditor": budget.creditor.pk, "line": budget.line.pk, "base_amount": "33,000",
            "tax_rate": "10", "pay_day": "40"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 400 and "1〜31日で入力してください" in response.content.decode()
    assert client.post(url, data | {"pay_day": "20"}).status_code == 302
    template = RecurringPayment.objects.get()
    month = _next_month()
    page = client.post(reverse("automation:recurring_generate"), {"month": f"{month:%Y-%m}"}).content.decode()
    assert "1件中 1件の支出命令を起案しました" in page and template.name in page
    assert PaymentOrder.objects.get().total_amount == 33_000


def test_the_api_registers_and_drafts_a_month(city, budget):
    client = client_for(city.drafter)
    body = {"name": "電気料金", "creditor_id": budget.creditor.pk, "line_id": budget.line.pk, "variable": True}
    made = client.post("/api/automation/recurring", body, content_type="application/json")
    assert made.status_code == 201, made.content
    assert [t["name"] for t in client.get("/api/automation/recurring").json()] == ["電気料金"]
    month = f"{_next_month():%Y-%m}"
    bad = client.post("/api/automation/recurring/month", {"month": "2026/13"}, content_type="application/json")
    assert bad.status_code in (400, 422) and "YYYY-MM" in bad.content.decode()
    done = client.post(
        "/api/automation/recurring/month",
        {"month": month, "variable": {str(made.json()["id"]): 8_800}},
        content_type="application/json",
    )
    assert done.status_code == 201, done.content
    (item,) = done.json()
    assert (item["amount"], item["reasons"]) == (8_800, []) and PaymentOrder.objects.get().pk == item["order"]
