"""Bank/branch look-up against zengin-code and 口座名義カナ normalisation."""

from __future__ import annotations

import pytest

from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese.kana import ZENGIN_ALLOWED
from cityhall.finance.banks import Bank, Branch, bank, branch, normalize_holder_name


def test_bank_and_branch_are_found_with_half_width_kana():
    assert bank("0001") == Bank(code="0001", name="みずほ", kana_halfwidth="ﾐｽﾞﾎ")
    assert branch("0001", "001") == Branch(bank_code="0001", code="001", name="東京営業部", kana_halfwidth="ﾄｳｷﾖｳ")
    assert bank("９９００").code == "9900"  # full-width digits are accepted (ゆうちょ銀行)


def test_package_long_vowel_written_as_hyphen_is_kept_in_the_zengin_set():
    # zengin-code writes the long vowel as a full-width hyphen-minus (－), which the file allows as "-".
    from zengin_code import Bank as PackageBank

    for code, package_bank in list(PackageBank.all.items())[:200]:
        for branch_code, package_branch in package_bank.branches.items():
            kana = branch(code, branch_code).kana_halfwidth
            assert all(c in ZENGIN_ALLOWED for c in kana), (code, branch_code, package_branch.kana)


def test_unknown_bank_and_branch_are_named():
    with pytest.raises(ValidationFailed) as caught:
        bank("9998")
    assert caught.value.message == "銀行コード 9998 は存在しません。"
    assert caught.value.field == "bank_code"
    with pytest.raises(ValidationFailed) as caught:
        branch("0001", "999")
    assert caught.value.message == "銀行コード 0001 の支店コード 999 は存在しません。"
    assert caught.value.field == "branch_code"
    with pytest.raises(ValidationFailed) as caught:
        branch("9998", "001")
    assert "銀行コード 9998" in caught.value.message


@pytest.mark.parametrize(("value", "lookup"), [("01", bank), ("00012", bank), ("abcd", bank)])
def test_malformed_bank_codes(value, lookup):
    with pytest.raises(ValidationFailed, match="銀行コードは4桁の数字"):
        lookup(value)


def test_malformed_branch_code():
    with pytest.raises(ValidationFailed, match="支店コードは3桁の数字"):
        branch("0001", "1")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ヤマダ タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ"),
        ("やまだ　たろう", "ﾔﾏﾀﾞ ﾀﾛｳ"),
        ("ショウジ", "ｼﾖｳｼﾞ"),  # small kana written full-size
        ("ｼｮｳｼﾞ", "ｼﾖｳｼﾞ"),
        ("株式会社ヤマダ", "ｶ)ﾔﾏﾀﾞ"),  # form before the name
        ("ヤマダ株式会社", "ﾔﾏﾀﾞ(ｶ"),  # form after the name
        ("ヤマダ株式会社トウキョウシテン", "ﾔﾏﾀﾞ(ｶ)ﾄｳｷﾖｳｼﾃﾝ"),  # in the middle
        ("株式会社 ヤマダ", "ｶ)ﾔﾏﾀﾞ"),
        ("㈱ヤマダ", "ｶ)ﾔﾏﾀﾞ"),
        ("（有）ヤマダ", "ﾕ)ﾔﾏﾀﾞ"),
        ("ヤマダ有限会社", "ﾔﾏﾀﾞ(ﾕ"),
        ("合同会社ヤマダ", "ﾄﾞ)ﾔﾏﾀﾞ"),
        ("カブシキガイシャ ヤマダ", "ｶ)ﾔﾏﾀﾞ"),
        ("一般社団法人ミドリ", "ｼﾔ)ﾐﾄﾞﾘ"),
        ("社会福祉法人ミドリカイ", "ﾌｸ)ﾐﾄﾞﾘｶｲ"),
        ("医療法人社団ミドリ", "ｲ)ﾐﾄﾞﾘ"),
        ("ｶ)ﾔﾏﾀﾞ", "ｶ)ﾔﾏﾀﾞ"),  # already in bank form: unchanged
        ("ABC.CO", "ABC.CO"),
        ("ａｂｃ", "ABC"),
    ],
)
def test_holder_names_are_normalised(raw, expected):
    assert normalize_holder_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "char", "position", "hint"),
    [
        ("ヤマダ商事", "商", 4, ""),
        ("スーパー", "ー", 2, "長音記号"),
        ("ｽｰﾊﾟｰ", "ｰ", 2, "長音記号"),
        ("ヤマダ,タロウ", ",", 4, "カンマ"),
        ("㈱山田", "山", 2, ""),  # position in what the user typed, not in the expanded text
        ("株式会社ヤマダ＆コ", "＆", 8, ""),
    ],
)
def test_disallowed_characters_are_named_with_their_position(raw, char, position, hint):
    with pytest.raises(ValidationFailed) as caught:
        normalize_holder_name(raw, field="holder")
    error = caught.value
    assert error.field == "holder"
    assert error.extra == {"character": char, "position": position}
    assert f"口座名義の{position}文字目の「{char}」" in error.message
    assert hint in error.message


