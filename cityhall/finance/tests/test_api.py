"""Finance API: budget, creditors and encumbrances through the same services; errors, CSRF and OpenAPI."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cityhall.accounts.models import User
from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus, StepState
from cityhall.finance.models import Allotment, BudgetAmount, BudgetLine, Creditor, CreditorBankAccount, Encumbrance

from .conftest import FY

pytestmark = pytest.mark.django_db

API = "/api/finance"


def client_for(user: User, *, csrf: bool = False) -> Client:
    """A client signed in as ``user`` (force_login: the lockout backend refuses client.login)."""
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def call(user: User, method: str, path: str, data: Any = None) -> Any:
    """Call ``API + path`` as ``user`` with a JSON body."""
    client = client_for(user)
    if method == "get":
        return client.get(API + path, data or {})
    return getattr(client, method)(API + path, data or {}, content_type="application/json")


def _decide(document_id: int) -> Document:
    """Submit as the drafter and approve step by step until decided (the engine's own services)."""
    doc = Document.objects.get(pk=document_id)
    doc = docs.submit(actor=doc.drafter, document=doc, expected_version=doc.version)
    while doc.status == DocumentStatus.CIRCULATING:
        step = doc.steps.get(round=doc.current_round, state=StepState.PENDING)
        doc = docs.approve(actor=step.assignee, document=doc, expected_version=doc.version)
    return doc


# --- budget -----------------------------------------------------------------


def test_reference_lists_give_years_accounts_and_the_27_standard_setsu(city, budget):
    years = call(city.drafter, "get", "/fiscal-years").json()
    assert {k: years[0][k] for k in ("year", "current")} == {"year": FY, "current": True}
    assert "年度" in years[0]["label"]
    accounts = call(city.drafter, "get", "/accounts").json()
    assert "一般会計" in {a["name"] for a in accounts}
    headings = call(city.drafter, "get", "/headings", {"account_id": budget.account.pk}).json()
    setsu = [h for h in headings if h["level"] == "setsu" and h["account_id"] is None]
    assert len(setsu) == 27
    assert {"総務費", "総務管理費", "一般管理費", "需用費"} <= {h["name"] for h in headings}


def test_lines_show_the_figures_each_caller_may_see(city, budget, encumber):
    _decide(encumber(amount=800_000).document_id)
    staff = call(budget.staff, "get", "/lines", {"fiscal_year": FY, "account_id": budget.account.pk}).json()
    line = staff["items"][0]
    assert (staff["count"], line["budget"], line["allotted"], line["unallotted"]) == (
        1,
        5_000_000,
        3_000_000,
        2_000_000,
    )
    assert line["allotments"] == [
        {
            "id": budget.allotment.pk,
            "section_id": city.units.soumu.pk,
            "section": "総務課",
            "amount": 3_000_000,
            "encumbered": 800_000,
            "unencumbered_orders": 0,
            "available": 2_200_000,
        }
    ]
    mine = call(city.drafter, "get", "/lines", {"section_id": city.units.soumu.pk}).json()
    assert [row["id"] for row in mine["items"]] == [budget.line.pk]
    assert call(city.outsider, "get", "/lines").json()["count"] == 0  # 人事課 has no allotment
    assert call(city.outsider, "get", f"/lines/{budget.line.pk}").status_code == 404


def test_finance_staff_register_a_line_vote_budgets_and_allot(city, budget):
    made = call(
        budget.staff,
        "post",
        "/lines",
        {
            "account_id": budget.account.pk,
            "fiscal_year": FY,
            "moku_id": budget.moku.pk,
            "setsu_id": budget.setsu["11"].pk,
        },
    )
    assert made.status_code == 201, made.content
    line_id = made.json()["id"]
    first = call(
        budget.staff,
        "post",
        "/budget-versions",
        {
            "account_id": budget.account.pk,
            "fiscal_year": FY,
            "name": "第1号補正予算",
            "amounts": [{"line_id": line_id, "amount": 900_000}],
        },
    )
    assert first.status_code == 201, first.content
    assert {k: first.json()[k] for k in ("number", "kind", "total")} == {"number": 1, "kind": "補正", "total": 900_000}
    allotted = call(budget.staff, "put", f"/lines/{line_id}/allotments/{city.units.soumu.pk}", {"amount": 600_000})
    assert allotted.status_code == 200, allotted.content
    assert (allotted.json()["amount"], allotted.json()["available"]) == (600_000, 600_000)
    detail = call(budget.staff, "get", f"/lines/{line_id}").json()
    assert (detail["budget"], detail["allotted"], detail["unallotted"]) == (900_000, 600_000, 300_000)


def test_only_finance_staff_change_budgets(city, budget):
    refused = call(city.drafter, "put", f"/lines/{budget.line.pk}/allotments/{city.units.soumu.pk}", {"amount": 1})
    assert refused.status_code == 404
    assert refused.json()["detail"] == "この操作を行う権限がありません。"
    assert Allotment.objects.get(pk=budget.allotment.pk).amount == 3_000_000


def test_an_amount_that_is_not_whole_yen_is_422_and_changes_nothing(city, budget):
    path = f"/lines/{budget.line.pk}/allotments/{city.units.soumu.pk}"
    for amount in (1.5, 1000.0, "1000", "１０００", True):
        response = call(budget.staff, "put", path, {"amount": amount})
        assert response.status_code == 422, amount
        assert response.json()["detail"] == "入力内容に誤りがあります（amount）。"
        assert response.json()["field"] == "amount"
    assert Allotment.objects.get(pk=budget.allotment.pk).amount == 3_000_000


def test_an_allotment_above_the_budget_names_the_figures(city, budget):
    response = call(
        budget.staff, "put", f"/lines/{budget.line.pk}/allotments/{city.units.zaisei.pk}", {"amount": 2_500_000}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "配当額の合計が予算額を超えます（予算額: 5,000,000円、他課への配当: 3,000,000円、配当額: 2,500,000円）。"
    )
    assert not Allotment.objects.filter(section=city.units.zaisei, amount__gt=0).exists()


def test_a_transfer_is_drafted_and_links_to_the_documents_api(city, budget):
    target = call(
        budget.staff,
        "post",
        "/lines",
        {
            "account_id": budget.account.pk,
            "fiscal_year": FY,
            "moku_id": budget.moku.pk,
            "setsu_id": budget.setsu["11"].pk,
        },
    ).json()
    body = {
        "source_line_id": budget.line.pk,
        "target_line_id": target["id"],
        "amount": 500_000,
        "reason": "印刷費の不足",
    }
    made = call(budget.staff, "post", "/transfers", body)
    assert made.status_code == 201, made.content
    out = made.json()
    assert (out["kind"], out["kind_label"], out["amount"]) == ("transfer", "流用", 500_000)
    assert out["links"]["submit"] == f"/api/documents/{out['document_id']}/submit"
    too_much = call(budget.staff, "post", "/transfers", {**body, "amount": 2_100_000})  # a draft holds nothing
    assert too_much.status_code == 400
    assert "未配当額: 2,000,000円、流用額: 2,100,000円" in too_much.json()["detail"]
    assert (too_much.json()["available"], too_much.json()["requested"]) == (2_000_000, 2_100_000)


def test_a_budget_version_with_a_decimal_amount_is_422(city, budget):
    body = {
        "account_id": budget.account.pk,
        "fiscal_year": FY,
        "name": "補正",
        "amounts": [{"line_id": budget.line.pk, "amount": 10.5}],
    }
    response = call(budget.staff, "post", "/budget-versions", body)
    assert (response.status_code, response.json()["field"]) == (422, "amount")
    assert BudgetAmount.objects.count() == 1


# --- creditors --------------------------------------------------------------

BANK: dict[str, str] = {
    "bank_code": "0001",
    "branch_code": "001",
    "account_type": "1",
    "account_number": "7654321",
    "holder_name": "ミドリノブング有限会社",
}
NEW_CREDITOR: dict[str, Any] = {
    "code": "200001",
    "name": "緑野文具有限会社",
    "kana": "ミドリノブング",
    "address": "みどり野市本町1-1",
    "bank_account": BANK,
}


def test_creditors_are_searched_and_bank_accounts_shown_to_finance_staff_only(city, budget):
    staff = call(budget.staff, "get", "/creditors", {"q": "やまだ"}).json()
    assert [c["code"] for c in staff["items"]] == ["100001"]
    assert staff["items"][0]["bank_accounts"][0]["holder_kana"] == "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"
    drafter = call(city.drafter, "get", "/creditors", {"q": "T7000012050002"}).json()
    assert [c["code"] for c in drafter["items"]] == ["100001"]
    assert drafter["items"][0]["bank_accounts"] is None


def test_a_creditor_is_registered_with_its_account_and_duplicates_are_flagged(city, budget):
    made = call(budget.staff, "post", "/creditors", NEW_CREDITOR)
    assert made.status_code == 201, made.content
    out = made.json()
    assert out["creditor"]["bank_accounts"][0]["holder_kana"] == "ﾐﾄﾞﾘﾉﾌﾞﾝｸﾞ(ﾕ"
    assert (out["warning"], out["similar"]) == ("", [])
    again = {**NEW_CREDITOR, "code": "200002", "bank_account": None}
    second = call(budget.staff, "post", "/creditors", again).json()
    assert [s["code"] for s in second["similar"]] == ["200001"]
    added = call(
        budget.staff,
        "post",
        f"/creditors/{second['creditor']['id']}/bank-accounts",
        {**BANK, "account_number": "1111111"},
    )
    assert added.status_code == 201, added.content
    assert (added.json()["bank_name"], added.json()["is_default"]) == ("みずほ", True)


@pytest.mark.parametrize(
    ("bank", "field", "message"),
    [
        ({"bank_code": "9999"}, "bank_code", "銀行コード 9999 は存在しません。"),
        ({"branch_code": "998"}, "branch_code", "銀行コード 0001 の支店コード 998 は存在しません。"),
        ({"holder_name": "ミドリ、ブング"}, "holder_name", "口座名義の4文字目の「、」"),
    ],
)
def test_bad_bank_input_is_refused_with_the_reason_and_nothing_saved(city, budget, bank, field, message):
    body = {**NEW_CREDITOR, "bank_account": {**BANK, **bank}}
    response = call(budget.staff, "post", "/creditors", body)
    assert (response.status_code, response.json()["field"]) == (400, field)
    assert response.json()["detail"].startswith(message)
    assert (Creditor.objects.count(), CreditorBankAccount.objects.count()) == (1, 1)


def test_only_finance_staff_register_creditors(city, budget):
    assert call(city.drafter, "post", "/creditors", NEW_CREDITOR).status_code == 404
    bank = call(city.drafter, "post", f"/creditors/{budget.creditor.pk}/bank-accounts", BANK)
    assert bank.status_code == 404
    assert Creditor.objects.count() == 1


# --- encumbrances -------------------------------------------------------------


def _draft(city, budget, amount: Any = 800_000) -> Any:
    body = {
        "title": "消耗品の購入について",
        "line_id": budget.line.pk,
        "creditor_id": budget.creditor.pk,
        "amount": amount,
        "contract_method": "negotiated",
    }
    return call(city.drafter, "post", "/encumbrances", body)


def test_an_encumbrance_is_drafted_decided_amended_and_cancelled(city, budget):
    made = _draft(city, budget)
    assert made.status_code == 201, made.content
    enc = made.json()
    assert (enc["status"], enc["amount"], enc["available"], enc["section"]) == ("draft", 800_000, 3_000_000, "総務課")
    submitted = client_for(city.drafter).post(
        enc["links"]["submit"], {"expected_version": enc["version"]}, content_type="application/json"
    )
    assert submitted.status_code == 200, submitted.content
    assert call(city.drafter, "get", f"/encumbrances/{enc['id']}").json()["available"] == 2_200_000
    _approve_all(enc["document_id"])
    amended = call(
        city.drafter, "post", f"/encumbrances/{enc['id']}/amend", {"amount": 900_000, "reason": "数量の追加"}
    )
    assert amended.status_code == 200, amended.content
    assert (amended.json()["amount"], amended.json()["available"], amended.json()["unordered"]) == (
        900_000,
        2_100_000,
        900_000,
    )
    listed = call(city.drafter, "get", "/encumbrances", {"fiscal_year": FY}).json()
    assert [row["id"] for row in listed["items"]] == [enc["id"]]
    cancelled = call(city.drafter, "post", f"/encumbrances/{enc['id']}/cancel", {"reason": "契約の解除"})
    assert cancelled.status_code == 200, cancelled.content
    assert (cancelled.json()["available"], cancelled.json()["cancel_reason"]) == (3_000_000, "契約の解除")


def _approve_all(document_id: int) -> None:
    doc = Document.objects.get(pk=document_id)
    while doc.status == DocumentStatus.CIRCULATING:
        step = doc.steps.get(round=doc.current_round, state=StepState.PENDING)
        doc = docs.approve(actor=step.assignee, document=doc, expected_version=doc.version)
    assert doc.status == DocumentStatus.DECIDED


def test_over_budget_names_line_available_and_requested_and_saves_nothing(city, budget, encumber):
    _decide(encumber(amount=2_000_000).document_id)
    before = Document.objects.count(), Encumbrance.objects.count()
    response = _draft(city, budget, amount=1_200_000)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "予算残額が不足しています（予算科目: 一般会計 2款総務費 1項総務管理費 1目一般管理費 10節需用費、"
        "執行可能額: 1,000,000円、要求額: 1,200,000円）。",
        "field": "amount",
        "available": 1_000_000,
        "requested": 1_200_000,
    }
    assert (Document.objects.count(), Encumbrance.objects.count()) == before


