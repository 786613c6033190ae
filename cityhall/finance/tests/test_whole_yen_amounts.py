"""Amounts are whole yen of at most twelve digits (円単位・12桁以内: the 全銀 trailer total) wherever typed."""

from __future__ import annotations

import pytest

from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import parse_yen as yen
from cityhall.finance import services
from cityhall.testing.finance import FY, pay_day
from cityhall.testing.web import finance_api

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("amount", [10**19, 1_000_000_000_000])
def test_a_budget_amount_above_twelve_digits_is_refused_naming_the_field(city, budget, amount):
    with pytest.raises(ValidationFailed) as caught:
        services.budget_version_create(
            actor=budget.staff, account=budget.account, fiscal_year=FY, name="補正予算（第1号）",
            amounts=[(budget.line, amount)],
        )  # fmt: skip
    assert caught.value.message == "金額は999,999,999,999円以下で入力してください。"
    assert caught.value.field == "amounts"


def test_twelve_digits_are_accepted_and_thirteen_refused_anywhere(city, budget):
    assert yen("999,999,999,999") == 999_999_999_999
    assert yen("１，０００円") == yen("1,000円") == 1000
    with pytest.raises(ValidationFailed, match="支出負担行為額は999,999,999,999円以下"):
        yen(1_000_000_000_000, label="支出負担行為額")
    with pytest.raises(ValidationFailed, match="以上で入力"):
        yen(-(10**19), minimum=None)


@pytest.mark.parametrize("text", ["1_000", "1000.5", "1,000.5", "一千", ""])
def test_text_that_is_not_whole_yen_is_refused_with_the_input_named(text):
    with pytest.raises(ValidationFailed) as caught:
        yen(text, label="支出命令額")
    assert caught.value.message == f"支出命令額は円単位の整数で入力してください（入力: 「{text}」）。"


def test_a_decimal_or_text_amount_is_explained_as_whole_yen(city, budget):
    for amount in (1.5, "1000"):
        body = {
            "title": "消耗品の代金の支払について",
            "kind": "combined",
            "line_id": budget.line.pk,
            "lines": [{"creditor_id": budget.creditor.pk, "amount": amount}],
            "payment_date": pay_day().isoformat(),
        }
        response = finance_api(city.drafter, "post", "/payment-orders", body)
        assert response.status_code == 422
        assert response.json()["errors"][0]["msg"] == "円単位の整数で入力してください（小数・文字列は使えません）。"
