"""The tax system's list of delinquent persons read into rows (滞納者一覧の読み取り), before the database.

The fields a row has (``FIELDS``, core's ``Field``: Japanese label, usual headers of tax systems'
exports, the cell reader) and what a read row becomes (``person_of``: a ``PersonInput``, or reasons on
the row). One row is one person:

* 生年月日 in 西暦 or 和暦 as tax systems write them: 「1975/04/01」「19750401」「昭和50年4月1日」
  「S50.04.01」, and the seven digits of an era code (元号コード 1明治 2大正 3昭和 4平成 5令和:
  「3500401」, or 「S500401」); a day that does not exist (2月30日) is refused;
* 滞納税目: one tax takes the whole 滞納額 and the oldest due date; several, separated by 「、」「／」
  or line breaks, each need their amount (「市民税 50,000／固定資産税 70,000」), and may name their 年度
  in brackets (「固定資産税（R4） 70,000」); a 年度 not written is the 年度 column's, else the oldest
  due date's;
* 旧住所 and 旧住所2: one address each, or several separated by line breaks or 「／」, newest first;
* a 宛名番号 twice in the file refuses the later row, naming the first.

Nothing here touches the database; the services check what the model demands (``persons``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import partial

from django.utils.translation import gettext_noop as _

from cityhall.core.japanese import fiscal_year
from cityhall.core.tables import Field, Row, cells, is_blank
from cityhall.inquiries.services.persons import FormerAddressInput, PersonInput, TaxItemInput

DATE_FORMATS = ("iso", "slash", "kanji", "wareki", "compact")
_ERA_CODES = {"1": "M", "2": "T", "3": "S", "4": "H", "5": "R"}
_ERA_DIGITS = re.compile(r"([1-5MTSHR])([0-9]{2})([0-9]{2})([0-9]{2})")
_TAX_SEPARATORS = re.compile(r"[、／/;；\n]+")
_ADDRESS_SEPARATORS = re.compile(r"[／\n]+")
_CODE_SEPARATORS = re.compile(r"[\s、,／/]+")
_AMOUNT_AT_END = re.compile(r"[\s\u3000:：]+([-▲△]?[0-9０-９][0-9０-９,，]*円?)$")
_YEAR_AT_END = re.compile(r"[（(]([^（）()]+)[）)]$")
TAX_MAX, ADDRESS_MAX = 40, 300
FIRST_TAX_YEAR, LAST_TAX_YEAR = 1989, 2200


def birth_day(value: object) -> dt.date | None:
    """A birth date in 西暦 or 和暦, era code 「3500401」 included; None when empty."""
    if is_blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        value = str(int(value))  # an Excel number holding 19750401 or 3500401
    if isinstance(value, str):
        written = re.sub(r"\s", "", unicodedata.normalize("NFKC", value)).upper()
        match = _ERA_DIGITS.fullmatch(written)
        if match:
            era, year, month, day = match.groups()
            value = f"{_ERA_CODES.get(era, era)}{year}.{month}.{day}"
    return cells.day(value, DATE_FORMATS)


def addresses(value: object) -> list[str] | None:
    """One or more former addresses (newest first), separated by line breaks or 「／」; None when empty."""
    written = cells.text(value, multiline=True, max_length=ADDRESS_MAX * 5)
    if written is None:
        return None
    found = [part.strip() for part in _ADDRESS_SEPARATORS.split(written) if part.strip()]
    for part in found:
        if len(part) > ADDRESS_MAX:
            raise cells.CellProblem(f"住所が{ADDRESS_MAX}文字を超えています（{len(part)}文字）。")
    return found or None


def bank_codes(value: object) -> tuple[str, ...] | None:
    """銀行コード separated by spaces, 「、」 or 「／」 (each four digits; whether it exists the service checks)."""
    written = cells.text(value, max_length=200)
    if written is None:
        return None
    codes = tuple(part for part in _CODE_SEPARATORS.split(unicodedata.normalize("NFKC", written)) if part)
    for code in codes:
        if not (len(code) == 4 and code.isascii() and code.isdigit()):
            raise cells.CellProblem(f"銀行コード「{code}」は4桁の数字ではありません。")
    return codes or None


FIELDS = (
    Field(
        "resident_number", _("宛名番号"), cells.code, True,
        ("宛名コード", "宛名No", "宛名NO", "納税義務者番号", "納税者番号", "個人番号（宛名）"), "0001234567",
    ),
    Field("name", _("氏名"), cells.text, True, ("漢字氏名", "氏名漢字", "納税者氏名", "滞納者氏名"), "山田　太郎"),
    Field(
        "kana", _("フリガナ"), cells.text, True,
        ("カナ氏名", "氏名カナ", "氏名（カナ）", "フリガナ氏名", "氏名フリガナ", "カナ"), "ヤマダ　タロウ",
    ),
    Field("birth_date", _("生年月日"), birth_day, True, ("生年月日（和暦）", "生年月日（西暦）"), "昭和50年4月1日"),
    Field(
        "address", _("住所"), partial(cells.text, max_length=ADDRESS_MAX), True,
        ("現住所", "住所（現住所）", "住所地"), "東京都みどり野市中央一丁目1番1号",
    ),
    Field("former_address", _("旧住所"), addresses, False, ("前住所", "旧住所1", "転入前住所"), "埼玉県所沢市1-2-3"),
    Field("former_address_2", _("旧住所2"), addresses, False, ("前々住所",), ""),
    Field("amount", _("滞納額"), cells.yen, False, ("滞納額合計", "滞納金額", "未納額", "滞納税額"), "120,000"),
    Field(
        "taxes", _("滞納税目"), partial(cells.text, multiline=True, max_length=1_000), False,
        ("税目", "滞納税目名"), "市民税・都民税（普通徴収）",
    ),
    Field("fiscal_year", _("年度"), cells.fiscal_year, False, ("課税年度", "賦課年度", "最古年度"), "令和5年度"),
    Field(
        "delinquent_since", _("最も古い納期限"), partial(cells.day, formats=DATE_FORMATS), True,
        ("最古納期限", "最古の納期限", "納期限"), "令和5年6月30日",
    ),
    Field("area", _("地区"), cells.text, False, ("地区名", "担当地区"), "中央地区"),
    Field(
        "payment_banks", _("納付金融機関"), bank_codes, False,
        ("振替金融機関", "口座振替金融機関", "納付金融機関コード", "引落金融機関"), "0001 0005",
    ),
)  # fmt: skip
"""The fields of a row of the tax system's list, in the order the screens show them."""


