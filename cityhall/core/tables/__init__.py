"""CSV and Excel files read into rows (表形式のファイルの読み取り), for every app that imports them.

Our own, in core because several apps take in files people export from other systems (automation:
suppliers' invoices and old systems' switch-over data; inquiries: delinquent taxpayers and banks'
answers) and each must refuse the same bad files with the same Japanese messages; no app imports
another's reader. Nothing here touches the database.

Public names:

* errors (``errors``): ``TableRejected`` (a file that cannot be read at all, a ``ValidationFailed``),
  ``LayoutInvalid`` (a column layout that cannot be used), ``Reason`` (one problem of one row);
* the rows of a file (``table``): ``Table`` (kind, header, rows, and the CSV encoding or Excel sheet
  read), ``SourceRow``, ``Formula`` and ``ErrorValue`` (Excel cells that are never read as values),
  ``is_blank``, and the limits ``MAX_BYTES`` and ``MAX_ROWS``;
* CSV (``csv_reader``): ``csv_table``, ``csv_reader.decode`` (UTF-8, UTF-8 with BOM or Shift_JIS as
  Windows writes it; mixed encodings refused naming the byte) and ``csv_reader.first_rows``
  (a lenient look at the first records);
* Excel (``excel_reader``): ``xlsx_table`` (zip bombs, formulas, merged cells, stray columns) and
  ``excel_reader.first_rows``.
"""

from cityhall.core.tables.csv_reader import csv_table
from cityhall.core.tables.errors import LayoutInvalid, Reason, TableRejected
from cityhall.core.tables.excel_reader import xlsx_table
from cityhall.core.tables.table import MAX_BYTES, MAX_ROWS, ErrorValue, Formula, SourceRow, Table, is_blank

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "ErrorValue",
    "Formula",
    "LayoutInvalid",
    "Reason",
    "SourceRow",
    "Table",
    "TableRejected",
    "csv_table",
    "is_blank",
    "xlsx_table",
]
