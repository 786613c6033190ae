"""Creditor screens of finance staff (債権者): search, register with a bank account, add an account."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.finance import services
from cityhall.finance.models import Creditor, CreditorBankAccount
from cityhall.testing.finance import creditor_post
from cityhall.testing.web import field_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, budget):
    """A client signed in as 財政課長, who holds the 会計 role."""
    client.force_login(budget.staff)
    return client


def test_a_clerk_without_the_accounting_role_gets_404(client, city, budget):
    client.force_login(city.drafter)
    for url in (
        reverse("finance:creditors"),
        reverse("finance:creditor_new"),
        reverse("finance:creditor", args=[budget.creditor.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("finance:creditor_new"), creditor_post())
    assert response.status_code == 404 and not Creditor.objects.filter(code="200001").exists()
    add = reverse("finance:creditor_account_add", args=[budget.creditor.pk])
    assert client.post(add, {"account-bank_code": "0005"}).status_code == 404


def test_the_list_searches_by_code_name_and_kana(staff_client, budget):
    services.creditor_create(actor=budget.staff, code="100002", name="みどり野交通株式会社", kana="ミドリノコウツウ")
    page = staff_client.get(reverse("finance:creditors")).content.decode()
    assert "債権者コード" in page and "フリガナ" in page and "登録番号" in page and "振込口座" in page
    assert "株式会社ヤマダ商事" in page and "みどり野交通株式会社" in page and "T7000012050002" in page
    for text in ("ヤマダ", "やまだしょうじ", "100001"):
        found = staff_client.get(reverse("finance:creditors"), {"q": text}).content.decode()
        assert "株式会社ヤマダ商事" in found and "みどり野交通株式会社" not in found, text
    partial = staff_client.get(reverse("finance:creditors"), {"q": "コウツウ"}, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "<html" not in body and "みどり野交通株式会社" in body and "1 件" in body


def test_registering_a_creditor_shows_the_zengin_kana_and_a_double_submission_registers_once(staff_client):
    page = staff_client.get(reverse("finance:creditor_new")).content.decode()
    for label in (
        "債権者コード",
        "銀行コード（4桁）",
        "支店コード（3桁）",
        "預金種目",
        "口座番号（7桁）",
        "口座名義（カナ）",
    ):
        assert label in page
    data = creditor_post()
    response = staff_client.post(reverse("finance:creditor_new"), data)
    creditor = Creditor.objects.get(code="200001")
    assert response.status_code == 302 and response["Location"] == reverse("finance:creditor", args=[creditor.pk])
    account = creditor.bank_accounts.get()
    assert (account.bank_code, account.branch_code, account.account_number) == ("0005", "001", "7654321")
    assert account.holder_kana == "ﾕ)ﾐﾄﾞﾘｲﾝｻﾂ"
    detail = staff_client.get(response["Location"]).content.decode()
    assert "口座名義は全銀の半角カナで「ﾕ)ﾐﾄﾞﾘｲﾝｻﾂ」として保存しました" in detail and "本店" in detail
    assert "同じ債権者があります" not in detail

    again = staff_client.post(reverse("finance:creditor_new"), data)
    assert again["Location"] == response["Location"] and Creditor.objects.filter(code="200001").count() == 1


def test_an_individual_with_a_failing_check_digit_or_a_known_kana_is_saved_with_a_warning(staff_client):
    data = creditor_post(
        invoice_registration_number="T7000012050003", is_individual="on", holder_name="", kana="ヤマダショウジ"
    )
    data |= {"bank_code": "", "branch_code": "", "account_number": ""}
    response = staff_client.post(reverse("finance:creditor_new"), data)
    assert response.status_code == 302
    page = staff_client.get(response["Location"]).content.decode()
    assert "国税庁の適格請求書発行事業者公表サイトで確認してください" in page
    assert "名称またはフリガナが同じ債権者があります（100001 株式会社ヤマダ商事）" in page
    assert not Creditor.objects.get(code="200001").bank_accounts.exists()


BAD_CREDITORS = [
    ({"bank_code": "0000"}, "id_bank_code", "銀行コード 0000 は存在しません。"),
    ({"branch_code": "999"}, "id_branch_code", "銀行コード 0005 の支店コード 999 は存在しません。"),
    (
        {"holder_name": "ミドリ印刷"},
        "id_holder_name",
        "口座名義の4文字目の「印」は全銀の振込データに使えない文字です。",
    ),
    (
        {"invoice_registration_number": "T7000012050003"},
        "id_invoice_registration_number",
        "チェックデジットが正しくありません",
    ),
    ({"account_number": "12345"}, "id_account_number", "口座番号は7桁の数字で入力してください"),
    ({"code": "100001"}, "id_code", "債権者コード「100001」は既に使われています。"),
    ({"kana": ""}, "id_kana", "フリガナを入力してください。"),
]


@pytest.mark.parametrize(("change", "field_id", "message"), BAD_CREDITORS)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(staff_client, change, field_id, message):
    before = (Creditor.objects.count(), CreditorBankAccount.objects.count())
    response = staff_client.post(reverse("finance:creditor_new"), creditor_post(**change))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in field_error(html, field_id) and "入力内容を確認してください" in html
    assert (Creditor.objects.count(), CreditorBankAccount.objects.count()) == before


def test_a_duplicate_account_names_and_links_the_existing_creditor(staff_client, budget):
    response = staff_client.post(
        reverse("finance:creditor_new"),
        creditor_post(bank_code="0001", branch_code="001", account_number="1234567"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "債権者「100001 株式会社ヤマダ商事」に登録済みです" in field_error(html, "id_account_number")
    assert f'href="{reverse("finance:creditor", args=[budget.creditor.pk])}"' in html
    assert not Creditor.objects.filter(code="200001").exists()


def test_adding_an_account_makes_it_the_default_and_bad_input_adds_nothing(staff_client, budget):
    url = reverse("finance:creditor", args=[budget.creditor.pk])
    page = staff_client.get(url).content.decode()
    assert "口座の追加" in page and "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ" in page and "T7000012050002" in page
    add = reverse("finance:creditor_account_add", args=[budget.creditor.pk])
    data = {
        "account-bank_code": "0005",
        "account-branch_code": "001",
        "account-account_type": "2",
        "account-account_number": "1111111",
        "account-holder_name": "カブシキガイシャ ヤマダショウジ",
    }
    response = staff_client.post(add, data | {"account-holder_name": "ヤマダ・ショウジ"})
    assert response.status_code == 400
    assert "「・」は全銀の振込データに使えない文字です" in field_error(
        response.content.decode(), "id_account-holder_name"
    )
    response = staff_client.post(add, data | {"account-bank_code": ""})
    assert "銀行コードを入力してください" in field_error(response.content.decode(), "id_account-bank_code")
    assert budget.creditor.bank_accounts.count() == 1

    response = staff_client.post(add, data)
    assert response.status_code == 302 and response["Location"] == url
    default = budget.creditor.bank_accounts.get(is_default=True)
    assert (default.account_number, default.account_type, default.holder_kana) == ("1111111", "2", "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ")
    assert budget.creditor.bank_accounts.count() == 2
    assert "口座名義は「ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ」です" in staff_client.get(url).content.decode()
