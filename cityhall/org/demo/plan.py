"""Build the demo city in memory (デモ市の設計), deterministically.

The same ``staff`` and ``today`` always give the same plan: names come from a
``random.Random`` with a fixed seed, positions from the fixed organisation
chart in ``structure``. Everyone is assigned from 1 April of the previous
fiscal year; at 1 April of the current one a few people transfer (人事異動),
including the 課長 of 税務課 and 納税課, who swap, and a few new staff join.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from cityhall.org.demo.accounts import DEMO_ACCOUNTS
from cityhall.org.demo.names import GIVEN_NAMES, SURNAMES
from cityhall.org.demo.structure import DEPARTMENTS, EXECUTIVE, MUNICIPALITY, POSTS, PostSpec

SEED = 20260401
DEFAULT_STAFF = 600
# Sections whose members hold functional roles: kept out of the random transfers.
_STABLE_SECTIONS = {"総務課", "情報政策課", "納税課", "会計課", "監査課"}
_Path = tuple[str, ...]


@dataclass(frozen=True)
class UnitPlan:
    code: str
    kind: str
    name: str
    kana: str
    symbol: str
    parent_code: str | None
    sort_order: int


@dataclass(frozen=True)
class PersonPlan:
    number: str
    username: str
    last_name: str
    first_name: str
    last_kana: str
    first_kana: str
    is_admin: bool = False


@dataclass(frozen=True)
class AssignmentPlan:
    number: str
    unit_code: str
    post_code: str
    valid_from: dt.date
    valid_to: dt.date | None = None


@dataclass(frozen=True)
class AbsencePlan:
    number: str
    starts_on: dt.date
    ends_on: dt.date
    proxy_number: str | None
    reason: str


@dataclass(frozen=True)
class GrantPlan:
    number: str
    role: str
    unit_code: str | None
    valid_from: dt.date
    valid_to: dt.date | None


@dataclass
class CityPlan:
    """Everything ``apply_plan`` writes, as plain values."""

    staff: int
    today: dt.date
    municipality: dict[str, str]
    posts: tuple[PostSpec, ...]
    units: list[UnitPlan] = field(default_factory=list)
    people: list[PersonPlan] = field(default_factory=list)
    assignments: list[AssignmentPlan] = field(default_factory=list)
    absences: list[AbsencePlan] = field(default_factory=list)
    grants: list[GrantPlan] = field(default_factory=list)


def fiscal_year_start(day: dt.date) -> dt.date:
    """1 April of the fiscal year (年度) containing ``day``."""
    return dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


class _Builder:
    def __init__(self, staff: int, today: dt.date) -> None:
        self.rng = random.Random(SEED)
        self.today = today
        self.fy = fiscal_year_start(today)
        self.prev_fy = self.fy.replace(year=self.fy.year - 1)
        self.plan = CityPlan(staff=staff, today=today, municipality=dict(MUNICIPALITY), posts=POSTS)
        self.code_of: dict[_Path, str] = {}
        self.sections: list[tuple[_Path, int]] = []  # path, staffing weight
        self.subsections: list[tuple[_Path, int]] = []
        self.positions: list[tuple[str, str]] = []  # (unit code, post code) per person, in hiring order
        self.rank_and_file_from = 0

    # --- units -----------------------------------------------------------
    def _unit(self, path: _Path, kind: str, kana: str, symbol: str, code: str) -> None:
        parent = self.code_of.get(path[:-1]) if len(path) > 1 else None
        self.code_of[path] = code
        unit = UnitPlan(code, kind, path[-1], kana, symbol, parent, len(self.plan.units))
        self.plan.units.append(unit)

    def build_units(self) -> None:
        self._unit((EXECUTIVE["name"],), "executive", EXECUTIVE["kana"], EXECUTIVE["symbol"], EXECUTIVE["code"])
        for d, dept in enumerate(DEPARTMENTS, start=1):
            dept_path = (dept.name,)
            self._unit(dept_path, "department", dept.kana, "", f"{d:02d}")
            for s, section in enumerate(dept.sections, start=1):
                section_path = (*dept_path, section.name)
                self._unit(section_path, "section", section.kana, section.symbol, f"{d:02d}{s:02d}")
                self.sections.append((section_path, section.weight))
                for k, name in enumerate(section.subsections, start=1):
                    self._unit((*section_path, name), "subsection", "", "", f"{d:02d}{s:02d}{k:02d}")
                    self.subsections.append(((*section_path, name), section.weight))

    # --- positions -------------------------------------------------------
    def build_positions(self) -> None:
        staff = self.plan.staff
        executive = self.code_of[(EXECUTIVE["name"],)]
        self.positions += [(executive, "shicho"), (executive, "fukushicho")]
        self.positions += [(self.code_of[(d.name,)], d.head_post) for d in DEPARTMENTS]
        self.positions += [(self.code_of[path], "kacho") for path, _ in self.sections]
        self.positions += [(self.code_of[path], "kakaricho") for path, _ in self.subsections]
        self.positions += [
            (self.code_of[a.unit_path], a.post_code) for a in DEMO_ACCOUNTS if a.post_code in {"shuji", "shunin"}
        ]
        if staff < len(self.positions):
            raise ValueError(f"職員数は {len(self.positions)} 人以上を指定してください（全ての職を埋めるため）。")
        for path, _ in self.sections:
            if len(self.positions) < staff:
                self.positions.append((self.code_of[path], "kacho_hosa"))
        self.rank_and_file_from = len(self.positions)
        rest = staff - len(self.positions)
        targets = [path for path, _ in self.subsections[:rest]]
        targets += self.rng.choices(
            [path for path, _ in self.subsections],
            weights=[weight for _, weight in self.subsections],
            k=rest - len(targets),
        )
        for path in targets:
            post = "shunin" if self.rng.random() < 0.35 else "shuji"
            self.positions.append((self.code_of[path], post))

    def build_people(self) -> None:
        demo_at: dict[tuple[str, str], tuple[str, bool]] = {}
        for account in DEMO_ACCOUNTS:
            demo_at.setdefault(
                (self.code_of[account.unit_path], account.post_code), (account.username, account.is_admin)
            )
        for i, position in enumerate(self.positions):
            number = f"{100001 + i}"
            last, last_kana = self.rng.choice(SURNAMES)
            first, first_kana = self.rng.choice(GIVEN_NAMES)
            username, is_admin = demo_at.pop(position, (f"m{number}", False))
            self.plan.people.append(PersonPlan(number, username, last, first, last_kana, first_kana, is_admin))

    # --- history: April transfers and new staff ---------------------------
    def build_assignments(self) -> None:
        day_before = self.fy - dt.timedelta(days=1)
        moved: dict[int, str] = {}  # person index -> unit code from the current fiscal year
        joined: set[int] = set()
        index_of = {position: i for i, position in reversed(list(enumerate(self.positions)))}
        tax = index_of[(self.code_of[("市民部", "税務課")], "kacho")]
        collection = index_of[(self.code_of[("市民部", "納税課")], "kacho")]
        moved[tax], moved[collection] = self.positions[collection][0], self.positions[tax][0]
        demo_numbers = {p.number for p in self.plan.people if p.username.startswith("demo-")}
        stable = {self.code_of[p] for p in self.code_of if len(p) >= 2 and p[1] in _STABLE_SECTIONS}
        pool = [
            i
            for i in range(self.rank_and_file_from, len(self.positions))
            if self.positions[i][0] not in stable and self.plan.people[i].number not in demo_numbers
        ]
        pairs = max(1, len(pool) // 40)
        picked = self.rng.sample(pool, min(len(pool), 2 * pairs))
        for a, b in zip(picked[::2], picked[1::2], strict=False):
            if self.positions[a][0][:4] != self.positions[b][0][:4]:  # different 課
                moved[a], moved[b] = self.positions[b][0], self.positions[a][0]
        rest = [i for i in pool if i not in moved]
        joined.update(self.rng.sample(rest, min(len(rest), max(1, len(pool) // 100))))
        for i, (unit, post) in enumerate(self.positions):
            number = self.plan.people[i].number
            if i in joined:
                self.plan.assignments.append(AssignmentPlan(number, unit, "shuji", self.fy))
            elif i in moved:
                self.plan.assignments.append(AssignmentPlan(number, unit, post, self.prev_fy, day_before))
                self.plan.assignments.append(AssignmentPlan(number, moved[i], post, self.fy))
            else:
                self.plan.assignments.append(AssignmentPlan(number, unit, post, self.prev_fy))

    def holder(self, path: _Path, post: str, on: dt.date) -> str | None:
        code = self.code_of[path]
        for a in self.plan.assignments:
            if (
                a.unit_code == code
                and a.post_code == post
                and a.valid_from <= on
                and (a.valid_to is None or a.valid_to >= on)
            ):
                return a.number
        return None

    def build_absences(self) -> None:
        t, days = self.today, dt.timedelta
        specs: list[tuple[_Path, str, int, int, list[tuple[_Path, str]], str]] = [
            (
                ("市民部", "市民課"),
                "kacho",
                0,
                2,
                [(("市民部", "市民課"), "kacho_hosa"), (("市民部",), "bucho")],
                "年次休暇",
            ),
            (("環境部",), "bucho", -1, 4, [(("環境部", "環境政策課"), "kacho")], "出張"),
            (("都市整備部", "道路課", "管理係"), "kakaricho", 0, 9, [], "病気休暇"),
            (
                ("総務部", "総務課"),
                "kacho",
                -30,
                -28,
                [(("総務部", "総務課"), "kacho_hosa"), (("総務部",), "bucho")],
                "研修",
            ),
            (("特別職",), "fukushicho", 7, 8, [(("総務部",), "bucho")], "出張"),
        ]
        for path, post, start, end, proxies, reason in specs:
            starts_on = t + days(start)
            number = self.holder(path, post, starts_on)
            if number is None:
                continue
            candidates = (self.holder(p, q, starts_on) for p, q in proxies)
            proxy = next((c for c in candidates if c is not None), None)
            self.plan.absences.append(AbsencePlan(number, starts_on, t + days(end), proxy, reason))

    def build_grants(self) -> None:
        def units_under(path: _Path) -> set[str]:
            return {code for p, code in self.code_of.items() if p[: len(path)] == path}

        rules: list[tuple[str, set[str], str | None]] = [
            (
                "document_manager",
                {self.code_of[("総務部", "総務課")], self.code_of[("総務部", "総務課", "文書法制係")]},
                None,
            ),
            (
                "it_admin",
                {self.code_of[("総務部", "情報政策課")], self.code_of[("総務部", "情報政策課", "システム管理係")]},
                None,
            ),
            # 会計 maintains budgets and creditors (財政課・会計室); 会計管理者 reviews and pays (会計室).
            ("accounting", units_under(("会計室",)) | units_under(("企画部", "財政課")), None),
            ("treasurer", units_under(("会計室",)), None),
            ("tax_collection", units_under(("市民部", "納税課")), self.code_of[("市民部", "納税課")]),
            ("auditor", units_under(("監査委員事務局",)), None),
            # 幹部: the mayor and the deputy mayor (the city's CIO) see the DX dashboard.
            ("executive", units_under(("特別職",)), None),
        ]
        for role, units, scope in rules:
            for a in self.plan.assignments:
                if a.unit_code in units:
                    self.plan.grants.append(GrantPlan(a.number, role, scope, a.valid_from, a.valid_to))


def build_plan(staff: int = DEFAULT_STAFF, today: dt.date | None = None) -> CityPlan:
    """The demo city for ``staff`` people as of ``today`` (ValueError when too few to fill every post)."""
    builder = _Builder(staff, today or dt.date.today())
    builder.build_units()
    builder.build_positions()
    builder.build_people()
    builder.build_assignments()
    builder.build_absences()
    builder.build_grants()
    return builder.plan
