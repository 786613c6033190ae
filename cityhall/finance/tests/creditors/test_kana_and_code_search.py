"""A creditor's フリガナ in full-width katakana and its code in one form: what both searches find."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import ValidationFailed
from cityhall.finance import services
from cityhall.finance.models import Creditor
from cityhall.finance.services.creditors import creditor_update
from cityhall.testing.finance import creditor_post
from cityhall.testing.web import field_error, finance_api

pytestmark = pytest.mark.django_db


def _register(budget, code: str, kana: str, name: str = "田中工務店") -> Creditor:
    return services.creditor_create(actor=budget.staff, code=code, name=name, kana=kana).creditor


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ﾀﾅｶｺｳﾑﾃﾝ", "タナカコウムテン"),
        ("さとうしょうてん", "サトウショウテン"),
        ("ｶﾞｯｺｳ ﾎｳｼﾞﾝ", "ガッコウ ホウジン"),
        ("コーヒー\u3000\u3000ハウス", "コーヒー ハウス"),
        ("ｺｰﾋｰ", "コーヒー"),
        ("か\u3099いしゃ", "ガイシャ"),
    ],
)
def test_kana_is_stored_in_full_width_katakana(budget, typed, stored):
    assert _register(budget, "200001", typed).kana == stored


@pytest.mark.parametrize(
    ("typed", "position", "char"),
    [("鈴木", 1, "鈴"), ("タナカ・コウムテン", 4, "・"), ("ﾀﾅｶ-ｺｳﾑ", 4, "-"), ("ヤマダ商店", 4, "商"), ("ABC", 1, "A")],
)
def test_kana_with_other_characters_is_refused_naming_the_character(budget, typed, position, char):
    with pytest.raises(ValidationFailed) as refused:
        _register(budget, "200001", typed)
    assert refused.value.field == "kana"
    assert f"フリガナの{position}文字目の「{char}」は使えません。" in refused.value.message
    assert not Creditor.objects.filter(code="200001").exists()


def test_a_change_normalises_the_kana_and_refuses_a_bad_one(budget):
    creditor = _register(budget, "200001", "タナカ")
    changed = creditor_update(actor=budget.staff, creditor=creditor, name="田中工務店", kana="たなかこうむてん")
    assert changed.creditor.kana == "タナカコウムテン"
    with pytest.raises(ValidationFailed, match="フリガナの1文字目の「田」は使えません"):
        creditor_update(actor=budget.staff, creditor=creditor, name="田中工務店", kana="田中")
    creditor.refresh_from_db()
    assert creditor.kana == "タナカコウムテン"
    assert AuditEntry.objects.filter(action="finance.creditor.update", object_id=str(creditor.pk)).count() == 1


@pytest.mark.parametrize("query", ["タナカ", "たなか", "ﾀﾅｶ", "こうむてん", "ｺｳﾑﾃﾝ", "２００００１"])
def test_the_screen_search_finds_hiragana_and_half_width_queries(client, budget, query):
    _register(budget, "200001", "ﾀﾅｶｺｳﾑﾃﾝ")
    client.force_login(budget.staff)
    page = client.get(reverse("finance:creditors"), {"q": query}).content.decode()
    assert "田中工務店" in page and "株式会社ヤマダ商事" not in page


@pytest.mark.parametrize("query", ["サトウ", "さとう", "ｻﾄｳ", "ｼｮｳﾃﾝ", "２０００", "200001"])
def test_the_api_search_finds_hiragana_and_half_width_queries(budget, query):
    _register(budget, "200001", "さとうしょうてん", name="佐藤商店")
    found = finance_api(budget.staff, "get", "/creditors", {"q": query}).json()
    assert [item["code"] for item in found["items"]] == ["200001"]


def test_the_registration_screen_shows_a_bad_kana_next_to_the_field(client, budget):
    client.force_login(budget.staff)
    response = client.post(reverse("finance:creditor_new"), creditor_post(kana="みどり印刷"))
    assert response.status_code == 400
    assert "フリガナの4文字目の「印」は使えません" in field_error(response.content.decode(), "id_kana")
    assert not Creditor.objects.filter(code="200001").exists()


# --- 債権者コード ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "code", "second"),
    [("a-1", "A-1", "A-1"), ("A-1", "A-1", "ａ－１"), ("100", "100", "１００"), ("１００", "100", "100")],
)
def test_codes_differing_in_case_or_width_are_one_code(budget, first, code, second):
    kept = _register(budget, first, "タナカ")
    assert kept.code == code
    with pytest.raises(ValidationFailed) as refused:
        _register(budget, second, "サトウ", name="佐藤商店")
    message = refused.value.message
    assert refused.value.field == "code" and refused.value.extra["existing"] == kept.pk
    assert f"債権者コード「{kept.code}」は既に使われています。債権者「{kept.code} 田中工務店」のコードです。" in message
    assert ("同じコードとみなします" in message) == (second != code)
    assert Creditor.objects.count() == 2  # the fixture's and the first


def test_a_lower_case_code_stored_before_is_found_as_a_duplicate(budget):
    kept = _register(budget, "B-1", "タナカ")
    Creditor.objects.filter(pk=kept.pk).update(code="b-1")  # as registered before codes were upper-cased
    with pytest.raises(
        ValidationFailed, match="債権者コード「B-1」は既に使われています。債権者「b-1 田中工務店」のコードです。"
    ):
        _register(budget, "B-1", "サトウ")


def test_the_registration_screen_links_the_creditor_holding_the_code(client, budget):
    client.force_login(budget.staff)
    response = client.post(reverse("finance:creditor_new"), creditor_post(code="１０００Ｘ"))
    assert response.status_code == 302 and Creditor.objects.filter(code="1000X").exists()
    again = client.post(reverse("finance:creditor_new"), creditor_post(code="1000x", account_number="1111111"))
    html = again.content.decode()
    assert again.status_code == 400 and "同じコードとみなします" in field_error(html, "id_code")
    existing = Creditor.objects.get(code="1000X")
    assert f'href="{reverse("finance:creditor", args=[existing.pk])}"' in html
