"""The one error of the e-invoice layer: a file we refuse to read (取り込めない請求書).

``InvoiceRejected`` is raised by ``safe_xml.parse`` (not XML, too big, DTD, too deep) and by
``jp_pint.read_invoice`` (a mandatory element missing or unreadable). It is a
``ValidationFailed`` so that the one place mapping application errors to responses and form
errors (``cityhall.core.http``) shows it like any other input error; ``field`` names the part of
the invoice at fault with a short English name (``invoice_number``, ``payable_amount``, …) and
``message`` says in Japanese what was expected and what was found.

Problems found in a readable invoice (wrong totals, wrong check digit, …) are not raised:
``validation.validate`` returns them all as a list, so the user sees every problem at once.
"""

from __future__ import annotations

from cityhall.core.errors import ValidationFailed

__all__ = ["InvoiceRejected"]


class InvoiceRejected(ValidationFailed):
    """The file cannot be read as a JP PINT invoice; ``field`` and ``message`` say why."""

    field: str

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)
