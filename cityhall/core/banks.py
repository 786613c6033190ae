"""金融機関・支店 (banks and branches) from the ``zengin-code`` package: the one reading of its table.

全銀協 codes: 銀行コード 4 digits, 支店コード 3 digits. The package's kana are full-width with
``－`` for the long vowel; ``kana`` keeps them, ``kana_halfwidth`` gives them in the 全銀
character set (半角カナ) that transfer files need. finance (振込) and inquiries (照会先) read banks
here; neither imports the other.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import to_zengin_kana

__all__ = ["Bank", "Branch", "bank", "bank_table", "branch"]


@dataclass(frozen=True)
class Bank:
    """A financial institution (金融機関) with its 全銀 code and half-width kana name."""

    code: str
    name: str
    kana_halfwidth: str
    kana: str = field(default="", compare=False)


@dataclass(frozen=True)
class Branch:
    """A branch (支店) of a bank, with its 3-digit code and half-width kana name."""

    bank_code: str
    code: str
    name: str
    kana_halfwidth: str
    kana: str = field(default="", compare=False)


@cache
def bank_table() -> Any:
    """The package's bank table, by code (imported lazily: loading it takes about half a second)."""
    import zengin_code

    return zengin_code.Bank.all


def _code(value: str, width: int, label: str, field: str) -> str:
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if len(text) != width or not text.isascii() or not text.isdigit():
        raise ValidationFailed(f"{label}は{width}桁の数字で入力してください（入力: 「{value}」）。", field=field)
    return text


@lru_cache(maxsize=4096)  # every order line checks its bank: convert each name once
def _kana(raw: str) -> str:
    return to_zengin_kana(raw.replace("\u3000", " "))


def bank(code: str, *, field: str = "bank_code") -> Bank:
    """The bank with this 銀行コード, or ``ValidationFailed`` when it does not exist."""
    code = _code(code, 4, "銀行コード", field)
    found = bank_table().get(code)
    if found is None:
        raise ValidationFailed(f"銀行コード {code} は存在しません。", field=field)
    return Bank(code=code, name=found.name, kana_halfwidth=_kana(found.kana), kana=found.kana)


def branch(bank_code: str, branch_code: str, *, field: str = "branch_code") -> Branch:
    """The branch 支店コード of bank 銀行コード, or ``ValidationFailed`` naming both codes."""
    the_bank = bank(bank_code)
    code = _code(branch_code, 3, "支店コード", field)
    found = bank_table()[the_bank.code].branches.get(code)
    if found is None:
        raise ValidationFailed(f"銀行コード {the_bank.code} の支店コード {code} は存在しません。", field=field)
    return Branch(
        bank_code=the_bank.code, code=code, name=found.name, kana_halfwidth=_kana(found.kana), kana=found.kana
    )