def test_a_decimal_amount_in_a_draft_is_422_and_saves_nothing(city, budget):
    response = _draft(city, budget, amount=800_000.5)
    assert (response.status_code, response.json()["field"]) == (422, "amount")
    assert response.json()["detail"] == "入力内容に誤りがあります（amount）。"
    assert Encumbrance.objects.count() == 0


def test_another_sections_encumbrance_is_404(city, budget, encumber):
    enc = encumber(amount=100_000)
    for method, path, data in (
        ("get", f"/encumbrances/{enc.pk}", None),
        ("post", f"/encumbrances/{enc.pk}/amend", {"amount": 1, "reason": "x"}),
        ("post", f"/encumbrances/{enc.pk}/cancel", {"reason": "x"}),
    ):
        response = call(city.outsider, method, path, data)
        assert (response.status_code, response.json()["detail"]) == (404, "支出負担行為が見つかりません。")
    assert call(city.outsider, "get", "/encumbrances").json()["count"] == 0
    assert call(budget.staff, "get", f"/encumbrances/{enc.pk}").status_code == 200  # 会計 sees every section


# --- session, CSRF and the schema ---------------------------------------------


def test_session_writes_need_the_csrf_token(city, budget):
    client = client_for(city.drafter, csrf=True)
    body = {
        "title": "消耗品の購入について",
        "line_id": budget.line.pk,
        "creditor_id": budget.creditor.pk,
        "amount": 1000,
        "contract_method": "negotiated",
    }
    refused = client.post(f"{API}/encumbrances", body, content_type="application/json")
    assert refused.status_code == 403
    assert Encumbrance.objects.count() == 0
    assert client.get(f"{API}/encumbrances").status_code == 200  # reads need no token
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    accepted = client.post(f"{API}/encumbrances", body, content_type="application/json", headers={"X-CSRFToken": token})
    assert accepted.status_code == 201, accepted.content
    assert Client().get(f"{API}/lines").status_code == 401


def test_openapi_lists_the_finance_paths_with_japanese_summaries(client):
    schema = client.get("/api/openapi.json").json()
    ops = {(m, p): op for p, by in schema["paths"].items() if p.startswith(API) for m, op in by.items()}
    assert {
        ("get", f"{API}/lines"),
        ("post", f"{API}/budget-versions"),
        ("put", f"{API}/lines/{{line_id}}/allotments/{{section_id}}"),
        ("post", f"{API}/transfers"),
        ("post", f"{API}/creditors"),
        ("post", f"{API}/encumbrances/{{encumbrance_id}}/amend"),
    } <= set(ops)
    for op in ops.values():
        assert any(ord(ch) > 0x3000 for ch in op["summary"]), op["summary"]
        assert op["security"]
    assert BudgetLine.objects.count() == 0  # the schema is read without touching data
