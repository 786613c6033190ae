"""The test city's tax collection (財産照会のテストデータ): 市民部 with 納税課 and 税務課, their collectors,
an institution master, delinquent persons and one drafted batch, built through the services.

納税課's collectors hold the 徴税 role limited to their unit: ``collector`` (滞納整理係 主任, granted
on the 係, which stands for its 課) and ``nozei_kacho``; ``nozei_kakaricho`` (係長, the first
approver of the collector's drafts) holds no role, as a newly transferred 係長 might not, so the
tests see an approver on the route who is no collector. ``zeimu_collector`` collects for 税務課.

``delinquent_csv(count)`` writes the tax system's list of ``count`` generated persons as a Shift_JIS
CSV (birth dates in 西暦, 和暦 and era codes, half-width kana now and then, several taxes with their
amounts), as the import takes it; ``cityhall/inquiries/demo/delinquent_sample.csv`` is its 200 rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from types import SimpleNamespace

from cityhall.accounts.models import User
from cityhall.core.japanese import format_wareki, format_wareki_short, to_halfwidth_kana
from cityhall.core.japanese.wareki import era_for
from cityhall.inquiries.demo.persons import ELSEWHERE, FAMILY, GIVEN, TAXES, TOWNS
from cityhall.inquiries.models import (
    Answer,
    InquiryBatch,
    Institution,
    InstitutionKind,
    Letter,
    LetterStatus,
    MatchStatus,
)
from cityhall.inquiries.services.answers import answer_file_import
from cityhall.inquiries.services.batches import BatchTerms, InstitutionChoice, batch_draft
from cityhall.inquiries.services.institutions import InstitutionInput, institution_create
from cityhall.inquiries.services.person_imports import persons_import
from cityhall.inquiries.services.persons import FormerAddressInput, PersonInput, TaxItemInput, person_create
from cityhall.org import services as org_services
from cityhall.org.models import OrgUnit, Role
from cityhall.testing.city import SETUP, SINCE, make_user
from cityhall.testing.tables import csv_bytes


def person_input(number: str, name: str, kana: str, **extra: object) -> PersonInput:
    """A person owing ¥120,000 of 市民税 since 30 June 2024, born 1 May 1980 (unless told otherwise)."""
    values: dict[str, object] = {
        "resident_number": number,
        "name": name,
        "kana": kana,
        "birth_date": dt.date(1980, 5, 1),
        "address": "東京都みどり野市中央一丁目1番1号",
        "delinquent_since": dt.date(2024, 6, 30),
        "area": "中央地区",
        "tax_items": (TaxItemInput("市民税・都民税（普通徴収）", 2024, 120_000, dt.date(2024, 6, 30)),),
    }
    return PersonInput(**(values | extra))  # type: ignore[arg-type]


def _unit(city: SimpleNamespace, **kw: object) -> OrgUnit:
    return org_services.unit_create(actor=SETUP, municipality=city.town, valid_from=dt.date(2000, 4, 1), **kw)  # type: ignore[arg-type]


def _staff(city: SimpleNamespace, username: str, last_name: str, unit: OrgUnit, post: str) -> User:
    user = make_user(username, last_name=last_name)
    org_services.assignment_create(actor=SETUP, user=user, unit=unit, post=city.posts[post], valid_from=SINCE)
    return user


BANKS = (("0001", "東京都"), ("0005", "東京都"), ("0138", "神奈川県"))


def _institution(actor: object, *, kind: str = InstitutionKind.BANK, **data: str) -> Institution:
    return institution_create(actor=actor, data=InstitutionInput(kind=kind, address="東京都千代田区1-1", **data))


def build_inquiries(city: SimpleNamespace) -> SimpleNamespace:
    """納税課 and 税務課 with collectors, five institutions, four persons, a drafted batch, a tried import."""
    shimin = _unit(city, kind="department", code="03", name="市民部")
    nozei = _unit(city, kind="section", code="0301", name="納税課", parent=shimin, symbol="納")
    seiri = _unit(city, kind="subsection", code="030101", name="滞納整理係", parent=nozei)
    zeimu = _unit(city, kind="section", code="0302", name="税務課", parent=shimin, symbol="税")
    nozei_kacho = _staff(city, "nozei_kacho", "納谷", nozei, "kacho")
    kakaricho = _staff(city, "nozei_kakaricho", "滞川", seiri, "kakaricho")
    collector = _staff(city, "collector", "徴田", seiri, "shunin")
    zeimu_collector = _staff(city, "zeimu_collector", "税所", zeimu, "shuji")
    for user, unit in [(collector, seiri), (nozei_kacho, nozei), (zeimu_collector, zeimu)]:
        org_services.role_grant(actor=SETUP, user=user, role=Role.TAX_COLLECTION, valid_from=SINCE, unit=unit)
    banks = {code: _institution(collector, bank_code=code, region=region) for code, region in BANKS}
    post_bank = _institution(collector, kind=InstitutionKind.POST_BANK, name="株式会社ゆうちょ銀行", region="東京都")
    insurer = _institution(collector, kind=InstitutionKind.INSURER, name="みどり生命保険株式会社")
    yamada = person_create(
        actor=collector,
        data=person_input(
            "0000000101", "山田　太郎", "やまだ たろう", former_addresses=(FormerAddressInput("埼玉県所沢市1-2-3"),)
        ),
    )
    suzuki = person_create(
        actor=collector,
        data=person_input(
            "0000000102", "鈴木　花子", "ｽｽﾞｷ ﾊﾅｺ", area="北部地区", delinquent_since=dt.date(2021, 6, 30), amount=None,
            tax_items=(TaxItemInput("固定資産税", 2021, 800_000, dt.date(2021, 4, 30)),),
        ),
    )  # fmt: skip
    sato = person_create(
        actor=collector, data=person_input("0000000103", "佐藤　一郎", "サトウ　イチロウ", area="北部地区")
    )
    other = person_create(actor=zeimu_collector, data=person_input("0000000201", "税所　次郎", "サイショ　ジロウ"))
    person_import = persons_import(  # a dry run: its report, no person stored
        actor=collector, file_name="滞納者一覧.csv", data=delinquent_csv(3), dry_run=True
    )
    batch = batch_draft(  # 山田 and 鈴木 asked of 東京都's banks and ゆうちょ; 鈴木 of the insurer too
        actor=collector,
        person_ids=[yamada.pk, suzuki.pk],
        institutions=InstitutionChoice(region="東京都", per_person={suzuki.pk: [insurer.pk]}),
        terms=BatchTerms(purpose="滞納処分のための財産調査", base_date=dt.date(2025, 3, 31)),
    )
    return SimpleNamespace(
        shimin=shimin, nozei=nozei, seiri=seiri, zeimu=zeimu,
        nozei_kacho=nozei_kacho, kakaricho=kakaricho, collector=collector, zeimu_collector=zeimu_collector,
        banks=banks, post_bank=post_bank, insurer=insurer,
        yamada=yamada, suzuki=suzuki, sato=sato, other=other, batch=batch, person_import=person_import,
    )  # fmt: skip


DELINQUENT_HEADER = (
    "宛名番号", "氏名", "カナ氏名", "生年月日", "住所", "前住所", "滞納税目", "滞納額", "最古納期限", "地区",
)  # fmt: skip
"""The header of ``delinquent_csv``: usual headers of tax systems, found without a column layout."""
_ERA_DIGIT = {"M": "1", "T": "2", "S": "3", "H": "4", "R": "5"}


def _birth_text(day: dt.date, n: int) -> str:
    """The birth date written as tax systems do, a different way for each ``n``."""
    era = era_for(day)
    ways = (
        format_wareki(day),  # 昭和50年4月1日
        f"{era.letter}{era.year_of(day):02d}.{day.month:02d}.{day.day:02d}",  # S50.04.01
        day.strftime("%Y/%m/%d"),
        f"{_ERA_DIGIT[era.letter]}{era.year_of(day):02d}{day.month:02d}{day.day:02d}",  # 3500401
    )
    return ways[n % len(ways)]


def delinquent_row(n: int, rng: random.Random) -> list[str]:
    """The ``n``-th generated row of the tax system's list (宛名番号 20000000nn)."""
    family, given = rng.choice(FAMILY), rng.choice(GIVEN)
    town, area = rng.choice(TOWNS)
    born = dt.date(rng.randint(1940, 2004), rng.randint(1, 12), rng.randint(1, 28))
    kana = f"{family[1]}　{given[1]}"
    taxes = rng.sample(TAXES, rng.randint(1, 2))
    year = rng.randint(2019, 2024)
    amounts = [rng.randint(30, 3000) * 100 for _ in taxes]
    if len(taxes) == 1:
        written = taxes[0][0]
    else:  # several taxes: each with its 年度 and amount
        written = "／".join(
            f"{tax}（{format_wareki_short(dt.date(year, 4, 1))[:3].rstrip('.')}） {amount:,}"
            for (tax, _m, _d), amount in zip(taxes, amounts, strict=True)
        )
    _tax, month, day = taxes[0]
    since = dt.date(year if month >= 4 else year + 1, month, day)
    return [
        f"{2_000_000_000 + n:010d}",
        f"{family[0]}　{given[0]}",
        to_halfwidth_kana(kana) if n % 5 == 0 else kana,
        _birth_text(born, n),
        f"東京都みどり野市{town}{rng.randint(1, 30)}番{rng.randint(1, 20)}号",
        f"{rng.choice(ELSEWHERE)}{rng.randint(1, 9)}丁目{rng.randint(1, 30)}番" if n % 3 == 0 else "",
        written,
        f"{sum(amounts):,}",
        format_wareki(since) if n % 2 else since.isoformat(),
        area,
    ]


