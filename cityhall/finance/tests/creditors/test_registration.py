"""Creditors (債権者): validation of registration numbers, banks and holder names; duplicates."""

from __future__ import annotations

import pytest

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.finance import services
from cityhall.finance.models import Creditor, CreditorBankAccount
from cityhall.finance.services import BankAccountInput

pytestmark = pytest.mark.django_db


def _create(budget, **kw):
    args = {
        "actor": budget.staff,
        "code": "200001",
        "name": "緑野文具有限会社",
        "kana": "ミドリノブング",
        "address": "みどり野市本町1-1",
        "invoice_registration_number": "",
        "bank_account": BankAccountInput("0001", "001", "1", "7654321", "ミドリノブング有限会社"),
    }
    args.update(kw)
    return services.creditor_create(**args)


def _nothing_saved(before: tuple[int, int]) -> None:
    assert (Creditor.objects.count(), CreditorBankAccount.objects.count()) == before


def _counts() -> tuple[int, int]:
    return Creditor.objects.count(), CreditorBankAccount.objects.count()


def test_create_normalises_the_holder_name_and_is_audited(budget):
    result = _create(budget, invoice_registration_number="T 8000-0120-50001")
    creditor = result.creditor
    assert creditor.invoice_registration_number == "T8000012050001"
    account = creditor.bank_accounts.get()
    assert account.holder_kana == "ﾐﾄﾞﾘﾉﾌﾞﾝｸﾞ(ﾕ"
    assert (account.bank_name, account.branch_name) == ("みずほ", "東京営業部")
    assert result.warning == ""
    entry = AuditEntry.objects.get(action="finance.creditor.create", object_id=str(creditor.pk))
    assert entry.actor_label == budget.staff.username


def test_an_individual_with_a_failing_check_digit_gets_a_warning(budget):
    result = _create(budget, invoice_registration_number="T1234567890123", is_individual=True)
    assert result.creditor.invoice_registration_number == "T1234567890123"
    assert "国税庁" in result.warning


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"invoice_registration_number": "T1234567890123"}, "invoice_registration_number", "チェックデジット"),
        ({"invoice_registration_number": "7000012050002"}, "invoice_registration_number", "「T」と13桁"),
        ({"bank_account": BankAccountInput("9998", "001", "1", "1234567", "ﾔﾏﾀﾞ")}, "bank_code", "9998 は存在しません"),
        (
            {"bank_account": BankAccountInput("0001", "999", "1", "1234567", "ﾔﾏﾀﾞ")},
            "branch_code",
            "支店コード 999 は存在しません",
        ),
        ({"bank_account": BankAccountInput("0001", "001", "1", "123456", "ﾔﾏﾀﾞ")}, "account_number", "7桁"),
        ({"bank_account": BankAccountInput("0001", "001", "3", "1234567", "ﾔﾏﾀﾞ")}, "account_type", "預金種目"),
        (
            {"bank_account": BankAccountInput("0001", "001", "1", "1234567", "山田商店")},
            "holder_name",
            "1文字目の「山」",
        ),
        ({"bank_account": BankAccountInput("0001", "001", "1", "1234567", "ヤマダ、タロウ")}, "holder_name", "「、」"),
        ({"name": " "}, "name", "名称を入力"),
        ({"code": "a b"}, "code", "英数字"),
    ],
)
def test_bad_input_names_the_problem_and_saves_nothing(budget, kwargs, field, text):
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        _create(budget, **kwargs)
    assert caught.value.field == field
    assert text in caught.value.message
    _nothing_saved(before)


def test_duplicate_registration_number_names_the_existing_creditor(budget):
    before = _counts()
    with pytest.raises(ValidationFailed, match="100001 株式会社ヤマダ商事") as caught:
        _create(budget, invoice_registration_number="T7000012050002")
    assert caught.value.extra["existing"] == budget.creditor.pk
    _nothing_saved(before)


def test_duplicate_bank_account_names_the_existing_creditor(budget):
    before = _counts()
    with pytest.raises(ValidationFailed, match="債権者「100001 株式会社ヤマダ商事」に登録済み"):
        _create(budget, bank_account=BankAccountInput("0001", "001", "2", "1234567", "ヤマダ"))
    _nothing_saved(before)


def test_duplicate_code_is_refused(budget):
    before = _counts()
    with pytest.raises(ValidationFailed, match="既に使われて"):
        _create(budget, code="100001")
    _nothing_saved(before)


def test_adding_a_bank_account_makes_it_the_default(budget):
    account = services.creditor_bank_account_add(
        actor=budget.staff, creditor=budget.creditor, data=BankAccountInput("0001", "001", "1", "0000001", "ﾔﾏﾀﾞｼﾖｳｼﾞ")
    )
    assert account.is_default
    assert list(budget.creditor.bank_accounts.filter(is_default=True)) == [account]
    assert AuditEntry.objects.filter(action="finance.creditor.bank_account.add", object_id=str(account.pk)).exists()


def test_creditor_services_need_the_accounting_role(city, budget):
    before = _counts()
    with pytest.raises(PermissionDenied):
        _create(budget, actor=city.drafter)
    with pytest.raises(PermissionDenied):
        services.creditor_bank_account_add(
            actor=city.outsider, creditor=budget.creditor, data=BankAccountInput("0001", "001", "1", "0000001", "ﾔﾏﾀﾞ")
        )
    _nothing_saved(before)
