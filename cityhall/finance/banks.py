"""金融機関・支店 (banks and branches) and 口座名義カナ (account holder names).

Bank and branch master data come from the ``zengin-code`` package through
``cityhall.core.banks`` (re-exported here: ``Bank``, ``Branch``, ``bank``, ``branch``),
with names in the 全銀 character set (半角カナ) as the transfer file needs them.

口座名義 normalisation follows the practice banks publish for transfer data
(全銀協の法人略語): the holder name is written in half-width kana, small kana
full-size (ｼｮｳｼﾞ → ｼﾖｳｼﾞ), with the long-vowel mark and the comma rejected,
and the legal form abbreviated with a parenthesis whose side depends on where
the form stands in the name:

* before the name: 株式会社ヤマダ → ``ｶ)ﾔﾏﾀﾞ``
* after the name: ヤマダ株式会社 → ``ﾔﾏﾀﾞ(ｶ``
* in the middle: ヤマダ株式会社トウキョウ → ``ﾔﾏﾀﾞ(ｶ)ﾄｳｷﾖｳ``

Spaces next to the abbreviation are dropped, runs of spaces become one space.
Only the forms in ``CORPORATE_FORMS`` are abbreviated (written in kanji, as
``(株)``/``㈱``-style short forms, or, for the three commonest, in katakana);
anything else goes through ``to_zengin_kana`` unchanged, so kanji left over
are rejected with their position.
"""

from __future__ import annotations

import re
import unicodedata

from cityhall.core.banks import Bank, Branch, bank, branch
from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import JapaneseInputError, hiragana_to_katakana, to_fullwidth_kana, to_zengin_kana

__all__ = [
    "CORPORATE_FORMS",
    "Bank",
    "Branch",
    "bank",
    "branch",
    "kana_comparison_key",
    "name_comparison_key",
    "normalize_holder_name",
]

HOLDER_NAME_MAX = 30  # width of the payee-name field of a 総合振込 data record


# --- 口座名義カナ ---------------------------------------------------------------

# (written forms, half-width abbreviation), from the banks' published 法人略語 tables.
CORPORATE_FORMS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("株式会社", "(株)", "カブシキガイシャ", "カブシキカイシャ"), "ｶ"),
    (("有限会社", "(有)", "ユウゲンガイシャ", "ユウゲンカイシャ"), "ﾕ"),
    (("合名会社", "(名)"), "ﾒ"),
    (("合資会社", "(資)"), "ｼ"),
    (("合同会社", "(同)", "ゴウドウガイシャ", "ゴウドウカイシャ"), "ﾄﾞ"),
    (("相互会社",), "ｿ"),
    (("社会医療法人", "医療法人社団", "医療法人財団", "医療法人", "(医)"), "ｲ"),
    (("一般財団法人", "公益財団法人", "財団法人", "(財)"), "ｻﾞｲ"),
    (("一般社団法人", "公益社団法人", "社団法人", "(社)"), "ｼﾔ"),
    (("宗教法人", "(宗)"), "ｼﾕｳ"),
    (("学校法人", "(学)"), "ｶﾞｸ"),
    (("社会福祉法人", "(福)"), "ﾌｸ"),
    (("更生保護法人",), "ﾎｺﾞ"),
    (("特定非営利活動法人",), "ﾄｸﾋ"),
    (("地方独立行政法人",), "ﾁﾄﾞｸ"),
    (("独立行政法人",), "ﾄﾞｸ"),
    (("弁護士法人",), "ﾍﾞﾝ"),
    (("行政書士法人",), "ｷﾞﾖ"),
    (("司法書士法人",), "ｼﾎｳ"),
    (("税理士法人",), "ｾﾞｲ"),
    (("社会保険労務士法人",), "ﾛｳﾑ"),
    (("国立大学法人", "公立大学法人"), "ﾀﾞｲ"),
    (("農事組合法人",), "ﾉｳ"),
    (("管理組合法人",), "ｶﾝﾘ"),
)
# Small kana written full-size, as the 全銀 character set has them (カブシキガイシヤ = カブシキガイシャ).
_FULL_SIZE = str.maketrans("ァィゥェォッャュョヮ", "アイウエオツヤユヨワ")
_ABBREVIATION = {
    variant: abbr for forms, abbr in CORPORATE_FORMS for form in forms for variant in (form, form.translate(_FULL_SIZE))
}
_FORM_PATTERN = re.compile(
    r" *(" + "|".join(re.escape(f) for f in sorted(_ABBREVIATION, key=len, reverse=True)) + r") *"
)
_PARENS = str.maketrans({"（": "(", "）": ")", "\u3000": " "})


_VOICING_MARKS = "\uff9e\uff9f"  # ﾞ ﾟ


def _half_width_kana(char: str) -> bool:
    """A half-width katakana letter (ｦ…ﾝ), not the long-vowel mark ｰ (which is refused with its own hint)."""
    return "\uff66" <= char <= "\uff9d" and char != "\uff70"