def delinquent_csv(count: int, *, encoding: str = "cp932", seed: int = 13, first: int = 1) -> bytes:
    """The tax system's list of ``count`` generated persons as CSV (Shift_JIS unless told), CRLF like Windows."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(DELINQUENT_HEADER)
    writer.writerows(delinquent_row(n, rng) for n in range(first, first + count))
    return out.getvalue().encode(encoding)


def letters_sent(batch: InquiryBatch, *, on: dt.date | None = None) -> list[Letter]:
    """The batch's letters as after its decision and sending: numbered, sent on ``on``, waiting (回答待ち).

    A shortcut of the decision (``services.letters.letters_decided`` on the route) for the answers'
    tests: only what an answer needs is set; the letters' tests and the browser journey decide for real.
    """
    day = on or dt.date.today() - dt.timedelta(days=10)
    letters = list(Letter.objects.filter(batch=batch).order_by("pk"))
    for number, letter in enumerate(letters, start=1):
        letter.number, letter.status, letter.sent_on = number, LetterStatus.SENT, day
        letter.reply_deadline = day + dt.timedelta(days=batch.reply_days)
    Letter.objects.bulk_update(letters, ["number", "status", "sent_on", "reply_deadline"])
    return letters


ANSWER_HEADER = ("カナ氏名", "生年月日", "住所", "回答", "支店名", "預金種目", "口座番号", "残高", "最終取引日")


def answer_rows(*rows: tuple[object, ...]) -> list[tuple[object, ...]]:
    """An answer file's rows under the usual headers (``ANSWER_HEADER``)."""
    return [ANSWER_HEADER, *rows]


