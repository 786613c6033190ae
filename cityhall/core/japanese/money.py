"""金額 (amounts in yen): formatting and the one parser of whole-yen input."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from cityhall.core.errors import ValidationFailed

__all__ = ["YEN_MAX", "format_yen", "parse_yen"]


def format_yen(amount: int | Decimal | str) -> str:
    """Yen amount with thousands separators: 「1,234,567円」 (negative 「-1,234円」).

    Yen have no minor unit: a non-integral amount raises ``ValueError`` rather
    than being rounded silently.
    """
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(amount)
    except InvalidOperation:
        raise ValueError(f"not a yen amount: {amount!r}") from None
    if isinstance(amount, bool) or not value.is_finite() or value != value.to_integral_value():
        raise ValueError(f"not a whole yen amount: {amount!r}")
    return f"{int(value):,}円"


# The largest amount anywhere (12 digits): the 全銀 file's trailer total (合計金額) has 12 digits,
# and a bigger number would overflow SQLite's 64-bit integers before any check could name the field.
YEN_MAX = 999_999_999_999
_WIDE_DIGITS = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")
_WHOLE = re.compile(r"-?[0-9]+")


def parse_yen(value: object, *, field: str = "amount", label: str = "金額", minimum: int | None = 1) -> int:
    """A whole-yen amount (円単位の金額) of at most 12 digits, or ``ValidationFailed`` naming ``field``.

    The one reading of amounts for services, forms and imports: integers as they are; text with
    full-width digits, thousands separators and 「円」 (「１，２００円」 = 1200); decimals, other text
    and booleans refused. ``minimum`` (default 1 円) is the smallest amount accepted; ``None``
    accepts negative amounts too (a 補正 that takes budget away), bounded like positive ones.
    """
    number = _whole_number(value, field=field, label=label)
    if minimum is not None and number < minimum:
        raise ValidationFailed(f"{label}は{minimum:,}円以上で入力してください。", field=field)
    if number > YEN_MAX:
        raise ValidationFailed(f"{label}は999,999,999,999円以下で入力してください。", field=field)
    if number < -YEN_MAX:
        raise ValidationFailed(f"{label}は-999,999,999,999円以上で入力してください。", field=field)
    return number


def _whole_number(value: object, *, field: str, label: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    shown = str(value) if isinstance(value, bool) or value is None else str(value).translate(_WIDE_DIGITS)
    shown = shown.replace("円", "").strip()
    text = shown.replace(",", "")
    # Only ASCII digits after narrowing: int() would also read "1_000" and other scripts' digits.
    if isinstance(value, bool) or value is None or not _WHOLE.fullmatch(text):
        raise ValidationFailed(f"{label}は円単位の整数で入力してください（入力: 「{shown}」）。", field=field)
    return int(text)
