"""Supplier invoices sent as CSV or Excel files, read into the JP PINT ``Invoice`` (表形式の請求書の読み取り).

Our own reader, without the database. Each supplier's layout is a ``ColumnMapping`` (stored as
JSON with ``to_dict``/``from_dict``); ``read_csv`` and ``read_xlsx`` turn a file's bytes into a
``TabularResult``: per invoice either an ``Invoice`` (the dataclass of
``cityhall.automation.einvoice.jp_pint``, so ``validation.validate`` and the import service use it
unchanged) with its rows, or the ``Reason``s naming row and column. A file that cannot be read
at all raises ``FileRejected`` (an ``InvoiceRejected``); a mapping that cannot be used raises
``MappingInvalid``.

Modules: ``mapping`` (the layout), ``csv_reader`` (encodings, broken rows), ``excel_reader``
(formulas, merged cells, Excel dates), ``result``; the private ``_table`` (rows as both readers
give them), ``_cells`` (one value), ``_rows`` (one row) and ``_invoices`` (grouping and tax per
rate) are shared by both readers. ``csv_table`` and ``xlsx_table`` give any file's rows with the
same checks (the switch-over imports read their files with them).
"""

from cityhall.automation.tabular._table import SourceRow, Table
from cityhall.automation.tabular.csv_reader import csv_table, read_csv
from cityhall.automation.tabular.errors import FileRejected, MappingInvalid
from cityhall.automation.tabular.excel_reader import read_xlsx, xlsx_table
from cityhall.automation.tabular.mapping import ColumnMapping
from cityhall.automation.tabular.result import TabularOutcome, TabularResult

__all__ = [
    "ColumnMapping",
    "FileRejected",
    "MappingInvalid",
    "SourceRow",
    "Table",
    "TabularOutcome",
    "TabularResult",
    "csv_table",
    "read_csv",
    "read_xlsx",
    "xlsx_table",
]