def test_empty_form_only_and_too_long_names_are_rejected():
    with pytest.raises(ValidationFailed, match="口座名義を入力"):
        normalize_holder_name("  ")
    with pytest.raises(ValidationFailed, match="法人の種類しかありません"):
        normalize_holder_name("株式会社")
    with pytest.raises(ValidationFailed, match="30文字"):
        normalize_holder_name("ア" * 31)
    assert normalize_holder_name("ア" * 30) == "ｱ" * 30


@pytest.mark.parametrize(
    ("half", "full", "expected"),
    [
        ("ｶﾌﾞｼｷｶﾞｲｼｬ ﾔﾏﾀﾞ", "カブシキガイシャ ヤマダ", "ｶ)ﾔﾏﾀﾞ"),  # 株式会社 before the name
        ("ﾔﾏﾀﾞ ｶﾌﾞｼｷｶﾞｲｼｬ", "ヤマダ カブシキガイシャ", "ﾔﾏﾀﾞ(ｶ"),  # after the name
        ("ﾔﾏﾀﾞｶﾌﾞｼｷｶｲｼｬﾄｳｷｮｳ", "ヤマダカブシキカイシャトウキョウ", "ﾔﾏﾀﾞ(ｶ)ﾄｳｷﾖｳ"),  # in the middle
        ("ﾕｳｹﾞﾝｶﾞｲｼｬ ﾐﾄﾞﾘ", "ユウゲンガイシャ ミドリ", "ﾕ)ﾐﾄﾞﾘ"),  # 有限会社
        ("ﾐﾄﾞﾘﾕｳｹﾞﾝｶｲｼｬ", "ミドリユウゲンカイシャ", "ﾐﾄﾞﾘ(ﾕ"),
        ("ｺﾞｳﾄﾞｳｶﾞｲｼｬ ﾐﾄﾞﾘ", "ゴウドウガイシャ ミドリ", "ﾄﾞ)ﾐﾄﾞﾘ"),  # 合同会社
        ("ﾐﾄﾞﾘ ｺﾞｳﾄﾞｳｶﾞｲｼｬ", "ミドリ ゴウドウガイシャ", "ﾐﾄﾞﾘ(ﾄﾞ"),
    ],
)
def test_half_width_legal_forms_are_abbreviated_like_full_width(half, full, expected):
    assert normalize_holder_name(half) == expected
    assert normalize_holder_name(full) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ｶﾌﾞｼｷｶﾞｲｼﾔ ﾔﾏﾀﾞ", "ｶ)ﾔﾏﾀﾞ"),  # small kana already written full-size, as in the 全銀 set
        ("カブシキガイシヤヤマダ", "ｶ)ﾔﾏﾀﾞ"),
        ("ﾐﾄﾞﾘ ﾕｳｹﾞﾝｶﾞｲｼﾔ", "ﾐﾄﾞﾘ(ﾕ"),
        ("(株)ﾔﾏﾀﾞ", "ｶ)ﾔﾏﾀﾞ"),  # a kanji short form beside half-width kana
        ("ﾔﾏﾀﾞ㈲", "ﾔﾏﾀﾞ(ﾕ"),
        ("ｳﾞｧｲｵﾘﾝ ｼｮｳｼﾞ", "ｳﾞｱｲｵﾘﾝ ｼﾖｳｼﾞ"),  # voiced half-width letters survive the widening
    ],
)
def test_half_width_and_zengin_written_forms(raw, expected):
    assert normalize_holder_name(raw) == expected


def test_half_width_errors_still_name_the_typed_position():
    with pytest.raises(ValidationFailed) as caught:
        normalize_holder_name("ｶﾞｶﾞ商事")  # ｶﾞ is two characters as typed
    assert caught.value.extra == {"character": "商", "position": 5}
    with pytest.raises(ValidationFailed, match="法人の種類しかありません"):
        normalize_holder_name("ｶﾌﾞｼｷｶﾞｲｼｬ")
