"""適格請求書発行事業者登録番号 (invoice registration number): ``T`` + 13 digits.

For a corporation the 13 digits are its 法人番号 (corporate number), whose first
digit is a check digit: ``9 − (Σ Pn × Qn mod 9)`` over the other twelve digits,
``Pn`` being the n-th digit counted from the right and ``Qn`` 1 for odd ``n`` and
2 for even ``n`` (e.g. 7000012050002 is valid). Individual businesses get 13
digits from the tax agency that are not a My Number; a check-digit failure there
is only a warning to confirm the number against the NTA's public registry.

Input is normalised first: full-width digits and letters become half-width,
a lower-case ``t`` becomes ``T``, surrounding whitespace is dropped and the
hyphens or spaces used when printing the number in groups
(``T1-2345-6789-0123``) are removed.

Public API::

    check_invoice_number("T7000012050002")  -> InvoiceNumberResult(ok=True, warning=False, ...)
    validate_invoice_number(value, individual=False)  -> result, or raises ValidationFailed
    corporate_check_digit("000012050002")   -> 7
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from cityhall.core.errors import ValidationFailed

__all__ = ["InvoiceNumberResult", "check_invoice_number", "corporate_check_digit", "validate_invoice_number"]

DEFAULT_FIELD = "invoice_registration_number"
_LABEL = "登録番号"
_SEPARATORS = re.compile(r"[\s\-‐‑−]")
_SHAPE = re.compile(r"T[0-9]{13}", re.ASCII)


@dataclass(frozen=True)
class InvoiceNumberResult:
    """Outcome of checking one registration number (登録番号の検査結果).

    ``ok`` is true when the number may be stored (possibly with ``warning``);
    ``number`` is the normalised form (``T`` + 13 digits) or, when the shape is
    wrong, the input after normalisation; ``message`` explains an error or a
    warning in Japanese and is empty when all is well.
    """

    number: str
    ok: bool
    warning: bool
    message: str


def corporate_check_digit(body: str) -> int:
    """Check digit of a 法人番号 from its last twelve digits (``body``)."""
    if len(body) != 12 or not body.isascii() or not body.isdigit():
        raise ValueError(f"expected 12 digits, got {body!r}")
    total = 0
    for n, char in enumerate(reversed(body), start=1):
        total += int(char) * (1 if n % 2 else 2)
    return 9 - total % 9


def _normalise(value: str) -> str:
    text = unicodedata.normalize("NFKC", value).strip()
    text = _SEPARATORS.sub("", text)
    return text.upper()


def check_invoice_number(value: str, *, individual: bool = False) -> InvoiceNumberResult:
    """Check a 登録番号 without raising; see the module docstring for the rules.

    ``individual`` marks a registrant who is an individual business (個人事業者):
    a failing check digit then gives ``ok=True, warning=True`` instead of an error.
    """
    number = _normalise(value)
    if not number:
        return InvoiceNumberResult(number, False, False, f"{_LABEL}を入力してください。")
    if not _SHAPE.fullmatch(number):
        return InvoiceNumberResult(
            number,
            False,
            False,
            f"{_LABEL}「{value}」は「T」と13桁の数字で入力してください（例: T7000012050002）。",
        )
    digits = number[1:]
    expected = corporate_check_digit(digits[1:])
    if int(digits[0]) == expected:
        return InvoiceNumberResult(number, True, False, "")
    if individual:
        return InvoiceNumberResult(
            number,
            True,
            True,
            f"{_LABEL}「{number}」は法人番号のチェックデジットと一致しません。"
            "個人事業者の番号であれば、国税庁の適格請求書発行事業者公表サイトで確認してください。",
        )
    return InvoiceNumberResult(
        number,
        False,
        False,
        f"{_LABEL}「{number}」のチェックデジットが正しくありません"
        f"（先頭の数字は{expected}になるはずです）。番号を確認してください。",
    )


def validate_invoice_number(value: str, *, individual: bool = False, field: str = DEFAULT_FIELD) -> InvoiceNumberResult:
    """Check a 登録番号 and raise ``ValidationFailed`` (naming ``field``) when it cannot be stored.

    Returns the result, whose ``number`` is the normalised form to store and
    whose ``warning``/``message`` must be shown to the user when set.
    """
    result = check_invoice_number(value, individual=individual)
    if not result.ok:
        raise ValidationFailed(result.message, field=field, extra={"value": value})
    return result
