"""かな (kana) width conversion, search normalisation and the 全銀 (Zengin) character set.

Conversions use jaconv. Terms: 全角 full-width, 半角 half-width, ひらがな hiragana,
カタカナ katakana, 濁点/半濁点 voiced marks (゛゜).

Public API::

    to_halfwidth_kana("ガッコウ")     -> "ｶﾞｯｺｳ"   (katakana only; ASCII, digits and hiragana untouched)
    to_fullwidth_kana("ｶﾞｯｺｳ")        -> "ガッコウ" (half-width kana and voiced-mark pairs composed)
    to_halfwidth_alnum("ＡＢＣ１２３") -> "ABC123"  (full-width ASCII, digits and space only)
    to_fullwidth_alnum("ABC123")       -> "ＡＢＣ１２３"
    hiragana_to_katakana("がっこう")   -> "ガッコウ"
    to_katakana("がｯこう")            -> "ガッコウ" (hiragana and half-width kana both widened)
    katakana_to_hiragana("ガッコウ")   -> "がっこう"
    normalize_for_search(s)            -> the search key described below
    to_zengin_kana("株式会社ショウジ")  raises; to_zengin_kana("ｼｮｳｼﾞ") -> "ｼﾖｳｼﾞ"
"""

from __future__ import annotations

import re
import unicodedata

import jaconv

from cityhall.core.japanese._common import JapaneseInputError

__all__ = [
    "ZENGIN_ALLOWED",
    "hiragana_to_katakana",
    "katakana_to_hiragana",
    "normalize_for_search",
    "to_fullwidth_alnum",
    "to_fullwidth_kana",
    "to_halfwidth_alnum",
    "to_halfwidth_kana",
    "to_katakana",
    "to_zengin_kana",
]


def to_halfwidth_kana(text: str) -> str:
    """全角カタカナ → 半角カナ (ガ → ｶﾞ); ASCII, digits, hiragana and kanji are left as they are."""
    return jaconv.z2h(text, kana=True, ascii=False, digit=False)


def to_fullwidth_kana(text: str) -> str:
    """半角カナ → 全角カタカナ, joining voiced marks (ｶﾞ → ガ, ﾊﾟ → パ); ASCII and digits untouched."""
    return jaconv.h2z(text, kana=True, ascii=False, digit=False)


def to_halfwidth_alnum(text: str) -> str:
    """全角英数字・記号・空白 → 半角 (ＡＢＣ１２３ → ABC123); kana untouched."""
    return jaconv.z2h(text, kana=False, ascii=True, digit=True)


def to_fullwidth_alnum(text: str) -> str:
    """半角英数字・記号・空白 → 全角 (ABC123 → ＡＢＣ１２３); kana untouched."""
    return jaconv.h2z(text, kana=False, ascii=True, digit=True)


def to_katakana(text: str) -> str:
    """ひらがな・半角カナ → 全角カタカナ, voiced marks joined (が → ガ, ｶﾞ → ガ); other characters untouched."""
    wide = unicodedata.normalize("NFC", jaconv.h2z(text, kana=True, ascii=False, digit=False))
    return str(jaconv.hira2kata(wide))


def hiragana_to_katakana(text: str) -> str:
    """ひらがな → 全角カタカナ."""
    return jaconv.hira2kata(text)


def katakana_to_hiragana(text: str) -> str:
    """全角カタカナ → ひらがな."""
    return jaconv.kata2hira(text)


_WHITESPACE = re.compile(r"\s+")


def normalize_for_search(text: str) -> str:
    """Search key (検索用正規化) applied alike to stored values and to queries.

    Rule: compose combining voiced marks (Unicode NFC); half-width kana →
    full-width katakana; full-width ASCII letters, digits, symbols and the
    ideographic space → half-width; ASCII letters → lower case; runs of
    whitespace → one space, trimmed. Hiragana and katakana stay distinct, kanji
    are untouched, and no other NFKC folding (①, ㈱, ㍻) is applied.
    """
    text = unicodedata.normalize("NFC", text)
    text = jaconv.h2z(text, kana=True, ascii=False, digit=False)
    text = jaconv.z2h(text, kana=False, ascii=True, digit=True)
    return _WHITESPACE.sub(" ", text.lower()).strip()


# --- 全銀 (Zengin) -----------------------------------------------------------

# Half-width katakana ｦ and ｱ–ﾝ with the voiced marks ﾞﾟ, A–Z, 0–9, space and ( ) - . /
ZENGIN_ALLOWED = frozenset("ｦｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝﾞﾟABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ()-./")
# Characters with no half-width form written as their nearest allowed kana, and hyphen lookalikes.
_ZENGIN_SUBSTITUTES = str.maketrans("ヮヰヱ‐‑−", "ワイエ---")
_ZENGIN_HINTS = {
    "ー": "長音記号は使えません。",
    "ｰ": "長音記号は使えません。",
    ",": "カンマは使えません。",
    "、": "読点は使えません。",
}


def _zengin_char(char: str) -> str:
    """One input character in Zengin form (may be two bytes for a voiced kana)."""
    converted = jaconv.h2z(char, kana=True)  # half-width small kana → full-width, so they can be enlarged
    converted = jaconv.enlarge_smallkana(jaconv.hira2kata(converted)).translate(_ZENGIN_SUBSTITUTES)
    converted = jaconv.z2h(converted, kana=True, ascii=True, digit=True)
    return converted.upper() if converted.isascii() else converted


def to_zengin_kana(text: str, *, field: str | None = None) -> str:
    """Convert a name to the 全銀 character set (半角カナ大文字) or raise naming the first bad character.

    Hiragana and full-width katakana become half-width katakana; small kana are
    written full-size (ｼｮｳｼﾞ → ｼﾖｳｼﾞ); voiced kana become two characters
    (ガ → ｶﾞ); full-width letters and digits become half-width and letters upper
    case. The long-vowel mark (ー), comma, kanji and any other character outside
    ``ZENGIN_ALLOWED`` raise ``JapaneseInputError`` (a ``ValidationFailed`` and a
    ``ValueError``) whose ``extra`` holds the character and its 1-based position.
    """
    out: list[str] = []
    for position, char in enumerate(unicodedata.normalize("NFC", text), start=1):
        converted = _zengin_char(char)
        if not converted or any(c not in ZENGIN_ALLOWED for c in converted):
            hint = _ZENGIN_HINTS.get(char, "")
            raise JapaneseInputError(
                f"{position}文字目の「{char}」は全銀の振込データに使えない文字です。{hint}".rstrip(),
                field=field,
                extra={"character": char, "position": position},
            )
        out.append(converted)
    return "".join(out)
