"""Finance API: budget, creditors and encumbrances through the same services; errors, CSRF and OpenAPI."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cityhall.documents.models import Document, DocumentStatus
from cityhall.finance import services
from cityhall.finance.models import (
    Allotment,
    BudgetAmount,
    BudgetLine,
    BudgetVersion,
    Creditor,
    CreditorBankAccount,
    Encumbrance,
    Level,
)
from cityhall.testing.engine import approve_to_decision, decide, document_of
from cityhall.testing.finance import FY
from cityhall.testing.web import FINANCE_API, client_for, finance_api

pytestmark = pytest.mark.django_db


# --- budget -----------------------------------------------------------------


def test_reference_lists_give_years_accounts_and_the_27_standard_setsu(city, budget):
    years = finance_api(city.drafter, "get", "/fiscal-years").json()
    assert {k: years[0][k] for k in ("year", "current")} == {"year": FY, "current": True}
    assert "年度" in years[0]["label"]
    accounts = finance_api(city.drafter, "get", "/accounts").json()
    assert "一般会計" in {a["name"] for a in accounts}
    headings = finance_api(city.drafter, "get", "/headings", {"account_id": budget.account.pk}).json()
    setsu = [h for h in headings if h["level"] == "setsu" and h["account_id"] is None]
    assert len(setsu) == 27
    assert {"総務費", "総務管理費", "一般管理費", "需用費"} <= {h["name"] for h in headings}


def test_lines_show_the_figures_each_caller_may_see(city, budget, encumber):
    decide(encumber(amount=800_000).document_id)
    staff = finance_api(budget.staff, "get", "/lines", {"fiscal_year": FY, "account_id": budget.account.pk}).json()
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
    mine = finance_api(city.drafter, "get", "/lines", {"section_id": city.units.soumu.pk}).json()
    assert [row["id"] for row in mine["items"]] == [budget.line.pk]
    assert finance_api(city.outsider, "get", "/lines").json()["count"] == 0  # 人事課 has no allotment
    assert finance_api(city.outsider, "get", f"/lines/{budget.line.pk}").status_code == 404


def test_finance_staff_register_a_line_vote_budgets_and_allot(city, budget):
    made = finance_api(
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
    first = finance_api(
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
    allotted = finance_api(
        budget.staff, "put", f"/lines/{line_id}/allotments/{city.units.soumu.pk}", {"amount": 600_000}
    )
    assert allotted.status_code == 200, allotted.content
    assert (allotted.json()["amount"], allotted.json()["available"]) == (600_000, 600_000)
    detail = finance_api(budget.staff, "get", f"/lines/{line_id}").json()
    assert (detail["budget"], detail["allotted"], detail["unallotted"]) == (900_000, 600_000, 300_000)


def test_an_amount_that_is_not_whole_yen_is_422_and_changes_nothing(city, budget):
    path = f"/lines/{budget.line.pk}/allotments/{city.units.soumu.pk}"
    for amount in (1.5, 1000.0, "1000", "１０００", True):
        response = finance_api(budget.staff, "put", path, {"amount": amount})
        assert response.status_code == 422, amount
        assert (
            response.json()["detail"]
            == "入力内容に誤りがあります（amount）。円単位の整数で入力してください（小数・文字列は使えません）。"
        )
        assert response.json()["field"] == "amount"
    body = {
        "account_id": budget.account.pk,
        "fiscal_year": FY,
        "name": "補正",
        "amounts": [{"line_id": budget.line.pk, "amount": 10.5}],
    }
    response = finance_api(budget.staff, "post", "/budget-versions", body)
    assert (response.status_code, response.json()["field"]) == (422, "amount")
    assert Allotment.objects.get(pk=budget.allotment.pk).amount == 3_000_000
    assert BudgetAmount.objects.count() == 1


def test_an_allotment_above_the_budget_names_the_figures_and_only_finance_staff_allot(city, budget):
    response = finance_api(
        budget.staff, "put", f"/lines/{budget.line.pk}/allotments/{city.units.zaisei.pk}", {"amount": 2_500_000}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "配当額の合計が予算額を超えます（予算額: 5,000,000円、他課への配当: 3,000,000円、配当額: 2,500,000円）。"
    )
    refused = finance_api(
        city.drafter, "put", f"/lines/{budget.line.pk}/allotments/{city.units.soumu.pk}", {"amount": 1}
    )
    assert (refused.status_code, refused.json()["detail"]) == (404, "この操作を行う権限がありません。")
    assert not Allotment.objects.filter(section=city.units.zaisei, amount__gt=0).exists()
    assert Allotment.objects.get(pk=budget.allotment.pk).amount == 3_000_000


def test_a_transfer_is_drafted_and_links_to_the_documents_api(city, budget):
    target = finance_api(
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
    made = finance_api(budget.staff, "post", "/transfers", body)
    assert made.status_code == 201, made.content
    out = made.json()
    assert (out["kind"], out["kind_label"], out["amount"]) == ("transfer", "流用", 500_000)
    assert out["links"]["submit"] == f"/api/documents/{out['document_id']}/submit"
    too_much = finance_api(budget.staff, "post", "/transfers", {**body, "amount": 2_100_000})  # a draft holds nothing
    assert too_much.status_code == 400
    assert "未配当額: 2,000,000円、流用額: 2,100,000円" in too_much.json()["detail"]
    assert (too_much.json()["available"], too_much.json()["requested"]) == (2_000_000, 2_100_000)


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
    staff = finance_api(budget.staff, "get", "/creditors", {"q": "やまだ"}).json()
    assert [c["code"] for c in staff["items"]] == ["100001"]
    assert staff["items"][0]["bank_accounts"][0]["holder_kana"] == "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"
    drafter = finance_api(city.drafter, "get", "/creditors", {"q": "T7000012050002"}).json()
    assert [c["code"] for c in drafter["items"]] == ["100001"]
    assert drafter["items"][0]["bank_accounts"] is None


def test_a_creditor_is_registered_with_its_account_and_duplicates_are_flagged(city, budget):
    made = finance_api(budget.staff, "post", "/creditors", NEW_CREDITOR)
    assert made.status_code == 201, made.content
    out = made.json()
    assert out["creditor"]["bank_accounts"][0]["holder_kana"] == "ﾐﾄﾞﾘﾉﾌﾞﾝｸﾞ(ﾕ"
    assert (out["warning"], out["similar"]) == ("", [])
    again = {**NEW_CREDITOR, "code": "200002", "bank_account": None}
    second = finance_api(budget.staff, "post", "/creditors", again).json()
    assert [s["code"] for s in second["similar"]] == ["200001"]
    added = finance_api(
        budget.staff,
        "post",
        f"/creditors/{second['creditor']['id']}/bank-accounts",
        {**BANK, "account_number": "1111111"},
    )
    assert added.status_code == 201, added.content
    assert (added.json()["bank_name"], added.json()["is_default"]) == ("みずほ", True)


BAD_BANK_INPUT = [
    ({"bank_code": "9999"}, "bank_code", "銀行コード 9999 は存在しません。"),
    ({"branch_code": "998"}, "branch_code", "銀行コード 0001 の支店コード 998 は存在しません。"),
    ({"holder_name": "ミドリ、ブング"}, "holder_name", "口座名義の4文字目の「、」"),
]


def test_bad_bank_input_is_refused_with_the_reason_and_nothing_saved(city, budget):
    for bank, field, message in BAD_BANK_INPUT:
        response = finance_api(budget.staff, "post", "/creditors", {**NEW_CREDITOR, "bank_account": {**BANK, **bank}})
        assert (response.status_code, response.json()["field"]) == (400, field)
        assert response.json()["detail"].startswith(message)
    assert (Creditor.objects.count(), CreditorBankAccount.objects.count()) == (1, 1)


def test_only_finance_staff_register_creditors(city, budget):
    assert finance_api(city.drafter, "post", "/creditors", NEW_CREDITOR).status_code == 404
    bank = finance_api(city.drafter, "post", f"/creditors/{budget.creditor.pk}/bank-accounts", BANK)
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
        "negotiated_ground": "2",
    }
    return finance_api(city.drafter, "post", "/encumbrances", body)


def test_an_encumbrance_is_drafted_decided_amended_and_cancelled(city, budget):
    made = _draft(city, budget)
    assert made.status_code == 201, made.content
    enc = made.json()
    assert (enc["status"], enc["amount"], enc["available"], enc["section"]) == ("draft", 800_000, 3_000_000, "総務課")
    submitted = client_for(city.drafter).post(
        enc["links"]["submit"], {"expected_version": enc["version"]}, content_type="application/json"
    )
    assert submitted.status_code == 200, submitted.content
    assert finance_api(city.drafter, "get", f"/encumbrances/{enc['id']}").json()["available"] == 2_200_000
    assert approve_to_decision(document_of(enc["document_id"])).status == DocumentStatus.DECIDED
    # 減額・取消 are acts of the authority that decided it (800,000円: 課長専決).
    amended = finance_api(
        city.kacho, "post", f"/encumbrances/{enc['id']}/amend", {"amount": 700_000, "reason": "数量の減少"}
    )
    assert amended.status_code == 200, amended.content
    assert (amended.json()["amount"], amended.json()["available"], amended.json()["unordered"]) == (
        700_000,
        2_300_000,
        700_000,
    )
    listed = finance_api(city.drafter, "get", "/encumbrances", {"fiscal_year": FY}).json()
    assert [row["id"] for row in listed["items"]] == [enc["id"]]
    cancelled = finance_api(city.kacho, "post", f"/encumbrances/{enc['id']}/cancel", {"reason": "契約の解除"})
    assert cancelled.status_code == 200, cancelled.content
    assert (cancelled.json()["available"], cancelled.json()["cancel_reason"]) == (3_000_000, "契約の解除")


def test_over_budget_or_a_decimal_amount_is_refused_and_saves_nothing(city, budget, encumber):
    decide(encumber(amount=2_000_000).document_id)
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
    decimal = _draft(city, budget, amount=800_000.5)
    assert (decimal.status_code, decimal.json()["field"]) == (422, "amount")
    assert (
        decimal.json()["detail"]
        == "入力内容に誤りがあります（amount）。円単位の整数で入力してください（小数・文字列は使えません）。"
    )
    assert (Document.objects.count(), Encumbrance.objects.count()) == before


def test_another_sections_encumbrance_is_404(city, budget, encumber):
    enc = encumber(amount=100_000)
    for method, path, data in (
        ("get", f"/encumbrances/{enc.pk}", None),
        ("post", f"/encumbrances/{enc.pk}/amend", {"amount": 1, "reason": "x"}),
        ("post", f"/encumbrances/{enc.pk}/cancel", {"reason": "x"}),
    ):
        response = finance_api(city.outsider, method, path, data)
        assert (response.status_code, response.json()["detail"]) == (404, "支出負担行為が見つかりません。")
    assert finance_api(city.outsider, "get", "/encumbrances").json()["count"] == 0
    assert finance_api(budget.staff, "get", f"/encumbrances/{enc.pk}").status_code == 200  # 会計 sees every section


def test_a_draft_encumbrance_is_changed_and_the_hard_stop_applies_again(city, budget):
    enc = _draft(city, budget).json()
    changed = finance_api(
        city.drafter, "patch", f"/encumbrances/{enc['id']}", {"amount": 700_000, "title": "用紙の購入について"}
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["amount"], changed.json()["title"]) == (700_000, "用紙の購入について")
    over = finance_api(city.drafter, "patch", f"/encumbrances/{enc['id']}", {"amount": 3_000_001})
    assert (over.status_code, over.json()["requested"]) == (400, 3_000_001)
    assert Encumbrance.objects.get(pk=enc["id"]).amount == 700_000


def test_reserve_use_and_carry_over_are_drafted(city, budget):
    staff, account = budget.staff, budget.account
    kan = services.heading_create(actor=staff, level=Level.KAN, code="14", name="予備費", account=account)
    kou = services.heading_create(actor=staff, level=Level.KOU, code="1", name="予備費", account=account, parent=kan)
    moku = services.heading_create(actor=staff, level=Level.MOKU, code="1", name="予備費", account=account, parent=kou)
    body = {"account_id": account.pk, "fiscal_year": FY, "moku_id": moku.pk, "reserve": True}
    reserve = finance_api(staff, "post", "/lines", body)
    assert (reserve.status_code, reserve.json()["is_reserve"]) == (201, True), reserve.content
    name = "第1号補正予算"
    amounts = [{"line_id": reserve.json()["id"], "amount": 1_000_000}]
    finance_api(
        staff,
        "post",
        "/budget-versions",
        {"account_id": account.pk, "fiscal_year": FY, "name": name, "amounts": amounts},
    )
    use = {
        "source_line_id": reserve.json()["id"],
        "target_line_id": budget.line.pk,
        "amount": 300_000,
        "reason": "台風被害",
    }
    made = finance_api(staff, "post", "/reserve-uses", use)
    assert made.status_code == 201, made.content
    assert (made.json()["kind"], made.json()["kind_label"]) == ("reserve", "予備費充用")
    version = BudgetVersion.objects.get(account=account, fiscal_year=FY, number=0)
    allowance = {"version_id": version.pk, "kou_id": budget.kou.pk, "project": "庁舎改修事業", "amount": 500_000}
    allowed = finance_api(staff, "post", "/carry-allowances", allowance)
    assert allowed.status_code == 201, allowed.content
    carry = {
        "source_line_id": budget.line.pk,
        "kind": "carry_explicit",
        "amount": 400_000,
        "reason": "工期の延長",
        "allowance_id": allowed.json()["id"],
    }
    carried = finance_api(staff, "post", "/carry-overs", carry)
    assert carried.status_code == 201, carried.content
    target = BudgetLine.objects.get(pk=carried.json()["target_line_id"])
    assert (carried.json()["kind_label"], target.fiscal_year) == ("繰越明許", FY + 1)
    line = finance_api(staff, "get", f"/lines/{target.pk}").json()
    assert (line["budget_kind"], line["label"].endswith("（繰越明許費繰越分）")) == ("carry_explicit", True)
    wrong = finance_api(staff, "post", "/carry-overs", {**carry, "kind": "transfer"})
    assert (wrong.status_code, wrong.json()["field"]) == (422, "kind")
    assert finance_api(city.drafter, "post", "/reserve-uses", use).status_code == 404


# --- session, CSRF and the schema ---------------------------------------------


def test_session_writes_need_the_csrf_token(city, budget):
    client = client_for(city.drafter, csrf=True)
    body = {
        "title": "消耗品の購入について",
        "line_id": budget.line.pk,
        "creditor_id": budget.creditor.pk,
        "amount": 1000,
        "contract_method": "negotiated",
        "negotiated_ground": "2",
    }
    refused = client.post(f"{FINANCE_API}/encumbrances", body, content_type="application/json")
    assert refused.status_code == 403
    assert Encumbrance.objects.count() == 0
    assert client.get(f"{FINANCE_API}/encumbrances").status_code == 200  # reads need no token
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        f"{FINANCE_API}/encumbrances", body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 201, accepted.content
    assert Client().get(f"{FINANCE_API}/lines").status_code == 401


EVERY_OPERATION = {
    ("get", "/carry-allowances"),
    ("post", "/carry-allowances"),
    ("get", "/continuing-expenses"),
    ("post", "/continuing-expenses"),
    ("get", "/carry-statements"),
    ("get", "/carry-statements.xlsx"),
    ("get", "/carry-statements.pdf"),
    ("post", "/payment-orders/{order_id}/redraft"),
    ("post", "/payment-orders/{order_id}/settlement"),
    ("post", "/payment-orders/{order_id}/refunds"),
    ("post", "/creditors/{creditor_id}/bank-accounts/{account_id}/holder-name"),
    ("get", "/fiscal-years"),
    ("get", "/accounts"),
    ("get", "/headings"),
    ("post", "/headings"),
    ("put", "/headings/{heading_id}/transfer-lock"),
    ("get", "/reports/export.xlsx"),
    ("get", "/lines"),
    ("post", "/lines"),
    ("get", "/lines/{line_id}"),
    ("post", "/budget-versions"),
    ("put", "/lines/{line_id}/allotments/{section_id}"),
    ("post", "/transfers"),
    ("post", "/reserve-uses"),
    ("post", "/carry-overs"),
    ("get", "/reports/lines"),
    ("get", "/reports/sections"),
    ("get", "/reports/lines/{line_id}"),
    ("get", "/creditors"),
    ("post", "/creditors"),
    ("put", "/creditors/{creditor_id}"),
    ("post", "/creditors/{creditor_id}/deactivate"),
    ("post", "/creditors/{creditor_id}/reactivate"),
    ("post", "/creditors/{creditor_id}/bank-accounts"),
    ("post", "/creditors/{creditor_id}/bank-accounts/{account_id}/default"),
    ("post", "/creditors/{creditor_id}/bank-accounts/{account_id}/deactivate"),
    ("post", "/creditors/{creditor_id}/bank-accounts/{account_id}/reactivate"),
    ("get", "/encumbrances"),
    ("post", "/encumbrances"),
    ("get", "/encumbrances/{encumbrance_id}"),
    ("patch", "/encumbrances/{encumbrance_id}"),
    ("post", "/encumbrances/{encumbrance_id}/amend"),
    ("post", "/encumbrances/{encumbrance_id}/changes"),
    ("post", "/encumbrances/{encumbrance_id}/cancel"),
    ("get", "/payment-orders"),
    ("post", "/payment-orders"),
    ("get", "/payment-orders/{order_id}"),
    ("patch", "/payment-orders/{order_id}"),
    ("get", "/payment-orders/{order_id}/review-checks"),
    ("post", "/payment-orders/{order_id}/review-approve"),
    ("post", "/payment-orders/{order_id}/review-return"),
    ("get", "/review/queue"),
    ("get", "/review/deadlines"),
    ("get", "/batches"),
    ("get", "/batches/{batch_id}"),
    ("post", "/batches/{batch_id}/export"),
    ("get", "/batches/{batch_id}/file"),
    ("post", "/batches/{batch_id}/mark-paid"),
    ("get", "/paying-accounts"),
    ("put", "/accounts/{account_id}/paying-account"),
    ("get", "/withholding/kinds"),
    ("get", "/withholding/months"),
    ("get", "/withholding/months/{month}/entries"),
    ("post", "/withholding/remittances"),
    ("get", "/withholding/statements.xlsx"),
    ("get", "/payment-orders/{order_id}/inspection-report.pdf"),
}


def test_openapi_lists_every_finance_operation_with_a_japanese_summary(client, make_user):
    client.force_login(make_user("schema-reader"))  # the schema is for signed-in users only
    schema = client.get("/api/openapi.json").json()
    ops = {
        (m, p[len(FINANCE_API) :]): op
        for p, by in schema["paths"].items()
        if p.startswith(FINANCE_API)
        for m, op in by.items()
    }
    assert set(ops) == EVERY_OPERATION
    for op in ops.values():
        assert any(ord(ch) > 0x3000 for ch in op["summary"]), op["summary"]
        assert op["security"]
    amount = schema["components"]["schemas"]["AllotmentIn"]["properties"]["amount"]
    assert amount["type"] == "integer"
