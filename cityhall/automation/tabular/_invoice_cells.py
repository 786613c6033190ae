"""Reading one cell of a supplier's file as a value only invoices have, private to ``tabular``.

The readers every import shares (text, codes, yen, dates, digits) are core's
(``cityhall.core.tables.cells``); these follow the same rules (the cell as the file holds it in,
the value or ``None`` for an empty cell out, else ``CellProblem`` saying what was found) for what
needs the invoice layer:

* tax rates: 10 and 8 as 「10」「10%」「８％」「0.1」 (an Excel percent cell), 「標準」「軽減」, and
  0 as 「0」「非課税」 (exempt, category E); the mapping's default when empty;
* the 登録番号: ``T`` + 13 digits (13 digits alone get their ``T``);
* the payee account in one text ``bank:branch:type:account`` (read like a JP PINT account), and
  預金種目 as its 全銀 code (both through einvoice's bank-account rules).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from cityhall.automation.einvoice._bank_account import ACCOUNT_TYPES, split_account
from cityhall.automation.einvoice.errors import InvoiceRejected
from cityhall.automation.einvoice.jp_pint import PayeeAccount
from cityhall.core.tables import is_blank
from cityhall.core.tables.cells import CellProblem, code, shown
from cityhall.finance.invoice_number import check_invoice_number

RateKey = tuple[str, Decimal]

_RATES: dict[Decimal, RateKey] = {
    Decimal(10): ("S", Decimal(10)),
    Decimal(8): ("AA", Decimal(8)),
    Decimal(0): ("E", Decimal(0)),
}
_RATE_WORDS = {"標準": 10, "標準税率": 10, "軽減": 8, "軽減税率": 8, "非課税": 0}
_ACCOUNT_TYPE_NAMES = {name: code for code, name in ACCOUNT_TYPES.items()}


def rate(value: object, default: int) -> RateKey:
    """The tax category and percent of a row: ``("S", 10)``, ``("AA", 8)`` or ``("E", 0)``."""
    if is_blank(value):
        return _RATES[Decimal(default)]
    problem = CellProblem(f"税率として読めません（{shown(value)}）。10、8、10%、軽減、非課税 などで書いてください。")
    if isinstance(value, bool | dt.date | dt.datetime):
        raise problem
    if isinstance(value, int | float):
        percent = Decimal(str(value))
        percent = percent * 100 if 0 < percent < 1 else percent
    else:
        written = re.sub(r"\s", "", unicodedata.normalize("NFKC", str(value)).strip())
        if written in _RATE_WORDS:
            return _RATES[Decimal(_RATE_WORDS[written])]
        number = written.removeprefix("税率").removesuffix("%")
        if not re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{1,4})?", number):
            raise problem
        percent = Decimal(number)
        if not written.endswith("%") and 0 < percent < 1:
            percent *= 100
    found = _RATES.get(percent.normalize())
    if found is None:
        raise problem
    return found


def registration_number(value: object) -> str | None:
    """A 登録番号 normalised (``T`` + 13 digits, 13 digits alone get their ``T``); None when empty.

    Whether its check digit holds is ``validation.validate``'s to say, as for JP PINT.
    """
    written = code(value)
    if written is None:
        return None
    if re.fullmatch(r"[0-9]{13}", written):
        written = "T" + written
    return check_invoice_number(written).number


def payee_account(value: object) -> PayeeAccount | None:
    """An account written in one cell, ``bank:branch:type:account`` or the account number alone."""
    written = code(value)
    if written is None:
        return None
    try:
        parts = split_account(written, None)
    except InvoiceRejected as exc:
        raise CellProblem(exc.message) from None
    return PayeeAccount(*parts, holder_name=None)


def account_type(value: object) -> str | None:
    """預金種目 as the 全銀 code: 「1」「普通」 = 1, 「2」「当座」 = 2, 「4」「貯蓄」 = 4, 「9」「その他」 = 9."""
    written = code(value)
    if written is None:
        return None
    written = written.removesuffix("預金")
    found = written if written in ACCOUNT_TYPES else _ACCOUNT_TYPE_NAMES.get(written)
    if found is None:
        raise CellProblem(
            f"預金種目として読めません（{shown(value)}）。1（普通）、2（当座）、4（貯蓄）、9（その他）のはずです。"
        )
    return found