def _tax_part(part: str) -> tuple[str, int | None, int | None]:
    """「固定資産税（R4） 70,000」 → (税目, 年度, 金額); 年度 and 金額 None when not written."""
    amount = year = None
    found = _AMOUNT_AT_END.search(part)
    if found:
        try:
            amount = cells.yen(found.group(1))
            part = part[: found.start()]
        except cells.CellProblem:
            amount = None
    found = _YEAR_AT_END.search(part)
    if found:
        try:
            year = cells.fiscal_year(found.group(1))
            part = part[: found.start()]
        except cells.CellProblem:
            year = None  # 「（普通徴収）」 is part of the tax's name
    return part.strip(), year, amount


def _tax_items(row: Row) -> list[TaxItemInput]:
    """The row's tax items; reasons put on the row for what cannot be one."""
    written = row["taxes"]
    if not written:
        return []
    parts = [_tax_part(p.strip()) for p in _TAX_SEPARATORS.split(written) if p.strip()]
    since: dt.date = row["delinquent_since"]
    default_year = row["fiscal_year"] or fiscal_year(since)
    if len(parts) > 1 and any(amount is None for _tax, _year, amount in parts):
        row.refuse(
            "taxes",
            "滞納税目が複数あるときは、税目ごとに金額を書いてください（「市民税 50,000／固定資産税 70,000」）。",
        )
        return []
    items = []
    for tax, year, amount in parts:
        if not tax or len(tax) > TAX_MAX:
            row.refuse("taxes", f"税目「{tax}」は1〜{TAX_MAX}文字で書いてください。")
            continue
        year = year or default_year
        if not FIRST_TAX_YEAR <= year <= LAST_TAX_YEAR:
            row.refuse("taxes", f"{tax}の年度（{year}年度）は{FIRST_TAX_YEAR}年度以降にしてください。")
            continue
        if amount is None:  # one tax: the whole amount owed, due since the oldest date
            if row["amount"] is None:
                row.refuse("amount", "空欄です。滞納額が必要です。")
                continue
            items.append(TaxItemInput(tax, year, row["amount"], since))
        else:
            items.append(TaxItemInput(tax, year, amount, since if len(parts) == 1 else None))
    return items


def person_of(row: Row) -> PersonInput | None:
    """The row as a person to store, or None when it has reasons (those found here put on it)."""
    if row.reasons:
        return None
    items = _tax_items(row)
    if not row.reasons and row["amount"] is None and not items:
        row.refuse("amount", "空欄です。滞納額（または税目ごとの金額）が必要です。")
    if row.reasons:
        return None
    former = [*(row["former_address"] or ()), *(row["former_address_2"] or ())]
    return PersonInput(
        resident_number=row["resident_number"],
        name=row["name"],
        kana=row["kana"],
        birth_date=row["birth_date"],
        address=row["address"],
        delinquent_since=row["delinquent_since"],
        amount=row["amount"],
        area=row["area"] or "",
        payment_banks=row["payment_banks"] or (),
        former_addresses=[FormerAddressInput(a) for a in former],
        tax_items=items,
    )


def people_of(rows: list[Row]) -> list[tuple[Row, PersonInput]]:
    """The rows that are persons to store, each 宛名番号 once (a later row repeating one is refused)."""
    first: dict[str, int] = {}
    found = []
    for row in rows:
        number = row["resident_number"]
        if number is not None and number in first:
            row.refuse("resident_number", f"宛名番号 {number} が{first[number]}行目と重複しています。")
        elif number is not None:
            first[number] = row.number
        person = person_of(row)
        if person is not None:
            found.append((row, person))
    return found
