"""Supplier invoices sent as CSV or Excel files, read into the JP PINT ``Invoice`` (表形式の請求書の読み取り).

Our own reader, without the database, on core's table readers (``cityhall.core.tables``: the bytes
to rows, with encodings, broken rows, formulas and merged cells). Each supplier's layout is a
``ColumnMapping`` (stored as JSON with ``to_dict``/``from_dict``); ``read_csv`` and ``read_xlsx``
turn a file's bytes into a ``TabularResult``: per invoice either an ``Invoice`` (the dataclass of
``cityhall.automation.einvoice.jp_pint``, so ``validation.validate`` and the import service use it
unchanged) with its rows, or the ``Reason``s naming row and column. A file that cannot be read
at all raises ``FileRejected`` (an ``InvoiceRejected``; core's ``TableRejected`` is raised again
as one); a mapping that cannot be used raises ``MappingInvalid``. ``first_rows`` shows a file's
first rows (the layout preview, and finding whose file it is) with the same error.

Modules: ``mapping`` (the layout), ``readers`` (the entry points), ``result``, ``errors``; the
private ``_rows`` (one row's fields, with core's cell readers), ``_invoice_cells`` (the values only
invoices have: tax rate, 登録番号, payee account, 預金種目) and ``_invoices`` (grouping and tax per
rate).
"""

from cityhall.automation.tabular.errors import FileRejected, MappingInvalid
from cityhall.automation.tabular.mapping import ColumnMapping
from cityhall.automation.tabular.readers import first_rows, read_csv, read_xlsx
from cityhall.automation.tabular.result import TabularOutcome, TabularResult

__all__ = [
    "ColumnMapping",
    "FileRejected",
    "MappingInvalid",
    "TabularOutcome",
    "TabularResult",
    "first_rows",
    "read_csv",
    "read_xlsx",
]
