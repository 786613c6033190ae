"""What can be wrong with a table file (表形式のファイルの誤り): the file refused, a layout refused, a row's reason.

Our own, so that every import built on this package (automation's invoices and switch-over data,
the coming inquiries' delinquent lists and bank answers) refuses files and reports rows alike, in
Japanese a clerk can act on:

* ``TableRejected`` (a ``ValidationFailed``, so ``cityhall.core.http`` shows it like any input
  error): the file cannot be read at all (empty, too big, not CSV or not an xlsx, an encoding we
  cannot tell, no header row, a column the layout names missing, merged cells, …); ``field`` names
  what is at fault (``file``, ``encoding``, ``header_row``, ``sheet``, ``columns`` or a field's
  name) and ``message`` says what was found.
* ``LayoutInvalid`` (a ``ValidationFailed``): a column layout that cannot be used; ``field`` names
  the key at fault.
* ``Reason``: one problem of one row, never raised: the rows of a file carry all of theirs, so the
  report shows every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from cityhall.core.errors import ValidationFailed

__all__ = ["LayoutInvalid", "Reason", "TableRejected"]


@dataclass(frozen=True)
class Reason:
    """One reason a row (or an invoice) cannot be taken in: the field at fault and a Japanese message."""

    field: str
    message: str


class TableRejected(ValidationFailed):
    """The CSV or Excel file cannot be read at all; ``field`` and ``message`` say why."""

    field: str

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)


class LayoutInvalid(ValidationFailed):
    """The column layout (列の設定) is incomplete or contradictory; ``field`` names the key."""

    field: str

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)
