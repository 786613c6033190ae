"""Paying accounts per 会計 (会計別の支払口座): set by the 会計管理者, checked, audited; blank is the city-wide one."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.finance.models import Account
from cityhall.finance.selectors.paying_accounts import paying_account_of
from cityhall.finance.services.paying_accounts import account_set_paying_account
from cityhall.testing.finance import ZENGIN
from cityhall.testing.web import client_for, finance_api

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("zengin_files")]

PAYER: dict[str, Any] = {
    "requester_code": "0000099999",
    "requester_name": "コクホトクベツカイケイ",  # full-width: stored in 全銀 half-width kana
    "bank_code": "0005",
    "branch_code": "001",
    "account_type": "2",
    "account_number": "3333333",
}


@pytest.fixture
def special(budget) -> Account:
    return Account.objects.get(code="02")


def test_the_treasurer_sets_a_paying_account_and_back_to_the_city_wide_one(special, treasurer):
    assert not paying_account_of(special).own
    assert paying_account_of(special).account_number == ZENGIN["account_number"]  # the old source is the default
    saved = account_set_paying_account(actor=treasurer, account=special, **PAYER)
    payer = paying_account_of(saved)
    assert (payer.own, payer.requester_name, payer.account_number) == (True, "ｺｸﾎﾄｸﾍﾞﾂｶｲｹｲ", "3333333")
    entry = AuditEntry.objects.get(action="finance.account.set_paying_account")
    before, after = json.loads(entry.before), json.loads(entry.after)
    assert (after["payer_bank_code"], before["payer_bank_code"], entry.actor_label) == ("0005", "", "kaikei")
    cleared = account_set_paying_account(actor=treasurer, account=special)
    assert not paying_account_of(cleared).own


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"bank_code": "0005", "branch_code": "998"}, "branch_code", "998"),
        ({"account_number": "12345"}, "account_number", "口座番号は7桁の数字"),
        ({"requester_name": "国保特別会計"}, "requester_name", "全銀の振込データに使えない文字"),
        ({"account_type": "4"}, "account_type", "預金種目"),
        ({"requester_code": ""}, "requester_code", "依頼人コードは10桁の数字"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(special, treasurer, change, field, text):
    with pytest.raises(ValidationFailed) as caught:
        account_set_paying_account(actor=treasurer, account=special, **{**PAYER, **change})
    assert caught.value.field == field and text in caught.value.message
    special.refresh_from_db()
    assert not special.has_own_paying_account
    assert not AuditEntry.objects.filter(action="finance.account.set_paying_account").exists()


def test_only_the_treasurer_sets_it(city, budget, special):
    with pytest.raises(PermissionDenied):
        account_set_paying_account(actor=budget.staff, account=special, **PAYER)  # 会計 role: reads only
    answer = finance_api(budget.staff, "put", f"/accounts/{special.pk}/paying-account", PAYER)
    assert answer.status_code in (403, 404)
    assert finance_api(city.drafter, "get", "/paying-accounts").json() == []
    assert len(finance_api(budget.staff, "get", "/paying-accounts").json()) == Account.objects.count()


def test_the_api_sets_it_with_the_same_checks(special, treasurer):
    bad = finance_api(treasurer, "put", f"/accounts/{special.pk}/paying-account", {**PAYER, "bank_code": "12"})
    assert (bad.status_code, bad.json()["field"]) == (400, "bank_code")
    done = finance_api(treasurer, "put", f"/accounts/{special.pk}/paying-account", PAYER)
    assert done.status_code == 200, done.content
    assert (done.json()["own"], done.json()["account_number"]) == (True, "3333333")


def test_the_screen_lists_and_sets_paying_accounts(special, treasurer):
    client = client_for(treasurer)
    listed = client.get("/finance/paying-accounts/")
    assert listed.status_code == 200 and "国民健康保険特別会計" in listed.content.decode()
    bad = client.post(f"/finance/paying-accounts/{special.pk}/", {**PAYER, "account_number": "12"})
    assert bad.status_code == 400 and "口座番号は7桁の数字" in bad.content.decode()
    done = client.post(f"/finance/paying-accounts/{special.pk}/", PAYER)
    assert done.status_code == 302
    special.refresh_from_db()
    assert special.payer_account_number == "3333333"


def test_the_screens_are_not_there_for_other_staff(city, budget, special):
    client = client_for(city.drafter)
    assert client.get("/finance/paying-accounts/").status_code == 404
    assert client_for(budget.staff).get(f"/finance/paying-accounts/{special.pk}/").status_code == 404
