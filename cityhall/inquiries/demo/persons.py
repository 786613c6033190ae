"""200 delinquent persons for the demo's 納税課 (滞納者), generated from a fixed seed (same city every run)."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from cityhall.accounts.models import User
from cityhall.core.japanese import fiscal_year
from cityhall.inquiries.models import DelinquentPerson
from cityhall.inquiries.services.persons import FormerAddressInput, PersonInput, TaxItemInput, persons_insert
from cityhall.org.models import OrgUnit

COUNT = 200
SEED = 2026_13
FAMILY = (
    ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"),
    ("吉田", "ヨシダ"), ("山田", "ヤマダ"), ("佐々木", "ササキ"), ("山口", "ヤマグチ"), ("松本", "マツモト"),
    ("井上", "イノウエ"), ("木村", "キムラ"), ("林", "ハヤシ"), ("斎藤", "サイトウ"), ("清水", "シミズ"),
    ("山崎", "ヤマザキ"), ("森", "モリ"), ("池田", "イケダ"), ("橋本", "ハシモト"), ("阿部", "アベ"),
    ("石川", "イシカワ"), ("前田", "マエダ"), ("藤田", "フジタ"), ("岡田", "オカダ"), ("後藤", "ゴトウ"),
)  # fmt: skip
GIVEN = (
    ("太郎", "タロウ"), ("一郎", "イチロウ"), ("健太", "ケンタ"), ("大輔", "ダイスケ"), ("翔太", "ショウタ"),
    ("拓也", "タクヤ"), ("直樹", "ナオキ"), ("浩二", "コウジ"), ("誠", "マコト"), ("隆", "タカシ"),
    ("修", "オサム"), ("勇気", "ユウキ"), ("花子", "ハナコ"), ("陽子", "ヨウコ"), ("美咲", "ミサキ"),
    ("恵子", "ケイコ"), ("由美", "ユミ"), ("真由美", "マユミ"), ("智子", "トモコ"), ("裕子", "ユウコ"),
    ("愛", "アイ"), ("彩", "アヤ"), ("千尋", "チヒロ"), ("明美", "アケミ"),
)  # fmt: skip
# town, area (地区)
TOWNS = (
    ("中央", "中央地区"), ("本町", "中央地区"), ("北野", "北部地区"), ("緑が丘", "北部地区"), ("東原", "東部地区"),
    ("若葉町", "東部地区"), ("西原", "西部地区"), ("南台", "南部地区"), ("桜台", "南部地区"),
)  # fmt: skip
ELSEWHERE = ("東京都八王子市", "東京都町田市", "神奈川県相模原市中央区", "埼玉県所沢市", "千葉県松戸市", "東京都府中市")
# tax, month and day of the first due date in its fiscal year (April–March)
TAXES = (
    ("市民税・都民税（普通徴収）", 6, 30),
    ("固定資産税・都市計画税", 4, 30),
    ("軽自動車税（種別割）", 5, 31),
    ("国民健康保険税", 7, 31),
)
KANJI_NUMBERS = "一二三四五"


def _block(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号"


def _address(rng: random.Random) -> tuple[str, str]:
    town, area = rng.choice(TOWNS)
    block = f"{KANJI_NUMBERS[rng.randrange(5)]}丁目" if town != "本町" else ""
    return f"東京都みどり野市{town}{block}{rng.randint(1, 30)}番{rng.randint(1, 20)}号", area


def _tax_items(rng: random.Random, day: dt.date) -> list[TaxItemInput]:
    year = fiscal_year(day)
    items = []
    for tax, month, due_day in rng.sample(TAXES, rng.randint(1, 3)):
        for fy in sorted(rng.sample(range(year - 5, year), rng.randint(1, 3))):
            due = dt.date(fy if month >= 4 else fy + 1, month, due_day)
            if due < day:
                items.append(TaxItemInput(tax=tax, fiscal_year=fy, amount=rng.randint(30, 3000) * 100, due_on=due))
    if not items:  # every person owes something: last year's resident tax
        last = year - 1
        items.append(TaxItemInput(tax=TAXES[0][0], fiscal_year=last, amount=48_000, due_on=dt.date(last, 6, 30)))
    return items


def person_input(n: int, rng: random.Random, day: dt.date) -> PersonInput:
    """The ``n``-th demo person, drawn from ``rng``."""
    family, given = rng.choice(FAMILY), rng.choice(GIVEN)
    address, area = _address(rng)
    moves = rng.choices((0, 1, 2), weights=(6, 3, 1))[0]  # about a third moved here from elsewhere
    former = [FormerAddressInput(f"{rng.choice(ELSEWHERE)}{_block(rng)}") for _ in range(moves)]
    items = _tax_items(rng, day)
    return PersonInput(
        resident_number=f"{1_300_000_000 + n * 7919:010d}",
        name=f"{family[0]}　{given[0]}",
        kana=f"{family[1]}　{given[1]}",
        birth_date=dt.date(rng.randint(1945, 2003), rng.randint(1, 12), rng.randint(1, 28)),
        address=address,
        delinquent_since=min(item.due_on for item in items if item.due_on is not None),
        area=area,
        former_addresses=former,
        tax_items=items,
    )


def seed_persons(user: User, section: OrgUnit, day: dt.date) -> int:
    """Enter the 200 persons unless the section has persons; how many were entered."""
    rows = DelinquentPerson.objects.filter(section=section)
    if rows.exists():
        return 0
    rng = random.Random(SEED)
    with transaction.atomic(durable=True):
        rows_in = [person_input(n, rng, day) for n in range(1, COUNT + 1)]
        persons_insert(actor=user, section=section, rows=rows_in, on=day)
    return rows.count()
