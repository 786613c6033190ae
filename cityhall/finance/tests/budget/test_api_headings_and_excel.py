"""The finance API's headings (款項目・細節, 流用禁止) and the report's Excel file."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from cityhall.finance import services
from cityhall.finance.models import BudgetClassification, Level
from cityhall.testing.web import FINANCE_API, client_for, finance_api

pytestmark = pytest.mark.django_db


def test_finance_staff_add_a_moku_and_lock_a_setsu(city, budget):
    made = finance_api(
        budget.staff,
        "post",
        "/headings",
        {
            "level": "moku",
            "code": "2",
            "name": "文書広報費",
            "account_id": budget.account.pk,
            "parent_id": budget.kou.pk,
        },
    )
    assert made.status_code == 201, made.json()
    assert BudgetClassification.objects.get(pk=made.json()["id"]).parent == budget.kou

    setsu = budget.setsu["13"]
    locked = finance_api(budget.staff, "put", f"/headings/{setsu.pk}/transfer-lock", {"locked": True})
    assert locked.status_code == 200 and locked.json()["transfer_locked"] is True
    setsu.refresh_from_db()
    assert setsu.transfer_locked


def test_headings_refuse_a_setsu_and_other_staff(city, budget):
    refused = finance_api(
        budget.staff, "post", "/headings", {"level": "setsu", "code": "28", "name": "新しい節", "account_id": None}
    )
    assert refused.status_code == 400 and refused.json()["field"] == "level"
    assert not BudgetClassification.objects.filter(level=Level.SETSU, code="28").exists()

    clerk = finance_api(city.drafter, "put", f"/headings/{budget.setsu['10'].pk}/transfer-lock", {"locked": True})
    assert clerk.status_code == 404
    assert not BudgetClassification.objects.get(pk=budget.setsu["10"].pk).transfer_locked


def test_report_excel_through_the_api(city, budget, encumber):
    encumber(amount=800_000)
    response = client_for(budget.staff).get(FINANCE_API + "/reports/export.xlsx")
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["科目別", "課別"]
    labels = [cell.value for row in book["科目別"].iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any("需用費" in label for label in labels)


def test_a_heading_coded_like_a_formula_is_text_in_the_excel_file(city, budget):
    moku = services.heading_create(
        actor=budget.staff, level=Level.MOKU, code="=1+2", name="試験費", account=budget.account, parent=budget.kou
    )
    services.budget_line_create(
        actor=budget.staff,
        account=budget.account,
        fiscal_year=budget.line.fiscal_year,
        moku=moku,
        setsu=budget.setsu["11"],
    )
    book = load_workbook(io.BytesIO(client_for(budget.staff).get(FINANCE_API + "/reports/export.xlsx").content))
    cells = [cell for row in book["科目別"].iter_rows() for cell in row if cell.value and "=1+2" in str(cell.value)]
    assert cells and all(cell.data_type == "s" for cell in cells)
