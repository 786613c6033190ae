"""A year of encumbrances (支出負担行為) in the demo city, in every state, through the real services.

Every section with a member of staff to draft spends from the lines allotted to
it: decided encumbrances spread over the year, and lately some still in
circulation, sent back, refused (却下), withdrawn or only drafted. One decided encumbrance is
cancelled (取消) and one amended (減額). 企画政策課's line (demo-drafter →
demo-kakaricho → demo-kacho) gets a fixed set so that every demo account has
something to open. Amounts are a share of what is still available, so the
hard stop never refuses; dates run from 1 April to ``today`` and
``demo.payment_orders.seed_year`` makes them in date order, with the payment orders.
A seeded ``random.Random`` per section keeps it deterministic.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q

from cityhall.accounts.models import User
from cityhall.documents.models import Document
from cityhall.finance import balance, contracts, services
from cityhall.finance.demo import engine as engine
from cityhall.finance.demo.budget import DemoCity
from cityhall.finance.models import Allotment, BudgetLine, Creditor, Encumbrance, NegotiatedGround
from cityhall.org.models import Assignment, OrgUnit

WELFARE = ("福祉総務課", "障害福祉課", "高齢福祉課", "介護保険課", "生活福祉課", "子育て支援課", "保育課", "健康推進課")
TOWN = ("企画政策課", "市民活動推進課", "広報広聴課")
SPORT = ("スポーツ振興課", "生涯学習課", "青少年課")
ROADS = ("道路課", "都市計画課", "公園緑地課")


@dataclass(frozen=True)
class Purchase:
    """What a section buys under a 節: title, contract method (法234条; 「unit」 a 単価契約 by 随意契約, 「none」 no
    contract), creditor codes; ``sections`` limits who buys it."""

    setsu: str
    title: str
    method: str
    creditors: tuple[str, ...]
    sections: tuple[str, ...] = ()


def _p(setsu: str, title: str, method: str, creditors: str, sections: tuple[str, ...] = ()) -> Purchase:
    return Purchase(setsu, title, method, tuple(creditors.split()), sections)


PURCHASES: tuple[Purchase, ...] = (
    _p("7", "講師謝礼（{section}研修会）", "none", "D0034 D0035 D0036"),
    _p("10", "事務用消耗品の購入", "negotiated", "D0001 D0002 D0022"),
    _p("10", "{section}だよりの印刷製本", "negotiated", "D0014"),
    _p("10", "公用車の修繕", "negotiated", "D0024"),
    _p("10", "コピー用紙の購入（単価契約）", "unit", "D0001 D0002"),
    _p("11", "広告掲載料（{section}）", "negotiated", "D0014"),
    _p("11", "通訳手数料", "negotiated", "D0035"),
    _p("12", "{section}調査業務委託", "negotiated", "D0015 D0038 D0027"),
    _p("12", "庁舎清掃業務委託", "general_tender", "D0016 D0023"),
    _p("12", "施設警備業務委託", "general_tender", "D0018"),
    _p("12", "システム保守業務委託", "negotiated", "D0007"),
    _p("12", "学校給食調理業務委託", "general_tender", "D0011", ("学務課",)),
    _p("12", "ごみ収集運搬業務委託", "designated_tender", "D0016 D0039", ("ごみ対策課", "清掃センター")),
    _p("13", "複合機の賃借", "negotiated", "D0017"),
    _p("13", "会場使用料", "negotiated", "D0020"),
    _p("14", "{section}施設改修工事", "general_tender", "D0008 D0040"),
    _p("14", "舗装補修工事", "designated_tender", "D0009 D0008", ROADS),
    _p("15", "補修用資材の購入", "negotiated", "D0009 D0010"),
    _p("17", "事務用備品の購入", "negotiated", "D0022 D0002"),
    _p("17", "防災備品の購入", "negotiated", "D0025", ("防災安全課",)),
    _p("17", "図書の購入", "unit", "D0021 D0041", ("図書館", "学務課", "指導課")),
    _p("18", "{section}事業補助金の交付", "none", "D0029 D0030", TOWN),
    _p("18", "福祉事業補助金の交付", "none", "D0012 D0013", WELFARE),
    _p("18", "スポーツ・文化事業補助金の交付", "none", "D0020", SPORT),
    _p("18", "多摩地域行政連絡協議会負担金", "none", "D0043"),
    _p("19", "障害福祉サービス費の支給", "none", "D0012 D0013", ("障害福祉課",)),
    _p("19", "老人ホーム入所措置費", "none", "D0012 D0013", ("高齢福祉課",)),
    _p("21", "道路管理瑕疵による損害賠償", "none", "D0034", ("道路課",)),
)
# How much one encumbrance of a 節 may be at most, so that routes stay mostly 課長・部長専決.
CAPS = {"7": 300_000, "10": 1_800_000, "11": 900_000, "13": 2_400_000, "14": 80_000_000, "15": 800_000}
DEFAULT_CAP = 24_000_000
DECIDED_PER_SECTION = 2
# One extra encumbrance per section, its state taken in turn from this list, so every state appears.
EXTRA_STATES = (
    "circulating",
    "decided",
    "sent_back",
    "decided",
    "circulating",
    "draft",
    "withdrawn",
    "decided",
    "rejected",
)
SEND_BACK_COMMENT = "見積書を添付し、金額の根拠を示してください。"
REJECT_COMMENT = "今年度は既存の契約で対応できるため、本件の支出は認められません。"


@dataclass(frozen=True)
class Planned:
    """One encumbrance to make: who, when, what and how far along its route."""

    day: dt.date
    section: OrgUnit
    drafter: User
    state: str
    setsu: str
    fraction: float
    pick: int
    approvals: int = 0


def drafter_of(section: OrgUnit, start: dt.date, today: dt.date) -> User | None:
    """The most junior member of staff (up to 係長) of the section or its 係 all year so far; not a demo account."""
    units = [section.pk, *section.children.values_list("pk", flat=True)]
    assignment = (
        Assignment.objects.filter(unit_id__in=units, is_primary=True, post__rank__lt=40, valid_from__lte=start)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .exclude(user__username__startswith="demo-")
        .select_related("user")
        .order_by("post__rank", "user__username")
        .first()
    )
    return assignment.user if assignment else None


def _plan(city: DemoCity) -> list[Planned]:
    span = max((city.today - city.start).days, 1)
    planned: list[Planned] = []
    n = 0
    for section in sorted(city.sections.values(), key=lambda s: s.code):
        drafter = drafter_of(section, city.start, city.today) if section.name != "企画政策課" else None
        if drafter is None:
            continue
        n += 1
        rng = random.Random(f"finance-demo-{section.code}")
        states = ["decided"] * DECIDED_PER_SECTION + [EXTRA_STATES[n % len(EXTRA_STATES)]]
        for i, state in enumerate(states):
            back = rng.randint(1, 9) if state != "decided" else rng.randint(10, max(span - 1, 10))
            planned.append(
                Planned(
                    day=city.day(back),
                    section=section,
                    drafter=drafter,
                    state=state,
                    setsu="",
                    fraction=rng.uniform(0.05, 0.35),
                    pick=rng.randrange(1_000) + i,
                    approvals=rng.randint(0, 1),
                )
            )
    planned.sort(key=lambda p: (p.day, p.section.code, p.pick))
    decided = [i for i, p in enumerate(planned) if p.state == "decided" and p.day <= city.day(30)]
    if len(decided) >= 2:  # one contract shrinks (減額), one is called off (取消)
        first, second = decided[len(decided) // 3], decided[len(decided) // 2]
        planned[first] = replace(planned[first], state="amended")
        planned[second] = replace(planned[second], state="cancelled")
    return planned


def _demo_line(city: DemoCity) -> list[Planned]:
    """企画政策課: demo-drafter's encumbrances for every inbox of the demo line."""
    section = city.sections["企画政策課"]
    drafter = User.objects.get(username="demo-drafter")
    rows = (
        (120, "decided", "10", 0.05, 0),
        (90, "decided", "12", 0.06, 0),
        (45, "decided", "13", 0.1, 0),
        (20, "decided", "7", 0.2, 0),
        (4, "circulating", "10", 0.04, 0),  # waits for demo-kakaricho
        (3, "circulating", "12", 0.05, 1),  # waits for demo-kacho or above
        (2, "sent_back", "10", 0.03, 1),
        (2, "withdrawn", "13", 0.05, 0),
        (6, "rejected", "10", 0.03, 1),
        (1, "draft", "10", 0.02, 0),
    )
    return [Planned(city.day(b), section, drafter, state, setsu, f, 0, a) for b, state, setsu, f, a in rows]


