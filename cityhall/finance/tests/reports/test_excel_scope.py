"""The Excel file of one section says so: 「残額（執行可能額）」 and the section in the scope line."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from cityhall.finance import services
from cityhall.testing.finance import FY

pytestmark = pytest.mark.django_db


def _book(user, path: str, **query):
    client = Client()
    client.force_login(user)
    response = client.get(path, {"fiscal_year": FY, **query})
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def test_a_clerks_workbook_heads_the_executable_balance_and_names_the_section(city, budget, encumber):
    encumber(amount=800_000)
    for path in ("/finance/reports/export.xlsx", "/api/finance/reports/export.xlsx"):
        lines = _book(city.drafter, path)["科目別"]
        assert lines["L3"].value == "残額（執行可能額）"
        assert lines["A2"].value == "課: 総務課"
        # 予算現額 is the line's; 残額 is the section's 配当額 − 負担額 (the draft holds nothing).
        assert (lines["G4"].value, lines["H4"].value, lines["L4"].value) == (5_000_000, 3_000_000, 3_000_000)


def test_accounting_names_the_chosen_section_once_and_the_whole_line_keeps_its_heading(city, budget):
    chosen = _book(budget.staff, "/finance/reports/export.xlsx", section=city.units.soumu.pk, account=budget.account.pk)
    assert chosen["科目別"]["L3"].value == "残額（執行可能額）"
    assert chosen["科目別"]["A2"].value == "一般会計・課: 総務課"
    assert chosen["課別"]["A2"].value == "一般会計・課: 総務課"
    whole = _book(budget.staff, "/finance/reports/export.xlsx")["科目別"]
    assert whole["L3"].value == "残額" and whole["A2"].value is None


def test_a_head_of_department_workbook_names_their_sections(city, budget):
    services.allotment_set(actor=budget.staff, line=budget.line, section=city.units.zaisei, amount=500_000)
    lines = _book(city.bucho, "/api/finance/reports/export.xlsx")["科目別"]
    assert (lines["L3"].value, lines["A2"].value) == ("残額（執行可能額）", "課: 総務課・財政課")
