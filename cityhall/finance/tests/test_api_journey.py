"""Finance API: payment orders, the accounting manager's review, payment batches (全銀) and the execution report."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.japanese import next_bank_business_day
from cityhall.finance.models import BatchStatus, PaymentBatch, PaymentOrder, ReviewStatus
from cityhall.finance.zengin import read_zengin
from cityhall.testing.engine import decide
from cityhall.testing.finance import FY
from cityhall.testing.web import client_for, finance_api

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("zengin_files")]


def _order_body(budget, **kw: Any) -> dict[str, Any]:
    today = timezone.localdate().isoformat()
    body = {
        "title": "消耗品の代金の支払について",
        "kind": "combined",
        "line_id": budget.line.pk,
        "lines": [{"creditor_id": budget.creditor.pk, "amount": 110_000}],
        "payment_date": next_bank_business_day(timezone.localdate()).isoformat(),
        "inspection_date": today,
        "inspector_id": User.objects.get(username="shunin").pk,
        "invoice_received_on": today,
    }
    return {**body, **kw}


def _report_line(user: User, budget) -> dict[str, Any]:
    report = finance_api(user, "get", "/reports/lines", {"fiscal_year": FY}).json()
    return next(row for row in report["items"] if row["line_id"] == budget.line.pk)["figures"]


def test_the_journey_encumber_order_review_export_pay_and_report(city, budget, treasurer):
    enc = finance_api(
        city.drafter,
        "post",
        "/encumbrances",
        {
            "title": "消耗品の購入について",
            "line_id": budget.line.pk,
            "creditor_id": budget.creditor.pk,
            "amount": 800_000,
            "contract_method": "negotiated",
            "negotiated_ground": "2",
        },
    ).json()
    decide(enc["document_id"])
    lines = [
        {"creditor_id": budget.creditor.pk, "amount": 550_000, "description": "コピー用紙"},
        {"creditor_id": budget.creditor.pk, "amount": 216_000, "tax_rate": 8, "description": "飲料"},
    ]
    made = finance_api(
        city.drafter,
        "post",
        "/payment-orders",
        _order_body(budget, kind="linked", line_id=None, encumbrance_id=enc["id"], lines=lines),
    )
    assert made.status_code == 201, made.content
    order = made.json()
    assert (order["kind"], order["total_amount"], order["status"]) == ("linked", 766_000, "draft")
    assert order["totals_by_rate"] == [
        {"tax_rate": 10, "amount": 550_000, "tax_amount": 50_000},
        {"tax_rate": 8, "amount": 216_000, "tax_amount": 16_000},
    ]
    changed = finance_api(city.drafter, "patch", f"/payment-orders/{order['id']}", {"description": "4月分"})
    assert (changed.status_code, changed.json()["description"]) == (200, "4月分"), changed.content
    decide(order["document_id"])

    queue = finance_api(treasurer, "get", "/review/queue").json()
    assert [row["id"] for row in queue["items"]] == [order["id"]]
    checks = finance_api(treasurer, "get", f"/payment-orders/{order['id']}/review-checks").json()
    assert len(checks) == 4 and all(check["ok"] for check in checks), checks
    approved = finance_api(treasurer, "post", f"/payment-orders/{order['id']}/review-approve")
    assert approved.status_code == 200, approved.content
    assert approved.json()["review_status"] == ReviewStatus.APPROVED
    batch_id = approved.json()["batch_id"]
    assert [b["id"] for b in finance_api(treasurer, "get", "/batches").json()["items"]] == [batch_id]

    exported = finance_api(treasurer, "post", f"/batches/{batch_id}/export")
    assert exported.status_code == 200, exported.content
    assert exported["Content-Type"] == "application/octet-stream"
    assert exported["Content-Disposition"].startswith("attachment; filename=")
    parsed = read_zengin(io.BytesIO(exported.content), year=PaymentBatch.objects.get(pk=batch_id).payment_date.year)
    assert (parsed.count, parsed.total) == (1, 766_000)
    again = finance_api(treasurer, "get", f"/batches/{batch_id}/file")
    assert again.content == exported.content

    before = _report_line(budget.staff, budget)
    paid = finance_api(treasurer, "post", f"/batches/{batch_id}/mark-paid")
    assert (paid.status_code, paid.json()["status"]) == (200, BatchStatus.PAID)
    assert [o["id"] for o in paid.json()["orders"]] == [order["id"]]
    after = _report_line(budget.staff, budget)
    assert (before["paid"], after["paid"], after["ordered"], after["encumbered"]) == (0, 766_000, 766_000, 800_000)
    assert after["remaining"] == 5_000_000 - 800_000
    sections = finance_api(budget.staff, "get", "/reports/sections", {"fiscal_year": FY}).json()
    assert [(s["name"], s["figures"]["remaining"]) for s in sections["items"]] == [("総務課", 2_200_000)]
    drill = finance_api(city.drafter, "get", f"/reports/lines/{budget.line.pk}").json()
    assert (drill["encumbrance_count"], drill["order_count"]) == (1, 1)
    assert finance_api(city.outsider, "get", f"/reports/lines/{budget.line.pk}").status_code == 404


def test_an_order_is_returned_with_a_reason(city, budget, treasurer):
    order = finance_api(city.drafter, "post", "/payment-orders", _order_body(budget)).json()
    decide(order["document_id"])
    empty = finance_api(treasurer, "post", f"/payment-orders/{order['id']}/review-return", {"reason": " "})
    assert (empty.status_code, empty.json()["detail"]) == (400, "返付理由を入力してください。")
    returned = finance_api(
        treasurer, "post", f"/payment-orders/{order['id']}/review-return", {"reason": "請求書の日付の誤り"}
    )
    assert returned.status_code == 200, returned.content
    assert (returned.json()["review_status"], returned.json()["review_reason"]) == ("returned", "請求書の日付の誤り")


def test_only_the_accounting_manager_reviews_and_exports(city, budget, treasurer):
    order = finance_api(city.drafter, "post", "/payment-orders", _order_body(budget)).json()
    decide(order["document_id"])
    assert finance_api(city.kacho, "post", f"/payment-orders/{order['id']}/review-approve").status_code == 404
    assert finance_api(city.kacho, "get", "/review/queue").json()["count"] == 0
    assert PaymentOrder.objects.get(pk=order["id"]).review_status == ReviewStatus.WAITING
    batch = finance_api(treasurer, "post", f"/payment-orders/{order['id']}/review-approve").json()["batch_id"]
    assert finance_api(city.drafter, "post", f"/batches/{batch}/export").status_code == 404
    assert (
        finance_api(budget.staff, "post", f"/batches/{batch}/export").status_code == 404
    )  # 会計 sees, does not export
    assert PaymentBatch.objects.get(pk=batch).status == BatchStatus.OPEN


def test_bad_orders_are_refused_and_nothing_saved(city, budget, encumber):
    decimal = finance_api(
        city.drafter,
        "post",
        "/payment-orders",
        _order_body(budget, lines=[{"creditor_id": budget.creditor.pk, "amount": 1100.5}]),
    )
    assert (decimal.status_code, decimal.json()["field"]) == (422, "amount")
    over = finance_api(
        city.drafter,
        "post",
        "/payment-orders",
        _order_body(budget, lines=[{"creditor_id": budget.creditor.pk, "amount": 3_000_001}]),
    )
    assert over.status_code == 400
    assert (over.json()["available"], over.json()["requested"]) == (3_000_000, 3_000_001)
    assert "予算科目: 一般会計 2款総務費 1項総務管理費 1目一般管理費 10節需用費" in over.json()["detail"]
    theirs = encumber(amount=100_000)  # 総務課's, decided
    decide(theirs.document_id)
    foreign = finance_api(
        city.outsider,
        "post",
        "/payment-orders",
        _order_body(budget, kind="linked", line_id=None, encumbrance_id=theirs.pk),
    )
    assert (foreign.status_code, foreign.json()["detail"]) == (404, "支出負担行為が見つかりません。")
    assert PaymentOrder.objects.count() == 0
    assert finance_api(city.outsider, "get", "/payment-orders").json()["count"] == 0


def test_the_order_list_and_detail_are_scoped_to_the_section(city, budget):
    order = finance_api(city.drafter, "post", "/payment-orders", _order_body(budget)).json()
    assert [
        o["id"] for o in finance_api(city.drafter, "get", "/payment-orders", {"kind": "combined"}).json()["items"]
    ] == [order["id"]]
    assert finance_api(city.outsider, "get", f"/payment-orders/{order['id']}").status_code == 404
    assert finance_api(budget.staff, "get", f"/payment-orders/{order['id']}").json()["lines"][0]["amount"] == 110_000
    client = client_for(city.drafter, csrf=True)
    refused = client.patch(
        f"/api/finance/payment-orders/{order['id']}", {"description": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert PaymentOrder.objects.get(pk=order["id"]).description == ""