def _purchases(section: OrgUnit, setsu: str) -> list[Purchase]:
    return [p for p in PURCHASES if p.setsu == setsu and (not p.sections or section.name in p.sections)]


def _allotment(planned: Planned, city: DemoCity) -> Allotment | None:
    """The section's allotment to spend from: of the wanted 節, else any 節 it buys under, with budget left."""
    codes = {p.setsu for p in PURCHASES if _purchases(planned.section, p.setsu)}
    rows = list(
        Allotment.objects.filter(
            section=planned.section,
            line__fiscal_year=city.fiscal_year,
            line__setsu__code__in=[planned.setsu] if planned.setsu else sorted(codes),
            amount__gt=0,
        )
        .select_related("line__setsu")
        .order_by("line_id")
    )
    if not rows:
        return None
    return rows[planned.pick % len(rows)]


def round_amount(amount: int) -> int:
    """A plausible contract amount: three significant figures, at least ¥10,000."""
    if amount < 10_000:
        return 0
    digits = len(str(amount)) - 3
    return amount // 10**digits * 10**digits


def _make(city: DemoCity, planned: Planned, creditors: dict[str, Creditor]) -> Encumbrance | None:
    allotment = _allotment(planned, city)
    if allotment is None or allotment.line.setsu is None:
        return None
    setsu = allotment.line.setsu
    choices = _purchases(planned.section, setsu.code)
    if not choices:
        return None
    purchase = choices[planned.pick % len(choices)]
    title, method, codes = purchase.title, purchase.method, purchase.creditors
    cap = CAPS.get(setsu.code, DEFAULT_CAP)
    amount = round_amount(min(int(balance.available_amount(allotment) * planned.fraction), cap))
    if amount <= 0:
        return None
    encumbrance = services.encumbrance_draft(
        actor=planned.drafter,
        title=f"{title.format(section=planned.section.name)}について",
        line=allotment.line,
        creditor=creditors[codes[planned.pick % len(codes)]],
        amount=amount,
        **contract_terms(method, allotment.line, amount, planned.day),
        deadline=min(city.today + dt.timedelta(days=120), planned.day + dt.timedelta(days=60)),
        body=f"{setsu.name}として、次のとおり支出負担行為を行ってよろしいか伺います。",
        on=planned.day,
    )
    document: Document = encumbrance.document
    if planned.state == "draft":
        return encumbrance
    document = engine.submit(planned.drafter, document, planned.day)
    if planned.state in ("decided", "amended", "cancelled"):
        engine.advance(document, None, planned.day)
        _amend_or_cancel(city, planned, encumbrance)
    elif planned.state == "circulating":
        engine.advance(document, planned.approvals, planned.day)
    elif planned.state == "sent_back":
        engine.send_back(engine.advance(document, planned.approvals, planned.day), planned.day, SEND_BACK_COMMENT)
    elif planned.state == "withdrawn":
        engine.withdraw(planned.drafter, document, "仕様を見直して改めて起案するため")
    elif planned.state == "rejected":
        engine.reject(engine.advance(document, planned.approvals, planned.day), planned.day, REJECT_COMMENT)
    return encumbrance


