"""Normalisation and query parsing (検索用の正規化) without a database."""

from __future__ import annotations

import pytest

from cityhall.core.errors import ValidationFailed
from cityhall.search.backends import fts_columns, fts_query
from cityhall.search.text import MAX_QUERY_CHARS, MAX_QUERY_TERMS, is_blank_query, normalize_text, query_terms


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＡＢＣ", "abc"),
        ("ABC", "abc"),
        ("１２３", "123"),
        ("ｶﾀｶﾅ", "カタカナ"),
        ("ｶﾞｲｼｬ", "ガイシャ"),  # voiced half-width kana become one character
        ("が", "が"),  # decomposed か + combining dakuten composes
        ("①", "1"),
        ("〜", "~"),
        ("−", "-"),
        ("道路\u3000補修", "道路 補修"),  # ideographic space
        ("  道路\n\t補修  ", "道路 補修"),
        ("道\u200b路", "道路"),  # zero-width space removed
        ("道\x00路", "道 路"),  # control characters are spaces (PostgreSQL stores no NUL)
        ("\ue000外字", "\ue000外字"),  # private use (外字) kept
        ("ひらがな", "ひらがな"),  # hiragana is not folded into katakana
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_query_terms_split_on_any_space_and_drop_repeats() -> None:
    assert query_terms(" 道路\u3000補修 道路 ") == ["道路", "補修"]


@pytest.mark.parametrize("blank", ["", "   ", "\u3000", "\u200b", "\n\t"])
def test_blank_query_is_a_japanese_validation_error(blank: str) -> None:
    assert is_blank_query(blank)
    with pytest.raises(ValidationFailed) as info:
        query_terms(blank)
    assert info.value.message == "検索語を入力してください。"
    assert info.value.field == "q"


def test_overlong_query_and_too_many_terms_are_rejected() -> None:
    assert query_terms("あ" * MAX_QUERY_CHARS) == ["あ" * MAX_QUERY_CHARS]
    with pytest.raises(ValidationFailed, match="200文字以内"):
        query_terms("あ" * (MAX_QUERY_CHARS + 1))
    with pytest.raises(ValidationFailed, match="10語以内"):
        query_terms(" ".join(str(i) for i in range(MAX_QUERY_TERMS + 1)))


def test_fts_tokens_are_ascii_hex_with_a_gap_at_spaces() -> None:
    uni, bi, tri = fts_columns("ab c dea")
    assert uni == "00000061 00000062 00000063 00000064 00000065"
    # ab, b_, _c, c_, _d, de, ea: one token per position, spaces give gap tokens
    assert bi.split() == ["0000006100000062", "0", "0", "0", "0", "0000006400000065", "0000006500000061"]
    # 3-grams of each segment ("ab" and "c" have none), one gap between segments
    assert tri.split() == ["0", "0", "000000640000006500000061"]
    assert fts_query(["a", "ab"]) == 'uni : "00000061" AND bi : "0000006100000062"'
    assert fts_query(["abcd"]) == 'tri : "000000610000006200000063 000000620000006300000064"'
    assert fts_columns("") == ("", "", "")
