"""Synthetic municipal Japanese text (模擬文書) for the search tests and benchmark.

Titles such as 「令和8年度 道路補修工事の契約について」 and bodies of about 400
characters built from word lists: kanji, hiragana, katakana, some half-width
kana (ｶﾅ), full-width and half-width Latin letters and digits, amounts, dates
and punctuation, the mix that real 起案文書 carry. Deterministic for a seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import NamedTuple

SECTIONS = [
    "総務課",
    "秘書広報課",
    "財政課",
    "契約課",
    "税務課",
    "市民課",
    "福祉総務課",
    "子育て支援課",
    "健康推進課",
    "環境課",
    "道路課",
    "下水道課",
    "都市計画課",
    "学校教育課",
    "生涯学習課",
    "防災危機管理課",
    "情報政策課",
    "会計課",
]
SUBJECTS = [
    "道路補修工事",
    "庁舎清掃業務委託",
    "学校給食調理業務",
    "防災訓練",
    "公園遊具点検",
    "下水道管更生工事",
    "住民票コンビニ交付",
    "ごみ収集運搬業務",
    "乳幼児健康診査",
    "児童館運営",
    "市民課窓口システム",
    "ネットワーク機器更新",
    "LED照明器具賃貸借",
    "コピー機リース",
    "ﾊﾟｿｺﾝ購入",
    "ＧＩＧＡスクール端末",
    "広報きよせ印刷",
    "選挙ポスター掲示場設置",
    "消防団員報酬",
    "図書館資料購入",
    "道路台帳整備",
    "橋りょう長寿命化修繕",
    "補助金交付",
    "会議録作成業務",
]
ENDINGS = [
    "の契約について",
    "の実施について",
    "に係る支出負担行為について",
    "の執行について",
    "の結果について(報告)",
    "に関する協議について",
    "の変更契約について",
    "について(伺い)",
    "の入札について",
    "に係る予算流用について",
]
PLACES = ["清瀬市", "中央町一丁目", "旭が丘二丁目", "梅園三丁目", "松山地区", "野塩地区", "市役所本庁舎", "第三小学校"]
COMPANIES = ["株式会社清瀬建設", "有限会社みどり造園", "ｶﾌﾞｼｷｶﾞｲｼｬ ｻﾝﾌﾟﾙ", "(株)東都システム", "ＡＢＣ商事株式会社"]
SENTENCES = [
    "標記の件について、下記のとおり{subject}を実施したいので伺います。",
    "{place}において{subject}を行う必要があるため、{company}と契約を締結してよろしいか伺います。",
    "契約金額は金{amount}円(消費税及び地方消費税を含む。)とします。",
    "履行期間は令和{year}年{month}月{day}日から令和{year2}年3月31日までとします。",
    "予算科目は{section}所管の一般会計{code}款{code2}項とし、予算残額は十分にあります。",
    "なお、本件は事務決裁規程により課長専決事項です。",
    "入札の結果、{company}が最低価格で落札しました。予定価格は{amount}円です。",
    "別添の仕様書、見積書及び位置図をご確認ください。",
    "市民からの要望を受け、{place}の現地調査を令和{year}年{month}月に実施しました。",
    "担当:{section} 内線{code}{code2}、メール: kiyose-{code}@example.lg.jp",
    "個人情報を含むため、取扱いには十分注意してください。",
    "ああああ、これは繰り返しの確認です。ーーー",
    "第{code}回協議会の議事録を添付します(資料No.{code2})。",
]


class CorpusItem(NamedTuple):
    """One generated item: key, title and body (and attachment text, usually empty)."""

    key: int
    title: str
    body: str
    extra_text: str


def _sentence(rng: random.Random, section: str, subject: str) -> str:
    template = rng.choice(SENTENCES)
    return template.format(
        subject=subject,
        section=section,
        place=rng.choice(PLACES),
        company=rng.choice(COMPANIES),
        amount=f"{rng.randint(10, 99_999) * 1000:,}",
        year=rng.randint(1, 9),
        year2=rng.randint(1, 9),
        month=rng.randint(1, 12),
        day=rng.randint(1, 28),
        code=rng.randint(1, 99),
        code2=rng.randint(1, 9),
    )


def make_item(rng: random.Random, key: int, *, body_chars: int = 380) -> CorpusItem:
    """One item of realistic municipal text of roughly ``body_chars`` characters of body."""
    section = rng.choice(SECTIONS)
    subject = rng.choice(SUBJECTS)
    title = f"令和{rng.randint(1, 9)}年度 {subject}{rng.choice(ENDINGS)}"
    parts: list[str] = []
    length = 0
    while length < body_chars:
        sentence = _sentence(rng, section, subject)
        parts.append(sentence)
        length += len(sentence)
        if rng.random() < 0.15:
            parts.append("\n")
    return CorpusItem(key, title, "".join(parts), "")


def generate(count: int, *, seed: int = 8, start_key: int = 1) -> Iterator[CorpusItem]:
    """``count`` items with keys ``start_key`` onwards."""
    rng = random.Random(seed)
    for key in range(start_key, start_key + count):
        yield make_item(rng, key)