def contract_terms(method: str, line: BudgetLine, amount: int, day: dt.date) -> dict[str, Any]:
    """The contract's method and, for a 随意契約, its ground: 少額 (令167条の2①1号) within the limit, else 2号."""
    if method not in ("negotiated", "unit"):
        return {"contract_method": method}
    small = amount <= contracts.limit_for(contracts.kind_for_setsu(line), day)
    ground = NegotiatedGround.SMALL_AMOUNT if small else NegotiatedGround.NATURE
    return {"contract_method": "negotiated", "negotiated_ground": ground, "unit_price": method == "unit"}


def _amend_or_cancel(city: DemoCity, planned: Planned, encumbrance: Encumbrance) -> None:
    """A decided contract that shrinks (減額, three weeks on) or is called off (取消, ten days on).

    A decrease without a new decision (減額); an increase is a 変更契約 (``demo.contracts``).
    Both are acts of the one who decided it (決裁者), not of the drafter.
    """
    decider = Document.objects.select_related("decided_by").get(pk=encumbrance.document_id).decided_by
    if decider is None:
        return
    if planned.state == "amended":
        decrease = round_amount(encumbrance.amount // 10)
        if decrease > 0:
            services.encumbrance_amend(
                actor=decider,
                encumbrance=encumbrance,
                amount=encumbrance.amount - decrease,
                reason="数量の減少に伴う変更契約のため",
                on=min(city.today, planned.day + dt.timedelta(days=21)),
            )
            encumbrance.refresh_from_db()
    elif planned.state == "cancelled":
        services.encumbrance_cancel(
            actor=decider,
            encumbrance=encumbrance,
            reason="事業の中止に伴い契約を解除したため",
            on=min(city.today, planned.day + dt.timedelta(days=10)),
        )


def plan_encumbrances(city: DemoCity) -> list[Planned]:
    """Every encumbrance of the year to make, in date order."""
    return sorted(_plan(city) + _demo_line(city), key=lambda p: (p.day, p.section.code, p.pick))


def make_encumbrance(city: DemoCity, planned: Planned, creditors: dict[str, Creditor]) -> Encumbrance | None:
    """One planned encumbrance, drafted and brought to its state (None when the section has nothing to spend)."""
    return _make(city, planned, creditors)
