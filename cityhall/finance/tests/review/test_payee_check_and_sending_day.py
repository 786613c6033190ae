"""The review's payee check (振込先) blocks the approval; a passed sending day (送信期限) only warns."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import format_wareki
from cityhall.finance.models import CreditorBankAccount, ReviewStatus
from cityhall.finance.selectors.batches import send_by_date
from cityhall.finance.selectors.review import review_checks, review_warnings
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.review import order_review_approve
from cityhall.testing.finance import ZENGIN
from cityhall.testing.web import client_for, finance_api

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("zengin_files")]


# --- 振込先: the payee check -----------------------------------------------------------------------


def test_a_dropped_branch_fails_the_payee_check_and_blocks_the_approval(budget, treasurer, decided_order):
    order = decided_order()
    assert "振込先" not in [check.label for check in review_checks(order)]  # listed only when it finds something
    # As when zengin-code drops the branch after the account was registered.
    CreditorBankAccount.objects.filter(creditor=budget.creditor).update(branch_code="998")

    check = review_checks(order)[-1]
    assert (check.label, check.ok, check.field) == ("振込先", False, "bank_account")
    assert check.detail == "1行目（株式会社ヤマダ商事）: 銀行コード 0001 の支店コード 998 は存在しません。"
    with pytest.raises(ValidationFailed, match="振込先: 1行目（株式会社ヤマダ商事）: 銀行コード 0001") as caught:
        order_review_approve(actor=treasurer, order=order)
    assert caught.value.extra["checks"] == ["振込先"]
    order.refresh_from_db()
    assert order.review_status == ReviewStatus.WAITING


def test_a_stopped_account_and_a_holder_name_the_writer_refuses_are_named_by_line(
    budget, suzuki, treasurer, decided_order
):
    order = decided_order(
        lines=[OrderLineInput(creditor=budget.creditor, amount=55_000), OrderLineInput(creditor=suzuki, amount=45_000)],
        kind="collective",
    )
    CreditorBankAccount.objects.filter(creditor=suzuki).update(holder_kana="ｽｽﾞｷｰｲﾁﾛｳ")
    CreditorBankAccount.objects.filter(creditor=budget.creditor).update(is_active=False)
    check = review_checks(order)[-1]
    assert check.label == "振込先" and not check.ok
    assert check.detail.startswith("1行目（株式会社ヤマダ商事）: 振込口座（")
    assert "は停止されています。" in check.detail
    assert "2行目（鈴木一郎）の口座名義の5文字目「ｰ」は全銀の振込データに使えない文字です" in check.detail


def test_a_cash_order_has_no_payee_check(budget, decided_order):
    order = decided_order(payment_method="cash")
    CreditorBankAccount.objects.filter(creditor=budget.creditor).update(branch_code="998")
    assert [check.label for check in review_checks(order)] == ["適法性", "予算", "債務確定", "支払日"]


def test_the_queue_page_shows_the_failed_payee_check(budget, treasurer, decided_order):
    decided_order()
    CreditorBankAccount.objects.filter(creditor=budget.creditor).update(bank_code="0999")
    page = client_for(treasurer).get(reverse("finance:review_queue")).content.decode()
    assert "振込先" in page and "銀行コード 0999 は存在しません" in page
    assert "「否」の項目があるため審査済にできません" in page


# --- 送信期限: the bank's sending day ---------------------------------------------------------------------


def test_a_passed_sending_day_warns_without_blocking(settings, treasurer, decided_order):
    order = decided_order()
    settings.CITYHALL_ZENGIN = {**ZENGIN, "lead_days": 0}
    assert review_warnings(order) == []
    settings.CITYHALL_ZENGIN = {**ZENGIN, "lead_days": 30}
    (warning,) = review_warnings(order)
    assert (warning.label, warning.ok, warning.warning) == ("送信期限", True, True)
    assert f"送信期限（{format_wareki(send_by_date(order.payment_date))}）を過ぎています" in warning.detail
    page = client_for(treasurer).get(reverse("finance:review_queue")).content.decode()
    assert 'data-testid="review-warning"' in page and "送信期限" in page
    assert "「否」の項目があるため" not in page
    checks = finance_api(treasurer, "get", f"/payment-orders/{order.pk}/review-checks").json()
    assert [(c["label"], c["ok"], c["warning"]) for c in checks][-1] == ("送信期限", True, True)
    assert not any(c["warning"] for c in checks[:-1])
    approved = order_review_approve(actor=treasurer, order=order)  # a warning, not a refusal
    assert approved.review_status == ReviewStatus.APPROVED


def test_a_cash_order_has_no_sending_day(settings, decided_order):
    settings.CITYHALL_ZENGIN = {**ZENGIN, "lead_days": 30}
    assert review_warnings(decided_order(payment_method="cash")) == []
