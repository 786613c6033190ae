"""CSV and Excel files read into rows of values (表形式のファイルの読み取り), for every app that imports them.

Our own, in core because several apps take in files people export from other systems (automation:
suppliers' invoices and old systems' switch-over data; inquiries: delinquent taxpayers and banks'
answers) and each must refuse the same bad files with the same Japanese messages, while no app
imports another's reader. Nothing here touches the database; nothing here knows invoices.

Public names (modules in brackets):

* errors [``errors``]: ``TableRejected`` (a file that cannot be read at all, a ``ValidationFailed``
  naming the field at fault), ``LayoutInvalid`` (a column layout that cannot be used, naming the
  key), ``Reason`` (one problem of one row, field and Japanese message; never raised);
* a file's rows [``table``]: ``Table`` (kind, header, header row, rows, and the CSV encoding or the
  Excel sheet read), ``SourceRow`` (number, cells, the problem of a row that could not be split),
  ``Formula`` and ``ErrorValue`` (Excel cells never read as values), ``is_blank``, and the limits
  ``MAX_BYTES`` (5 MB) and ``MAX_ROWS`` (50,000 data rows);
* CSV [``csv_reader``]: ``csv_table(data, *, header_row=1, what=…)``, ``csv_reader.decode(data)``
  (UTF-8, UTF-8 with BOM or Shift_JIS as Windows writes it; mixed encodings refused naming the
  byte) and ``csv_reader.first_rows(data, count)`` (a lenient look at the first records);
* Excel [``excel_reader``, imported where used, as it loads openpyxl]:
  ``xlsx_table(data, *, header_row=1, sheet=None, width=0, what=…)``
  (zip bombs, formulas, merged cells, stray columns) and ``excel_reader.first_rows``;
* one cell [``cells``]: ``CellProblem`` and the readers ``text``, ``code``, ``amount`` (Decimal)
  and ``yen`` (int), ``day`` (with ``DATE_FORMATS`` and ``DEFAULT_DATE_FORMATS``), ``digits``,
  ``number``, ``flag``, ``fiscal_year``, and ``shown`` (a value as a message quotes it);
* columns [``columns``]: ``ColumnRef`` (a header text or ``#3``) and ``header_key`` (how header
  texts are compared);
* rows of fields [``rows``]: ``Field`` (name, label, reader, required, usual headers, example),
  ``Row`` (number, values, reasons, what it became; ``refuse``), ``Layout`` (columns by field,
  header row, sheet; ``to_dict``/``from_dict``), ``read_table`` (CSV or Excel by content) and
  ``read_rows(fields, data, layout)``.

An app adds what is its own around these: automation's invoice readers (``automation.tabular``)
turn rows into invoices and raise ``TableRejected`` again as their ``FileRejected``; its
switch-over kinds (``automation.switchover``) are tuples of ``Field`` with the database checks.
"""

from cityhall.core.tables import cells
from cityhall.core.tables.columns import ColumnRef, header_key
from cityhall.core.tables.csv_reader import csv_table
from cityhall.core.tables.errors import LayoutInvalid, Reason, TableRejected
from cityhall.core.tables.rows import Field, Layout, Row, read_rows, read_table
from cityhall.core.tables.table import MAX_BYTES, MAX_ROWS, ErrorValue, Formula, SourceRow, Table, is_blank

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "ColumnRef",
    "ErrorValue",
    "Field",
    "Formula",
    "Layout",
    "LayoutInvalid",
    "Reason",
    "Row",
    "SourceRow",
    "Table",
    "TableRejected",
    "cells",
    "csv_table",
    "header_key",
    "is_blank",
    "read_rows",
    "read_table",
]
