"""Matching an answer row to the person it is about (照合): keys for kana and addresses, the letter's index.

Institutions write names in their own way: half-width kana (全銀 kana without small letters:
「ｼﾖｳｼﾞ」 for 「ショウジ」), hiragana, spaces or none. ``kana_key`` makes one key of all of them
(jaconv widens, small kana become large, spaces, 「・」 and dashes go). ``address_key`` does the
same for addresses (NFKC, no spaces, 「一丁目1番1号」 and 「1-1-1」 alike). ``LetterIndex`` holds the
persons a letter asked about, loaded once, keyed by (kana key, birth date), with the address keys
of their current and former addresses for the institutions that match on address.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from cityhall.core.japanese import to_katakana
from cityhall.inquiries.models import InquiryItem, Letter, MatchOn, MatchStatus

_SMALL = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
_DROP = re.compile(r"[\s\u3000・･.．,，、]+")
_DASHES = re.compile(r"[-‐‑‒–—―−－ｰ]")
_KANJI_DIGITS = {c: n for n, c in enumerate("〇一二三四五六七八九")}
_CHOME = re.compile(r"([〇一二三四五六七八九十]+)丁目")
_ADDRESS_MARKS = re.compile(r"丁目|番地の?|番の?|号")
_ADDRESS_DASHES = re.compile(r"[-‐‑‒–—―−－]+")


@lru_cache(maxsize=100_000)  # the same names come back in every institution's file
def kana_key(value: str) -> str:
    """The key a name in kana is matched on: 「ﾔﾏﾀﾞ ﾀﾛｳ」「やまだ　たろう」「ヤマダタロウ」 → 「ヤマダタロウ」."""
    text = to_katakana(unicodedata.normalize("NFKC", value))
    return _DROP.sub("", _DASHES.sub("ー", text)).translate(_SMALL)


def _kanji_number(text: str) -> str:
    """「十二」 → 「12」 (the numbers of 丁目 are small)."""
    if "十" not in text:
        return "".join(str(_KANJI_DIGITS[c]) for c in text)
    tens, _sep, ones = text.partition("十")
    return str((_KANJI_DIGITS.get(tens, 1) if tens else 1) * 10 + (_KANJI_DIGITS.get(ones, 0) if ones else 0))


@lru_cache(maxsize=100_000)
def address_key(value: str) -> str:
    """The key an address is matched on: 「中央一丁目1番1号」 and 「中央1-1-1」 alike."""
    text = _DROP.sub("", unicodedata.normalize("NFKC", value))
    text = _CHOME.sub(lambda m: _kanji_number(m.group(1)) + "-", text)
    text = _ADDRESS_DASHES.sub("-", _ADDRESS_MARKS.sub("-", text))
    return text.strip("-")


@dataclass(frozen=True)
class Candidate:
    """A person a letter asked about, as matching needs them: the item, the person and address keys."""

    item_id: int
    batch_person_id: int
    resident_number: str
    addresses: frozenset[str]


@dataclass(frozen=True)
class Match:
    """What matching found for a row: the status and, when one person, the item."""

    status: MatchStatus
    item_id: int | None = None


class LetterIndex:
    """The persons a letter asked about, loaded in one query, keyed by (kana key, birth date)."""

    def __init__(self, letter: Letter) -> None:
        self.by_address = letter.institution.match_on == MatchOn.KANA_BIRTH_ADDRESS
        self.keys: dict[tuple[str, dt.date], list[Candidate]] = defaultdict(list)
        self.by_item: dict[int, Candidate] = {}
        rows = InquiryItem.objects.filter(letter=letter).values_list(
            "pk",
            "batch_person_id",
            "batch_person__kana",
            "batch_person__birth_date",
            "batch_person__address",
            "batch_person__former_addresses",
            "batch_person__person__resident_number",
        )
        for item_id, person_id, kana, born, address, former, number in rows:
            addresses = frozenset(address_key(a) for a in [address, *former.splitlines()] if a.strip())
            candidate = Candidate(item_id, person_id, number, addresses)
            self.keys[(kana_key(kana), born)].append(candidate)
            self.by_item[item_id] = candidate

    def candidates(self, kana: str, born: dt.date, address: str = "") -> list[Candidate]:
        """The letter's persons with this kana and birth date (and address, where the institution uses it)."""
        found = self.keys.get((kana_key(kana), born), [])
        if self.by_address and address.strip() and len(found) > 0:
            key = address_key(address)
            found = [c for c in found if key in c.addresses]
        return found

    def match(self, kana: str, born: dt.date, address: str = "") -> Match:
        """Matched to one person, or left for a human: nobody (該当者なし) or several (複数該当)."""
        found = self.candidates(kana, born, address)
        if len(found) == 1:
            return Match(MatchStatus.MATCHED, found[0].item_id)
        return Match(MatchStatus.AMBIGUOUS if found else MatchStatus.UNMATCHED)
