"""The 繰越明許費・継続費・繰越計算書 screen and the 事故繰越 drafted on screen from an encumbrance."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cityhall.finance.models import BudgetTransfer, BudgetVersion, CarryAllowance, ContinuingExpense, TransferKind
from cityhall.testing.engine import decide
from cityhall.testing.finance import FY
from cityhall.testing.web import client_for, field_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(budget):
    return client_for(budget.staff)


def _url(budget, name="finance:carry_plan"):
    return f"{reverse(name)}?account={budget.account.pk}&year={FY}"


def test_the_page_is_for_the_accounting_role_only(city, budget, staff):
    assert staff.get(_url(budget)).status_code == 200
    assert client_for(city.drafter).get(_url(budget)).status_code == 404
    assert client_for(city.drafter).get(_url(budget, "finance:carry_plan") + "&x=1").status_code == 404


def test_entering_an_allowance_and_a_continuing_expense_with_clear_errors(budget, staff):
    version = BudgetVersion.objects.get(account=budget.account, fiscal_year=FY, number=0)
    data = {"account": budget.account.pk, "year": FY, "version": version.pk, "kou": budget.kou.pk}
    response = staff.post(reverse("finance:carry_allowance_new"), data | {"project": "庁舎改修事業", "amount": "abc"})
    assert response.status_code == 400 and "繰越明許費の額" in field_error(response.content.decode(), "id_amount")
    assert not CarryAllowance.objects.exists()
    response = staff.post(
        reverse("finance:carry_allowance_new"), data | {"project": "庁舎改修事業", "amount": "1,200,000"}
    )
    assert response.status_code == 302
    page = staff.get(_url(budget)).content.decode()
    assert "庁舎改修事業" in page and "1,200,000円" in page

    data = {"account": budget.account.pk, "year": FY, "version": version.pk, "line": budget.line.pk}
    response = staff.post(reverse("finance:carry_continuing_new"), data | {"project": "耐震化", "year_1": "1,000,000"})
    assert response.status_code == 400 and "2年度以上の年割額" in field_error(response.content.decode(), "id_year_2")
    response = staff.post(
        reverse("finance:carry_continuing_new"),
        data | {"project": "耐震化", "year_1": "1,000,000", "year_2": "500,000"},
    )
    assert response.status_code == 302
    expense = ContinuingExpense.objects.get()
    assert (expense.total, expense.last_year) == (1_500_000, FY + 1)


def test_a_carry_accident_is_drafted_from_the_encumbrance_and_the_statement_downloads(city, budget, staff, encumber):
    enc = encumber(amount=700_000)
    decide(enc)
    url = reverse("finance:movement_carry_new")
    assert enc.document.title in staff.get(url).content.decode()
    data = {"title": "事故繰越について", "kind": TransferKind.CARRY_ACCIDENT, "amount": "700,001", "reason": "災害"}
    response = staff.post(url, data | {"encumbrance": enc.pk, "form_token": "t0"})
    assert response.status_code == 400 and "未払残額を超えています" in response.content.decode()
    response = staff.post(url, data | {"form_token": "t1"})
    assert response.status_code == 400 and "繰り越す支出負担行為を選んでください" in response.content.decode()
    response = staff.post(url, data | {"encumbrance": enc.pk, "amount": "700,000", "form_token": "t2"})
    carry = BudgetTransfer.objects.get()
    assert response["Location"] == reverse("documents:detail", args=[carry.document_id])
    decide(carry)
    xlsx = staff.get(
        reverse("finance:carry_statements_file", args=["xlsx"]) + f"?account={budget.account.pk}&year={FY}"
    )
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content))["事故繰越し繰越計算書"]
    assert (sheet["C4"].value, sheet["F4"].value) == ("事故繰越について", 700_000)
    bad = staff.get(
        reverse("finance:carry_plan").replace("carry/", "carry/statements.csv") + f"?account={budget.account.pk}"
    )
    assert bad.status_code == 404