def answered(w: SimpleNamespace) -> SimpleNamespace:
    """Letters sent and 0001's answer file taken in: 山田 with two accounts, 鈴木 none, a stranger left open.

    Gives ``letter`` (0001's), ``file`` and ``stranger`` (the row matching nobody: 「ｻﾄｳ ｼﾞﾛｳ」).
    """
    letters_sent(w.batch)
    letter = Letter.objects.get(batch=w.batch, institution=w.banks["0001"])
    rows = answer_rows(
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "1980/05/01", "", "有", "本店", "普通", "1234567", "350000", "2025/03/01"),
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "1980/05/01", "", "有", "新宿支店", "定期", "7654321", "1000000", ""),
        ("ｽｽﾞｷ ﾊﾅｺ", "1980/05/01", "", "無", "", "", "", "", ""),
        ("ｻﾄｳ ｼﾞﾛｳ", "1975/01/01", "", "有", "本店", "普通", "1111111", "5000", ""),
    )
    result = answer_file_import(actor=w.collector, letter=letter, name="回答.csv", data=csv_bytes(rows, "cp932"))
    stranger = Answer.objects.get(answer_file=result.file, match_status=MatchStatus.UNMATCHED)
    return SimpleNamespace(letter=letter, file=result.file, stranger=stranger)
