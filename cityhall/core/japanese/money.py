"""金額 (amounts in yen) formatting."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

__all__ = ["format_yen"]


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