def _prepare(text: str) -> tuple[str, list[int]]:
    """Expand ㈱-style characters, full-width parentheses and half-width kana; keep each character's position.

    Half-width kana (ｶﾌﾞｼｷｶﾞｲｼｬ) are widened (``to_fullwidth_kana``, a voicing mark joining its letter) so that
    legal forms typed in half-width are found as well; ``to_zengin_kana`` narrows them again.
    """
    chars: list[str] = []
    origin: list[int] = []
    index = 0
    while index < len(text):
        char, position = text[index], index + 1
        index += 1
        if _half_width_kana(char):
            if index < len(text) and text[index] in _VOICING_MARKS:
                char += text[index]
                index += 1
            expanded = to_fullwidth_kana(char)
        elif "\u3220" <= char <= "\u3243":
            expanded = unicodedata.normalize("NFKC", char)
        else:
            expanded = char
        expanded = expanded.translate(_PARENS)
        chars.extend(expanded)
        origin.extend([position] * len(expanded))
    return "".join(chars), origin


def _convert(segment: str, offset: int, origin: list[int], field: str) -> str:
    try:
        return to_zengin_kana(segment, field=field)
    except JapaneseInputError as error:
        inner = int(str(error.extra.get("position", 1)))
        position = origin[min(offset + inner - 1, len(origin) - 1)]
        char = error.extra.get("character", "")
        reason = error.message.split("」", 1)[1] if "」" in error.message else "は使えない文字です。"
        raise JapaneseInputError(
            f"口座名義の{position}文字目の「{char}」{reason}",
            field=field,
            extra={"character": char, "position": position},
        ) from None


def normalize_holder_name(name: str, *, field: str = "account_holder_kana", max_length: int = HOLDER_NAME_MAX) -> str:
    """Account holder name (口座名義カナ) in 全銀 half-width kana with legal forms abbreviated.

    Raises ``ValidationFailed`` naming the first character that cannot be
    written (by its position in ``name``), or when the result is empty or
    longer than ``max_length`` characters.
    """
    text, origin = _prepare(name.strip())
    out: list[str] = []
    last = 0
    for match in _FORM_PATTERN.finditer(text):
        out.append(_convert(text[last : match.start()], last, origin, field))
        abbr = _ABBREVIATION[match.group(1)]
        at_start = match.start() == 0
        at_end = match.end() == len(text)
        if at_start and at_end:
            raise ValidationFailed(
                f"口座名義「{name}」に法人の種類しかありません。名称も入力してください。", field=field
            )
        out.append(f"{abbr})" if at_start else f"({abbr}" if at_end else f"({abbr})")
        last = match.end()
    out.append(_convert(text[last:], last, origin, field))
    result = re.sub(" {2,}", " ", "".join(out)).strip()
    if not result:
        raise ValidationFailed("口座名義を入力してください。", field=field)
    if len(result) > max_length:
        raise ValidationFailed(
            f"口座名義「{result}」は{len(result)}文字あり、全銀の受取人名欄（{max_length}文字）に入りません。",
            field=field,
        )
    return result


# --- 名称の比較 (duplicate detection) -------------------------------------------

_NFKC_FORMS = sorted({unicodedata.normalize("NFKC", form) for form in _ABBREVIATION}, key=len, reverse=True)
_NFKC_FORM_PATTERN = re.compile("|".join(re.escape(form) for form in _NFKC_FORMS))
_SPACES = re.compile(r"\s+")


def name_comparison_key(name: str) -> str:
    """A name reduced for comparison (名称の照合キー): NFKC, legal forms and spaces removed, case folded.

    ㈱ヤマダ, 株式会社ヤマダ, （株）ヤマダ and ヤマダ 株式会社 all give ``ヤマダ``; half- and
    full-width letters, digits and kana compare equal.
    """
    text = unicodedata.normalize("NFKC", name or "")
    text = _NFKC_FORM_PATTERN.sub("", _SPACES.sub("", text))
    return text.casefold()


def kana_comparison_key(kana: str) -> str:
    """A フリガナ reduced for comparison (フリガナの照合キー) in the 全銀 kana, legal forms and spaces removed.

    Hiragana, full- and half-width katakana and small kana written full-size compare equal
    (ヤマダショウジ = ﾔﾏﾀﾞｼﾖｳｼﾞ = やまだしょうじ); a character outside the 全銀 set is kept as it is.
    """
    text = hiragana_to_katakana(unicodedata.normalize("NFKC", kana or ""))
    text = _NFKC_FORM_PATTERN.sub("", _SPACES.sub("", text))
    text = _NFKC_FORM_PATTERN.sub("", text.translate(_FULL_SIZE))
    out: list[str] = []
    for char in text:
        try:
            out.append(to_zengin_kana(char))
        except JapaneseInputError:
            out.append(char)
    return "".join(out)
