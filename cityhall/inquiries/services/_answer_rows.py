"""The fields of an institution's answer file (回答ファイルの項目) and how one cell of each is read.

Read with core's ``read_rows`` (CSV in UTF-8 or Shift_JIS, or Excel), each field found by the
institution's layout (``AnswerLayout``) or under its usual headers. One row is one answer about
one person: the person as the institution wrote them (kana and birth date required, name and
address if given), whether assets were found (「有」「無」…; without the column, a row naming an
account or policy is 「財産あり」), and the asset of the row (branch, type, number, balance, last
transaction; for insurers the policy and surrender value). A person with several accounts has
several rows.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import partial

from django.utils.translation import gettext_noop as _

from cityhall.core.tables import Field, Row, cells
from cityhall.core.tables.cells import CellProblem, shown
from cityhall.inquiries.models import AccountType, AnswerResult
from cityhall.inquiries.models.persons import OLDEST_BIRTH_DATE

LABEL = _("回答ファイル")
_FOUND = {"有", "有り", "あり", "1", "○", "〇", "該当", "該当あり", "取引あり", "財産あり", "口座あり"}
_NONE = {"無", "無し", "なし", "0", "×", "-", "該当なし", "非該当", "取引なし", "財産なし", "口座なし"}
_TYPES = {
    "普通": AccountType.ORDINARY,
    "普通預金": AccountType.ORDINARY,
    "総合口座": AccountType.ORDINARY,
    "1": AccountType.ORDINARY,
    "当座": AccountType.CURRENT,
    "当座預金": AccountType.CURRENT,
    "2": AccountType.CURRENT,
    "定期": AccountType.TIME,
    "定期預金": AccountType.TIME,
    "3": AccountType.TIME,
    "貯蓄": AccountType.SAVINGS,
    "貯蓄預金": AccountType.SAVINGS,
    "4": AccountType.SAVINGS,
    "通常貯金": AccountType.POST_ORDINARY,
    "通常": AccountType.POST_ORDINARY,
    "定額貯金": AccountType.POST_FIXED,
    "定額": AccountType.POST_FIXED,
    "その他": AccountType.OTHER,
    "9": AccountType.OTHER,
}
ASSET_FIELDS = (
    "branch_name",
    "branch_code",
    "account_type",
    "account_number",
    "balance",
    "last_transaction_on",
    "policy_number",
    "surrender_value",
)


def _plain(value: object) -> str:
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


def result(value: object) -> str | None:
    """「有」「あり」「1」 → 財産あり; 「無」「なし」「0」「該当なし」 → 該当なし."""
    text = cells.code(value)
    if text is None:
        return None
    plain = _plain(text)
    if plain in _FOUND:
        return AnswerResult.FOUND
    if plain in _NONE:
        return AnswerResult.NONE
    raise CellProblem(f"回答として読めません（{shown(value)}）。「有」か「無」で書いてください。")


def account_type(value: object) -> str | None:
    """預金種目 by name (「普通」「定額貯金」) or 全銀 code (1 普通, 2 当座, 4 貯蓄, 9 その他)."""
    text = cells.code(value)
    if text is None:
        return None
    found = _TYPES.get(_plain(text))
    if found is None:
        raise CellProblem(f"預金種目として読めません（{shown(value)}）。「普通」「当座」「定期」などで書いてください。")
    return found


def kana(value: object) -> str | None:
    """A name in kana as written (half-width, hiragana and spaces are matched alike)."""
    return cells.text(value, max_length=100)


def _short(value: object, *, max_length: int) -> str | None:
    return cells.text(value, max_length=max_length)


_day = partial(cells.day, formats=(*cells.DEFAULT_DATE_FORMATS, "compact"))

FIELDS: tuple[Field, ...] = (
    Field("kana", _("フリガナ"), kana, True, ("カナ氏名", "氏名カナ", "カナ", "氏名（カナ）"), "ﾔﾏﾀﾞ ﾀﾛｳ"),
    Field("birth_date", _("生年月日"), _day, True, ("生年月日（西暦）", "誕生日"), "1980/05/01"),
    Field("name", _("氏名"), partial(_short, max_length=100), False, ("氏名（漢字）", "名義人"), "山田　太郎"),
    Field(
        "address",
        _("住所"),
        partial(_short, max_length=300),
        False,
        ("届出住所", "現住所"),
        "東京都みどり野市中央1-1-1",
    ),
    Field("result", _("回答"), result, False, ("有無", "該当有無", "取引の有無", "結果"), "有"),
    Field("branch_name", _("支店名"), partial(_short, max_length=100), False, ("店名", "取扱店", "取扱店名"), "本店"),
    Field("branch_code", _("支店番号"), cells.code, False, ("店番", "支店コード", "店番号", "記号"), "001"),
    Field("account_type", _("預金種目"), account_type, False, ("種目", "口座種別", "預金種類"), "普通"),
    Field("account_number", _("口座番号"), cells.code, False, ("口座", "番号"), "1234567"),
    Field("balance", _("残高"), cells.yen, False, ("預金残高", "貯金残高", "基準日残高"), "123456"),
    Field("last_transaction_on", _("最終取引日"), _day, False, ("最終取引年月日", "最終異動日"), "2025/03/01"),
    Field("policy_number", _("証券番号"), cells.code, False, ("保険証券番号",), ""),
    Field("surrender_value", _("解約返戻金"), cells.yen, False, ("解約返戻金額",), ""),
    Field("note", _("備考"), partial(_short, max_length=300), False, ("摘要",), ""),
)


def has_asset(row: Row) -> bool:
    """Whether the row names an asset (an account or a policy)."""
    return bool(row["account_number"] or row["policy_number"])


def check_row(row: Row, *, day: dt.date) -> str | None:
    """The row's answer (財産あり・該当なし), with reasons put on the row for what contradicts itself."""
    if row["birth_date"] is not None and not OLDEST_BIRTH_DATE <= row["birth_date"] <= day:
        born = row["birth_date"]
        row.refuse("birth_date", f"生年月日「{born.year}年{born.month}月{born.day}日」はありえない日付です。")
    for name, label in (("balance", "残高"), ("surrender_value", "解約返戻金")):
        if row[name] is not None and row[name] < 0:
            row.refuse(name, f"{label}がマイナスです（{row[name]:,}円）。")
    if row["last_transaction_on"] is not None and row["last_transaction_on"] > day:
        row.refuse("last_transaction_on", "最終取引日が将来の日付です。")
    answer = row["result"] or (AnswerResult.FOUND if has_asset(row) else AnswerResult.NONE)
    if answer == AnswerResult.FOUND and not has_asset(row):
        row.refuse("account_number", "回答が「有」ですが、口座番号（保険は証券番号）がありません。")
    if answer == AnswerResult.NONE and any(row[name] not in (None, "") for name in ASSET_FIELDS):
        row.refuse("result", "回答が「無」ですが、口座などの項目が書かれています。")
    return answer
