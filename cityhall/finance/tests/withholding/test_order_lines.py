"""源泉区分 on payment order lines: the service computes the withholding; bad input is refused, nothing saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.core.errors import ValidationFailed
from cityhall.documents.models import Document
from cityhall.finance.models import PaymentOrder
from cityhall.finance.selectors.content import payment_order_content
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.testing.finance import order_post
from cityhall.testing.web import client_for, finance_api

pytestmark = pytest.mark.django_db


def test_a_lawyers_fee_of_110000_withholds_11231(draft_order, suzuki):
    line = OrderLineInput(creditor=suzuki, amount=110_000, withholding_kind="professional", description="法律相談")
    order = draft_order(kind="combined", lines=[line])
    assert (order.total_amount, order.withholding_amount, order.payment_amount) == (110_000, 11_231, 98_769)
    saved = order.lines.get()
    assert (saved.withholding_kind, saved.withholding, saved.tax_amount) == ("professional", 11_231, 10_000)
    content = payment_order_content(order.document, None)
    assert content is not None
    table = next(t for section in content.sections for t in section.tables if "源泉区分" in t.columns)
    assert table.rows[0][6:] == (11_231, "弁護士・税理士・公認会計士・社会保険労務士等の報酬・料金")


def test_a_typed_withholding_must_equal_the_computed_one(draft_order, suzuki):
    same = OrderLineInput(creditor=suzuki, amount=110_000, withholding_kind="professional", withholding=11_231)
    assert draft_order(kind="combined", lines=[same]).withholding_amount == 11_231
    wrong = OrderLineInput(creditor=suzuki, amount=110_000, withholding_kind="professional", withholding=10_210)
    count = PaymentOrder.objects.count()
    with pytest.raises(ValidationFailed, match="源泉徴収額（10,210円）が源泉区分") as refused:
        draft_order(kind="combined", lines=[wrong])
    assert "11,231円" in refused.value.message and "所得税法第204条" in refused.value.message
    assert refused.value.field == "lines.1.withholding"
    assert PaymentOrder.objects.count() == count


BAD = [
    (
        dict(withholding_kind="professional"),
        "corporation",
        "明細1行目: 債権者「株式会社ヤマダ商事」は個人ではないため源泉徴収できません（所得税法第204条第1項",
    ),
    (dict(withholding=5_000), "individual", "明細1行目: 源泉徴収額（5,000円）を差し引くには源泉区分を選んでください"),
    (dict(withholding_kind="bonus"), "individual", "明細1行目: 源泉区分「bonus」はありません"),
]


@pytest.mark.parametrize(("given", "who", "message"), BAD)
def test_bad_withholding_is_refused_with_the_row_and_article_and_nothing_is_saved(
    city, budget, draft_order, suzuki, given, who, message
):
    creditor = suzuki if who == "individual" else budget.creditor
    documents = Document.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        draft_order(kind="combined", lines=[OrderLineInput(creditor=creditor, amount=110_000, **given)])
    assert refused.value.message.startswith(message.replace("株式会社ヤマダ商事", budget.creditor.name))
    assert not PaymentOrder.objects.exists() and Document.objects.count() == documents


def test_the_screen_takes_the_kind_and_computes_the_withholding(city, budget, suzuki):
    client = client_for(city.drafter)
    data = order_post(budget, None, lines=(("110,000", "10", ""),), kind="combined", line=str(budget.line.pk))
    data |= {"lines-0-creditor": str(suzuki.pk), "lines-0-withholding_kind": "professional"}
    response = client.post(reverse("finance:payment_order_new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    order = PaymentOrder.objects.get()
    assert (order.withholding_amount, order.payment_amount) == (11_231, 98_769)
    page = client.get(response["Location"]).content.decode()
    assert "11,231円" in page and 'data-testid="withholding-kind">弁護士' in page


def test_the_screen_shows_the_refusal_at_the_kind_and_saves_nothing(city, budget):
    client = client_for(city.drafter)
    data = order_post(budget, None, lines=(("110,000", "10", ""),), kind="combined", line=str(budget.line.pk))
    data |= {"lines-0-withholding_kind": "professional"}
    response = client.post(reverse("finance:payment_order_new"), data)
    assert response.status_code == 400
    assert "個人ではないため源泉徴収できません（所得税法第204条第1項" in response.content.decode()
    assert not PaymentOrder.objects.exists()


def test_the_api_takes_the_kind_with_the_same_checks(city, budget, suzuki):
    body = {
        "title": "法律相談の報酬の支払について",
        "kind": "combined",
        "line_id": budget.line.pk,
        "payment_date": order_post(budget)["payment_date"],
        "lines": [{"creditor_id": suzuki.pk, "amount": 110_000, "withholding_kind": "professional"}],
    }
    made = finance_api(city.drafter, "post", "/payment-orders", body)
    assert made.status_code == 201, made.content.decode()
    detail = finance_api(city.drafter, "get", f"/payment-orders/{made.json()['id']}").json()
    assert detail["withholding_amount"] == 11_231
    assert (detail["lines"][0]["withholding"], detail["lines"][0]["withholding_kind"]) == (11_231, "professional")

    body["lines"][0]["creditor_id"] = budget.creditor.pk
    refused = finance_api(city.drafter, "post", "/payment-orders", body)
    assert refused.status_code == 400
    assert "所得税法第204条第1項" in refused.json()["detail"]
    assert PaymentOrder.objects.count() == 1
    kinds = finance_api(city.drafter, "get", "/withholding/kinds").json()
    assert kinds["basis"] == "included" and kinds["kinds"][0]["rate"] == 1021
