"""The review card (審査カード) shows where each line pays: payee, bank, branch, type, masked number, holder, check."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cityhall.finance.models import CreditorBankAccount
from cityhall.finance.selectors.review import review_payees
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.testing.web import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("zengin_files")]


def _payee_rows(html: str) -> list[str]:
    rows = re.findall(r'<tr data-testid="payee">(.*?)</tr>', html, flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


def test_each_line_shows_payee_bank_branch_type_masked_number_holder_and_the_check(
    budget, suzuki, treasurer, decided_order
):
    decided_order(
        lines=[OrderLineInput(creditor=budget.creditor, amount=55_000), OrderLineInput(creditor=suzuki, amount=45_000)],
        kind="collective",
    )
    html = client_for(treasurer).get(reverse("finance:review_queue")).content.decode()
    first, second = _payee_rows(html)
    assert first.startswith("1 株式会社ヤマダ商事（100001） 55,000円 みずほ（0001） 東京営業部（001）")
    assert "普通 ***4567 ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ 適" in first
    assert "2 鈴木一郎（100002） 45,000円" in second and "***4321 ｽｽﾞｷ ｲﾁﾛｳ 適" in second
    assert "1234567" not in html and "7654321" not in html  # the whole number never shows on the card


def test_a_line_the_file_cannot_pay_is_marked_on_its_own_row(budget, suzuki, treasurer, decided_order):
    order = decided_order(
        lines=[OrderLineInput(creditor=budget.creditor, amount=55_000), OrderLineInput(creditor=suzuki, amount=45_000)],
        kind="collective",
    )
    CreditorBankAccount.objects.filter(creditor=suzuki).update(branch_code="998")
    ok, broken = review_payees(order)
    assert ok.ok and not broken.ok
    assert broken.problems == ("2行目（鈴木一郎）: 銀行コード 0005 の支店コード 998 は存在しません",)
    html = client_for(treasurer).get(reverse("finance:review_queue")).content.decode()
    assert _payee_rows(html)[1].endswith("否 2行目（鈴木一郎）: 銀行コード 0005 の支店コード 998 は存在しません。")


def test_a_cash_order_shows_the_payee_without_an_account(budget, treasurer, decided_order):
    decided_order(payment_method="cash")
    html = client_for(treasurer).get(reverse("finance:review_queue")).content.decode()
    (row,) = _payee_rows(html)
    assert row.startswith("1 株式会社ヤマダ商事（100001）") and "***" not in row
