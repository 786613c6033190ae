"""Japanese conventions, one small module each (style: ``core`` imports no domain app).

* ``wareki``: 和暦 era dates, formatting and parsing (japanera for era boundaries).
* ``fiscal``: 年度 (April–March) and 出納整理期間.
* ``business_days``: city (開庁日) and bank (銀行営業日) business days (jpholiday).
* ``kana``: full/half-width kana, search normalisation, 全銀 character set (jaconv).
* ``money``: yen amounts (formatting, and ``parse_yen`` for every input of an amount).

The most used functions are re-exported here, e.g.
``from cityhall.core.japanese import format_wareki, fiscal_year``.
Template filters live in ``cityhall.core.templatetags.japanese``.
"""

from cityhall.core.japanese._common import JapaneseInputError, to_japan_date
from cityhall.core.japanese.business_days import (
    add_business_days,
    business_days_between,
    is_bank_business_day,
    is_city_business_day,
    is_holiday,
    next_bank_business_day,
    previous_bank_business_day,
)
from cityhall.core.japanese.fiscal import (
    closing_period_end,
    fiscal_year,
    fiscal_year_end,
    fiscal_year_label,
    fiscal_year_start,
)
from cityhall.core.japanese.kana import (
    hiragana_to_katakana,
    normalize_for_search,
    to_fullwidth_kana,
    to_halfwidth_kana,
    to_katakana,
    to_zengin_kana,
)
from cityhall.core.japanese.money import format_yen, parse_yen
from cityhall.core.japanese.wareki import (
    era_year,
    format_date,
    format_wareki,
    format_wareki_short,
    format_western,
    parse_wareki,
)

__all__ = [
    "JapaneseInputError",
    "add_business_days",
    "business_days_between",
    "closing_period_end",
    "era_year",
    "fiscal_year",
    "fiscal_year_end",
    "fiscal_year_label",
    "fiscal_year_start",
    "format_date",
    "format_wareki",
    "format_wareki_short",
    "format_western",
    "format_yen",
    "hiragana_to_katakana",
    "is_bank_business_day",
    "is_city_business_day",
    "is_holiday",
    "next_bank_business_day",
    "normalize_for_search",
    "parse_wareki",
    "parse_yen",
    "previous_bank_business_day",
    "to_fullwidth_kana",
    "to_halfwidth_kana",
    "to_japan_date",
    "to_katakana",
    "to_zengin_kana",
]
