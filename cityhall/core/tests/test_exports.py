"""Exported cells a spreadsheet would run as formulas are text (CSV / formula injection)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook

from cityhall.core.exports import SafeCsvWriter, csv_cell, excel_cell


@pytest.mark.parametrize(
    "text", ["=1+2", '=HYPERLINK("http://example.com","開く")', "+81", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_text_that_starts_a_formula_gets_an_apostrophe_in_csv(text):
    assert csv_cell(text) == "'" + text
    out = io.StringIO()
    SafeCsvWriter(out).writerow(["件名", text, 3])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["件名", "'" + text, "3"]


def test_ordinary_text_and_numbers_are_left_as_they_are():
    assert [csv_cell(v) for v in ("公用車の修繕について", "R8.4.1", -5, 1200, None)] == [
        "公用車の修繕について", "R8.4.1", -5, 1200, None,
    ]  # fmt: skip


def test_excel_keeps_formula_text_as_text():
    sheet = Workbook().active
    cell = excel_cell(sheet, 1, 1, "=1+2")
    assert (cell.value, cell.data_type) == ("=1+2", "s")
    assert excel_cell(sheet, 1, 2, 5).data_type == "n"
