"""Inputs for the tabular-reader tests: every CSV and Excel file is built here, in memory.

``csv_file(rows, encoding=…)`` writes rows with the ``csv`` module (CRLF, as Excel does) and
encodes them; ``xlsx_file(rows, …)`` builds a workbook with openpyxl, optionally with merged
cells or more sheets. ``mapping`` is a supplier layout with Japanese headers (請求書番号, 請求日,
支払期日, 品名, 金額, 税率, 振込先): lines grouped by invoice number, net amounts, a tax-rate column
and the payee account in one column. Test modules import nothing from here (house rule).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from openpyxl import Workbook

from cityhall.automation.tabular import ColumnMapping

MAPPING = ColumnMapping(
    invoice_number="請求書番号",
    issue_date="請求日",
    due_date="支払期日",
    description="品名",
    net_amount="金額",
    tax_rate="税率",
    payee_account="振込先",
    group_by_invoice_number=True,
)


@pytest.fixture
def mapping() -> ColumnMapping:
    return MAPPING


@pytest.fixture
def csv_file() -> Callable[..., bytes]:
    def make(rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> bytes:
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        return out.getvalue().encode(encoding)

    return make


@pytest.fixture
def xlsx_file() -> Callable[..., bytes]:
    def make(
        rows: Sequence[Sequence[Any]],
        *,
        merge: Sequence[str] = (),
        sheets: dict[str, Sequence[Sequence[Any]]] | None = None,
        title: str = "請求",
    ) -> bytes:
        book = Workbook()
        sheet = book.active
        sheet.title = title
        for row in rows:
            sheet.append(list(row))
        for ref in merge:
            sheet.merge_cells(ref)
        for name, other in (sheets or {}).items():
            extra = book.create_sheet(name)
            for row in other:
                extra.append(list(row))
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    return make
