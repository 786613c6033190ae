"""かな: width conversions, voiced marks, search key and the 全銀 character set."""

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese.kana import (
    ZENGIN_ALLOWED,
    hiragana_to_katakana,
    katakana_to_hiragana,
    normalize_for_search,
    to_fullwidth_alnum,
    to_fullwidth_kana,
    to_halfwidth_alnum,
    to_halfwidth_kana,
    to_zengin_kana,
)

FULL_KATAKANA = (
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
    "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴァィゥェォャュョッー"
)


def test_voiced_marks_split_and_join():
    assert to_halfwidth_kana("ガ") == "ｶﾞ"
    assert to_fullwidth_kana("ｶﾞ") == "ガ"
    assert to_halfwidth_kana("パピプペポ") == "ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ"
    assert to_fullwidth_kana("ｳﾞｧｲｵﾘﾝ") == "ヴァイオリン"


def test_kana_conversion_leaves_ascii_digits_hiragana_and_kanji_alone():
    assert to_halfwidth_kana("山田タロウ ＡＢＣ１２３ ひらがな") == "山田ﾀﾛｳ ＡＢＣ１２３ ひらがな"
    assert to_fullwidth_kana("ﾔﾏﾀﾞ ABC123") == "ヤマダ ABC123"


def test_alnum_conversion_leaves_kana_alone():
    assert to_halfwidth_alnum("ＡＢＣ　１２３－ガ") == "ABC 123-ガ"
    assert to_fullwidth_alnum("ABC 123-ｶﾞ") == "ＡＢＣ　１２３－ｶﾞ"


def test_hiragana_katakana():
    assert hiragana_to_katakana("やまだ たろう") == "ヤマダ タロウ"
    assert katakana_to_hiragana("ヤマダ タロウ") == "やまだ たろう"


@hypothesis_settings(deadline=None)  # wall-clock limits are not what these tests check
@given(st.text(alphabet=FULL_KATAKANA, max_size=30))
def test_full_to_half_to_full_round_trip(text):
    assert to_fullwidth_kana(to_halfwidth_kana(text)) == text


@hypothesis_settings(deadline=None)  # wall-clock limits are not what these tests check
@given(st.text(alphabet=FULL_KATAKANA.replace("ヴ", "").replace("ー", ""), max_size=30))
def test_katakana_hiragana_round_trip(text):
    assert hiragana_to_katakana(katakana_to_hiragana(text)) == text


def test_normalize_for_search():
    assert normalize_for_search("  ﾔﾏﾀﾞ　ＴＡＲＯ　１２３  ") == "ヤマダ taro 123"
    assert normalize_for_search("やまだ") == "やまだ"  # hiragana kept
    assert normalize_for_search("カ\u3099") == "ガ"  # combining voiced mark composed
    assert normalize_for_search("税務課") == "税務課"


@hypothesis_settings(deadline=None)  # wall-clock limits are not what these tests check
@given(st.text(max_size=30))
def test_normalize_for_search_is_idempotent(text):
    once = normalize_for_search(text)
    assert normalize_for_search(once) == once


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ｼｮｳｼﾞ", "ｼﾖｳｼﾞ"),
        ("しょうじ", "ｼﾖｳｼﾞ"),
        ("ショウジ", "ｼﾖｳｼﾞ"),
        ("ヤマダ　タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ"),
        ("ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ", "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"),
        ("ﾊﾟﾝ.(ｶ)/", "ﾊﾟﾝ.(ｶ)/"),
        ("abc-123", "ABC-123"),
        ("ＡＢＣ１２３", "ABC123"),
        ("ヴィクトリア", "ｳﾞｲｸﾄﾘｱ"),
        ("キッテ", "ｷﾂﾃ"),
        ("", ""),
    ],
)
def test_to_zengin_kana(text, expected):
    assert to_zengin_kana(text) == expected


@pytest.mark.parametrize(
    ("text", "char", "position"),
    [
        ("コーヒー", "ー", 2),
        ("ｺｰﾋｰ", "ｰ", 2),
        ("ﾔﾏﾀﾞ,ﾀﾛｳ", ",", 5),
        ("山田", "山", 1),
        ("ﾔﾏﾀﾞ･ﾀﾛｳ", "･", 5),
        ("A_B", "_", 2),
    ],
)
def test_to_zengin_kana_names_the_offending_character(text, char, position):
    with pytest.raises(ValidationFailed) as caught:
        to_zengin_kana(text, field="holder_kana")
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.field == "holder_kana"
    assert error.extra == {"character": char, "position": position}
    assert f"{position}文字目の「{char}」" in error.message


@hypothesis_settings(deadline=None)  # wall-clock limits are not what these tests check
@given(st.text(alphabet=FULL_KATAKANA.replace("ー", "") + "ぁあがぱゃっ ＡＢａｂ０９()-./", max_size=40))
def test_zengin_output_uses_only_allowed_characters(text):
    assert set(to_zengin_kana(text)) <= ZENGIN_ALLOWED
