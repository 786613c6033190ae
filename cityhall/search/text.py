"""Text normalisation and character n-grams for Japanese full-text search (検索用の正規化).

The index and the queries go through the same :func:`normalize_text`, so that
"contains" is defined on normalised text:

* NFKC: full-width ASCII (ＡＢＣ, １２３) becomes ASCII, half-width kana (ｶﾅ, ｶﾞ)
  becomes full-width kana (カナ, ガ), compatibility ideographs become the unified
  ones, circled numbers become digits, etc.
* lower case (ASCII and other cased scripts).
* a few dash and tilde look-alikes that NFKC keeps apart are folded
  (〜 WAVE DASH → ~, − MINUS SIGN and the Unicode hyphens → -).
* format characters (zero-width space, BOM, soft hyphen) are removed; control
  characters and every kind of white space become one ASCII space, runs of
  spaces collapse to one. Private-use characters (外字) are kept as they are.

Hiragana and katakana are *not* folded into each other: 「かな」 does not find
「カナ」. A query is split on white space into terms; an item matches when its
normalised text contains every term (AND).
"""

from __future__ import annotations

import re
import unicodedata

from cityhall.core.errors import ValidationFailed

#: Longest query accepted, in characters after normalisation.
MAX_QUERY_CHARS = 200
#: Most terms (white-space separated words) in one query.
MAX_QUERY_TERMS = 10

# str.replace, not str.translate: translate is slow on non-ASCII text.
_FOLD = (
    ("\u301c", "~"),  # 〜 WAVE DASH
    ("\u2212", "-"),  # − MINUS SIGN
    ("\u2010", "-"),  # ‐ HYPHEN
    ("\u2011", "-"),  # ‑ NON-BREAKING HYPHEN
)
_SPACES = re.compile(r"\s+")


def _clean_char(ch: str) -> str:
    category = unicodedata.category(ch)
    if category == "Cf":
        return ""
    if category in {"Cc", "Cs", "Zl", "Zp", "Zs"}:
        return " "
    return ch


def normalize_text(value: str) -> str:
    """Return ``value`` normalised for search (NFKC, lower case, one space between words)."""
    text = unicodedata.normalize("NFKC", value).lower()
    for old, new in _FOLD:
        if old in text:
            text = text.replace(old, new)
    text = _SPACES.sub(" ", text)
    if not text.isprintable():  # rare: format or control characters other than white space
        text = _SPACES.sub(" ", "".join(_clean_char(ch) for ch in text))
    return text.strip()


def query_terms(query: str) -> list[str]:
    """Split a user's query into normalised terms, or raise ``ValidationFailed`` (検索語の検証).

    An empty or blank query is an error: a search page that also offers
    filters should leave the text condition out when :func:`is_blank_query`.
    """
    text = normalize_text(query or "")
    if not text:
        raise ValidationFailed("検索語を入力してください。", field="q")
    if len(text) > MAX_QUERY_CHARS:
        raise ValidationFailed(f"検索語は{MAX_QUERY_CHARS}文字以内で入力してください。", field="q")
    terms = list(dict.fromkeys(text.split(" ")))
    if len(terms) > MAX_QUERY_TERMS:
        raise ValidationFailed(f"検索語は{MAX_QUERY_TERMS}語以内で入力してください。", field="q")
    return terms


def is_blank_query(query: str | None) -> bool:
    """True when ``query`` holds nothing to search for once normalised."""
    return not normalize_text(query or "")


def bigrams(term: str) -> list[str]:
    """The character 2-grams of ``term`` in order, repeats kept (「あああ」 → ああ, ああ)."""
    return [term[i : i + 2] for i in range(len(term) - 1)]


def contains_all(text: str, terms: list[str]) -> bool:
    """Reference semantics of a match on already normalised ``text`` (used by tests and the benchmark)."""
    return all(term in text for term in terms)
