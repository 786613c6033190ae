"""金融機関・支店 (banks and branches) from the ``zengin-code`` package: the one reading of its table.

全銀協 codes: 銀行コード 4 digits, 支店コード 3 digits. The package's kana are full-width with
``－`` for the long vowel; ``kana`` keeps them, ``kana_halfwidth`` gives them in the 全銀
character set (半角カナ) that transfer files need. finance (振込) and inquiries (照会先) read banks
here; neither imports the other.

``bank`` and ``branch`` read the package's own data files (``source-data/data``: ``banks.json`` and
one ``branches/<銀行コード>.json`` per bank, the files its loader reads) one bank at a time, located
without importing the package: importing ``zengin_code`` reads all 1,387 files at once (0.15 s),
which a command such as ``export_zengin`` paid before writing a file for a few hundred banks.
``bank_table`` gives the package's table itself, for the few callers that walk every bank.
"""

from __future__ import annotations

import importlib.util
import json
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
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


@cache
def _data_dir() -> Path:
    """The package's data folder, found without importing the package (which would read every file)."""
    spec = importlib.util.find_spec("zengin_code")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("zengin_code")
    return Path(next(iter(spec.submodule_search_locations))) / "source-data" / "data"


@cache
def _banks() -> dict[str, dict[str, str]]:
    """Every bank's fields by 銀行コード (``banks.json``)."""
    found: dict[str, dict[str, str]] = json.loads((_data_dir() / "banks.json").read_bytes())
    return found


@cache
def _branches(bank_code: str) -> dict[str, dict[str, str]]:
    """The branches of one bank by 支店コード (``branches/<銀行コード>.json``; a bank without the file has none)."""
    path = _data_dir() / "branches" / f"{bank_code}.json"
    if not path.is_file():
        return {}
    found: dict[str, dict[str, str]] = json.loads(path.read_bytes() or b"{}")
    return found


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
    found = _banks().get(code)
    if found is None:
        raise ValidationFailed(f"銀行コード {code} は存在しません。", field=field)
    return Bank(code=code, name=found["name"], kana_halfwidth=_kana(found["kana"]), kana=found["kana"])


def branch(bank_code: str, branch_code: str, *, field: str = "branch_code") -> Branch:
    """The branch 支店コード of bank 銀行コード, or ``ValidationFailed`` naming both codes."""
    the_bank = bank(bank_code)
    code = _code(branch_code, 3, "支店コード", field)
    found = _branches(the_bank.code).get(code)
    if found is None:
        raise ValidationFailed(f"銀行コード {the_bank.code} の支店コード {code} は存在しません。", field=field)
    kana = found["kana"]
    return Branch(bank_code=the_bank.code, code=code, name=found["name"], kana_halfwidth=_kana(kana), kana=kana)
