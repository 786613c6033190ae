"""The supplier layout of the tabular-reader tests; the files themselves come from ``csv_file`` and
``xlsx_file`` (``cityhall.testing.tables``), built in memory.

``mapping`` is a supplier layout with Japanese headers (請求書番号, 請求日, 支払期日, 品名, 金額,
税率, 振込先): lines grouped by invoice number, net amounts, a tax-rate column and the payee account
in one column. Test modules import nothing from here (house rule).
"""

from __future__ import annotations

import pytest

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
