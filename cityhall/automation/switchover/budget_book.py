"""The budget book (当初予算書), taken over from the old financial system: 款項目節 lines and amounts.

One row is one budget line (予算明細) of one 会計 and 年度 with its 当初 amount, and optionally
its allotment (配当) to one 課. The rows of one 会計 and 年度 become that year's 当初予算: the
款・項・目 missing are registered (a code already in use under another name refuses the row,
naming both), the lines are created, one ``BudgetVersion`` 当初予算 (version 0) carries every
line's amount, and the allotments given are set, all through ``finance.services.budget`` inside
the import's transaction, each with its audit entry.

How cells are read: 会計 by code or name, 一般会計 when the column is absent or the cell empty;
年度 in 西暦 (2027) or 和暦 (令和9年度, R9), and only this year or next (a switch-over loads the
budget being executed or the one just voted); codes as numbers (「02」「2款」 are 2). 節 are the
statutory list (``finance.defaults``): by code, name or both, and a name contradicting the code
is refused. A row without 節 is the year's 予備費 (the reserve line of ``budget_line_insert``,
one per 会計 and 年度, never allotted). A year whose 当初予算 exists is refused: switch-over
happens once and changes are entered as 補正予算. Only 会計 imports it, as only it keeps budgets.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from django.utils import timezone
from django.utils.translation import gettext_noop as _

from cityhall.accounts.models import User
from cityhall.automation.switchover import cells
from cityhall.automation.switchover.base import SwitchoverKind, register
from cityhall.core.errors import ApplicationError
from cityhall.core.japanese import fiscal_year, fiscal_year_end, fiscal_year_label, fiscal_year_start
from cityhall.core.tables import Field, Row
from cityhall.finance.models import (
    Account,
    AccountKind,
    BudgetClassification,
    BudgetKind,
    BudgetLine,
    BudgetVersion,
    Level,
)
from cityhall.finance.services import require_finance_staff
from cityhall.finance.services.allotments import allotments_insert
from cityhall.finance.services.budget import (
    LineHeadings,
    budget_lines_insert,
    budget_version_insert,
    heading_insert,
)
from cityhall.org.models import OrgUnit, UnitKind

VERSION_NAME = "当初予算"
_PATH = ((Level.KAN, "kan"), (Level.KOU, "kou"), (Level.MOKU, "moku"))
_DEPTH: dict[str, int] = {level: depth + 1 for depth, (level, _n) in enumerate(_PATH)}
_CODE_MAX = 10  # BudgetClassification.code
_name = partial(cells.text, max_length=100)  # BudgetClassification.name
# The fields of the finance services' refusals, as this kind's fields.
_LINE_FIELDS = {"moku": "moku_code", "setsu": "setsu_code", "saisetsu": "saisetsu_code"}
_ALLOTMENT_FIELDS = {"amount": "allotment", "section": "section"}


def _heading_code(level: str, value: object) -> str | None:
    """A heading's code as the book writes it: 「2」「02」「２」「2款」「第2款」 are 2; None when empty."""
    written = cells.code(value)
    if written is None:
        return None
    written = written.removeprefix("第").removesuffix(level).strip()
    if written.isdigit():
        written = str(int(written))
    if not written or len(written) > _CODE_MAX:
        raise cells.CellProblem(f"{level}のコードとして読めません（{cells.shown(value)}）。")
    return written


def _key(text: str | None) -> str:
    """How names are compared: NFKC, no whitespace (「総務 費」 = 「総務費」)."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text or ""))


def _code_key(code: str) -> str:
    """How codes are compared: as names, and a number without its leading zeros (「0101」 = 「101」)."""
    key = _key(code)
    return str(int(key)) if key.isdigit() else key


def _code(level: str) -> partial[str | None]:
    return partial(_heading_code, level)


@register
class BudgetBook(SwitchoverKind):
    code = "budget_book"
    label = _("当初予算書")
    description = _(
        "款・項・目・節ごとの当初予算額と、あれば課への配当額。1行が予算明細1件で、会計・年度ごとに"
        "当初予算として登録します。年度は西暦（2027）でも和暦（令和9年度・R9）でも書けます。"
        "会計の列がなければ一般会計です。節のない行はその年度の予備費です。"
    )
    fields = (
        Field("account", _("会計"), cells.text, False, ("会計コード", "会計名"), "一般会計"),
        Field("fiscal_year", _("年度"), cells.fiscal_year, True, ("予算年度", "会計年度"), "令和9年度"),
        Field("kan_code", _("款"), _code("款"), True, ("款コード", "款番号"), "2"),
        Field("kan_name", _("款名"), _name, False, ("款名称",), "総務費"),
        Field("kou_code", _("項"), _code("項"), True, ("項コード", "項番号"), "1"),
        Field("kou_name", _("項名"), _name, False, ("項名称",), "総務管理費"),
        Field("moku_code", _("目"), _code("目"), True, ("目コード", "目番号"), "1"),
        Field("moku_name", _("目名"), _name, False, ("目名称",), "一般管理費"),
        Field("setsu_code", _("節"), _code("節"), False, ("節コード", "節番号"), "10"),
        Field("setsu_name", _("節名"), _name, False, ("節名称",), "需用費"),
        Field("saisetsu_code", _("細節"), _code("細節"), False, ("細節コード", "細節番号"), "1"),
        Field("saisetsu_name", _("細節名"), _name, False, ("細節名称",), "消耗品費"),
        Field("amount", _("予算額"), cells.amount, True, ("当初予算額", "本年度予算額", "金額"), "5,000,000"),
        Field("section", _("配当先の課"), cells.text, False, ("配当先", "所管課", "担当課"), "総務課"),
        Field("allotment", _("配当額"), cells.amount, False, ("当初配当額",), "3,000,000"),
    )

    def authorize(self, actor: User) -> None:
        require_finance_staff(actor)

    def check(self, actor: User, rows: list[Row]) -> None:
        _Book(rows).plans(rows)

    def write(self, actor: User, rows: list[Row]) -> None:
        book = _Book(rows)  # read again inside the transaction: what check saw may have changed since
        plans = book.plans(rows)
        if any(row.reasons for row in rows):
            return  # the import is refused and rolled back
        groups: dict[tuple[int, int], list[tuple[Row, _Plan]]] = defaultdict(list)
        for row, plan in zip(rows, plans, strict=True):
            if plan is not None:
                groups[(plan.account.pk, plan.year)].append((row, plan))
        for group in groups.values():
            book.write_year(actor, group)


@dataclass(frozen=True)
class _Plan:
    """A row resolved against the database: what its line will be."""

    account: Account
    year: int
    path: tuple[tuple[str, str], ...]  # (code, name) of 款, 項, 目; name "" when the file gives none
    setsu: BudgetClassification | None  # None: the 予備費 line
    saisetsu: tuple[str, str] | None  # (code, name) of a 細節
    amount: int
    section: OrgUnit | None
    allotment: int | None


class _Book:
    """What the database holds for a file's rows, read in a few queries: 会計, 当初予算, 款項目節, lines, 課."""

    def __init__(self, rows: list[Row]) -> None:
        self.accounts = list(Account.objects.all())
        general = [a for a in self.accounts if a.kind == AccountKind.GENERAL]
        self.general = general[0] if len(general) == 1 else None
        self.today_year = fiscal_year(timezone.localdate())
        setsu = list(BudgetClassification.objects.filter(level=Level.SETSU, account__isnull=True))
        self.setsu = {_code_key(s.code): s for s in setsu}
        self.setsu_named = {_key(s.name): s for s in setsu}
        saisetsu = BudgetClassification.objects.filter(level=Level.SAISETSU)
        self.saisetsu = {(s.parent_id, _code_key(s.code)): s for s in saisetsu}
        self.headings = _paths(BudgetClassification.objects.filter(level__in=[lv for lv, _n in _PATH]))
        years = {y for y in (row["fiscal_year"] for row in rows) if y is not None}
        self.versions = {
            (v.account_id, v.fiscal_year): v.name for v in BudgetVersion.objects.filter(fiscal_year__in=years, number=0)
        }
        lines = BudgetLine.objects.filter(fiscal_year__in=years, budget_kind=BudgetKind.CURRENT)
        self.lines = set(lines.values_list("account", "fiscal_year", "moku", "setsu", "saisetsu"))
        self.sections: dict[str, list[OrgUnit]] = defaultdict(list)
        for section in OrgUnit.objects.filter(kind=UnitKind.SECTION):
            self.sections[_key(section.name)].append(section)
            if _code_key(section.code) != _key(section.name):
                self.sections[_code_key(section.code)].append(section)

    def plans(self, rows: list[Row]) -> list[_Plan | None]:
        """Each row resolved, or None with its reasons put on it (rows contradicting earlier rows too)."""
        seen: dict[tuple[object, ...], int] = {}
        names: dict[tuple[object, ...], tuple[str, int]] = {}
        return [self._plan(row, seen, names) for row in rows]

    def _plan(
        self, row: Row, seen: dict[tuple[object, ...], int], names: dict[tuple[object, ...], tuple[str, int]]
    ) -> _Plan | None:
        account = self._account(row)
        year = self._year(row, account)
        path = tuple((row[f"{n}_code"], row[f"{n}_name"] or "") for _lv, n in _PATH)
        if account is None or year is None or any(code is None for code, _name in path):
            return None
        self._check_path(row, account, path, names)
        setsu, saisetsu = self._setsu(row), self._saisetsu(row, names)
        reserve = row["setsu_code"] is None and row["setsu_name"] is None
        if setsu is not None or reserve:
            _check_once(row, seen, (account.pk, year, *(code for code, _n in path), setsu, saisetsu))
            self._check_line_exists(row, account, year, path, setsu, saisetsu)
        amount = row["amount"]
        if amount is not None and amount < 0:
            row.refuse("amount", f"予算額がマイナスです（{amount:,}円）。当初予算の額は0円以上で書いてください。")
        section = self._section(row, year, reserve)
        if row.reasons or amount is None:
            return None
        saisetsu_plan = (saisetsu, row["saisetsu_name"] or "") if saisetsu else None
        return _Plan(account, year, path, setsu, saisetsu_plan, amount, section, row["allotment"])

    def _account(self, row: Row) -> Account | None:
        written = row["account"]
        if written is None:
            if self.general is None:
                row.refuse("account", "一般会計が登録されていません。会計の列に会計コードか会計名を書いてください。")
            return self.general
        found = [a for a in self.accounts if _code_key(a.code) == _code_key(written) or _key(a.name) == _key(written)]
        if len(found) != 1:
            known = "、".join(f"{a.code} {a.name}" for a in self.accounts)
            row.refuse("account", f"会計「{written}」が見つかりません。登録されている会計: {known}。")
            return None
        return found[0]

    def _year(self, row: Row, account: Account | None) -> int | None:
        year = row["fiscal_year"]
        if year is None:
            return None
        if not self.today_year <= year <= self.today_year + 1:
            row.refuse(
                "fiscal_year",
                f"{fiscal_year_label(year)}の当初予算は取り込めません。移行で取り込めるのは今年度"
                f"（{fiscal_year_label(self.today_year)}）と来年度（{fiscal_year_label(self.today_year + 1)}）です。",
            )
            return None
        if account is not None and (account.pk, year) in self.versions:
            row.refuse(
                "fiscal_year",
                f"{account.name}の{fiscal_year_label(year)}の当初予算は既に登録されています"
                f"（「{self.versions[(account.pk, year)]}」）。移行は一度だけです。"
                "変更は補正予算として登録してください。",
            )
            return None
        return year

    def _check_path(
        self,
        row: Row,
        account: Account,
        path: tuple[tuple[str, str], ...],
        names: dict[tuple[object, ...], tuple[str, int]],
    ) -> None:
        """款・項・目: a code in use keeps its name; a new one needs a name, the same on every row."""
        for depth, (level, field) in enumerate(_PATH):
            codes = tuple(code for code, _n in path[: depth + 1])
            code, name = path[depth]
            what = f"{level.label}「{code}」"
            existing = self.headings.get((account.pk, codes))
            if existing is not None:
                if name and _key(name) != _key(existing.name):
                    row.refuse(
                        f"{field}_name",
                        f"{account.name}の{what}は既に「{existing.name}」として登録されています"
                        f"（この行: 「{name}」）。名称を合わせてください。",
                    )
                continue
            if not name:
                row.refuse(f"{field}_name", f"{what}は未登録です。{level.label}名を書いてください。")
                continue
            first = names.setdefault((account.pk, codes), (name, row.number))
            if _key(first[0]) != _key(name):
                row.refuse(
                    f"{field}_name",
                    f"{what}の名称が{first[1]}行目（「{first[0]}」）と違います（この行: 「{name}」）。",
                )

    def _setsu(self, row: Row) -> BudgetClassification | None:
        code, name = row["setsu_code"], row["setsu_name"]
        if code is None and name is None:
            if row["saisetsu_code"] is not None or row["saisetsu_name"] is not None:
                row.refuse("setsu_code", "細節は節の下に置きます。節を書いてください。")
            return None
        found = self.setsu.get(code) if code is not None else self.setsu_named.get(_key(name))
        if found is None:
            what = f"節「{code}」" if code is not None else f"節名「{name}」"
            hint = "予備費の行は節を空欄にしてください" if _key(name) == "予備費" else "1 報酬〜27 繰出金"
            row.refuse("setsu_code" if code else "setsu_name", f"{what}は法定の節にありません（{hint}）。")
            return None
        if code is not None and name is not None and _key(name) != _key(found.name):
            row.refuse("setsu_name", f"節「{code}」は「{found.name}」です（この行の節名: 「{name}」）。")
        return found

    def _saisetsu(self, row: Row, names: dict[tuple[object, ...], tuple[str, int]]) -> str | None:
        code, name = row["saisetsu_code"], row["saisetsu_name"]
        setsu = self.setsu.get(row["setsu_code"] or "") or self.setsu_named.get(_key(row["setsu_name"]))
        if code is None:
            if name is not None:
                row.refuse("saisetsu_code", f"細節「{name}」のコードを書いてください。")
            return None
        if setsu is None:
            return code
        existing = self.saisetsu.get((setsu.pk, code))
        if existing is not None:
            if name and _key(name) != _key(existing.name):
                row.refuse(
                    "saisetsu_name",
                    f"{setsu.code}節{setsu.name}の細節「{code}」は既に「{existing.name}」として登録されています"
                    f"（この行: 「{name}」）。",
                )
            return code
        if not name:
            row.refuse("saisetsu_name", f"細節「{code}」は未登録です。細節名を書いてください。")
            return code
        first = names.setdefault(("細節", setsu.pk, code), (name, row.number))
        if _key(first[0]) != _key(name):
            row.refuse(
                "saisetsu_name",
                f"細節「{code}」の名称が{first[1]}行目（「{first[0]}」）と違います（この行: 「{name}」）。",
            )
        return code

    def _check_line_exists(
        self,
        row: Row,
        account: Account,
        year: int,
        path: tuple[tuple[str, str], ...],
        setsu: BudgetClassification | None,
        saisetsu: str | None,
    ) -> None:
        moku = self.headings.get((account.pk, tuple(code for code, _n in path)))
        if setsu is None:
            exists = any(a == account.pk and y == year and s is None for a, y, _m, s, _ss in self.lines)
        else:
            if moku is None:
                return
            sai = self.saisetsu.get((setsu.pk, saisetsu)) if saisetsu else None
            if saisetsu and sai is None:
                return
            exists = (account.pk, year, moku.pk, setsu.pk, sai.pk if sai else None) in self.lines
        if exists:
            what = "予備費の明細（会計・年度ごとに1件）" if setsu is None else "この予算科目の明細（当初予算なし）"
            row.refuse(
                "row" if setsu else "setsu_code",
                f"{account.name}の{fiscal_year_label(year)}に{what}が既に登録されています。予算の画面で確かめてください。",
            )

    def _section(self, row: Row, year: int, reserve: bool) -> OrgUnit | None:
        written, allotment, amount = row["section"], row["allotment"], row["amount"]
        if written is None and allotment is None:
            return None
        if written is None:
            row.refuse("section", "配当額があるのに配当先の課がありません。課の名称か組織コードを書いてください。")
            return None
        if allotment is None:
            row.refuse("allotment", f"配当先の課「{written}」への配当額がありません。配当額を書いてください。")
            return None
        if reserve:
            row.refuse("section", "予備費（節のない行）は配当できません。配当先の課と配当額を空欄にしてください。")
        if allotment < 0:
            row.refuse("allotment", f"配当額がマイナスです（{allotment:,}円）。")
        elif amount is not None and allotment > amount:
            row.refuse("allotment", f"配当額（{allotment:,}円）が予算額（{amount:,}円）を超えています。")
        start, end = fiscal_year_start(year), fiscal_year_end(year)
        candidates = {s.pk: s for key in {_key(written), _code_key(written)} for s in self.sections.get(key, [])}
        found = [s for s in candidates.values() if s.valid_from <= end and (s.valid_to is None or s.valid_to >= start)]
        if len(found) != 1:
            problem = "が見つかりません" if not found else "が複数あります（組織コードで書いてください）"
            row.refuse("section", f"{fiscal_year_label(year)}にある課で「{written}」{problem}。")
            return None
        return found[0]

    def write_year(self, actor: User, group: list[tuple[Row, _Plan]]) -> None:
        """One 会計 and 年度: missing headings, the lines, the 当初予算 with every amount, then the allotments."""
        headings: list[LineHeadings] = []
        for row, plan in group:
            try:
                headings.append(self._headings(actor, plan))
            except _HeadingRefused as exc:
                row.refuse(exc.field, exc.message)
        if len(headings) < len(group):
            return  # the import is rolled back: no 当初予算 of a part of the lines
        rows = [row for row, _plan in group]
        account, year = group[0][1].account, group[0][1].year
        try:
            lines = budget_lines_insert(actor=actor, account=account, fiscal_year=year, lines=headings)
            budget_version_insert(
                actor=actor,
                account=account,
                fiscal_year=year,
                name=VERSION_NAME,
                amounts=[(line, plan.amount) for line, (_row, plan) in zip(lines, group, strict=True)],
            )
        except ApplicationError as exc:
            _refuse(rows, exc, "line", _LINE_FIELDS)
            return
        given: list[tuple[Row, tuple[BudgetLine, OrgUnit, int]]] = [
            (row, (line, plan.section, plan.allotment))
            for line, (row, plan) in zip(lines, group, strict=True)
            if plan.section is not None and plan.allotment is not None
        ]
        try:
            allotments_insert(actor=actor, allotments=[allotment for _row, allotment in given])
        except ApplicationError as exc:
            _refuse([row for row, _allotment in given], exc, "allotment", _ALLOTMENT_FIELDS)
            return
        for line, (row, plan) in zip(lines, group, strict=True):
            row.created = f"{line.label} {plan.amount:,}円"
            if plan.section is not None:
                row.created += f"（{plan.section.name}に{plan.allotment:,}円を配当）"

    def _headings(self, actor: User, plan: _Plan) -> LineHeadings:
        """The row's 目 and 細節, registered when missing (``heading_insert``), and its 節."""
        parent: BudgetClassification | None = None
        for depth, (level, field) in enumerate(_PATH):
            codes = tuple(code for code, _n in plan.path[: depth + 1])
            heading = self.headings.get((plan.account.pk, codes))
            if heading is None:
                code, name = plan.path[depth]
                with _HeadingRefused.naming(field):
                    heading = heading_insert(
                        actor=actor, level=level, code=code, name=name, account=plan.account, parent=parent
                    )
                self.headings[(plan.account.pk, codes)] = heading
            parent = heading
        assert parent is not None  # the loop ran for 款, 項 and 目
        saisetsu = None
        if plan.setsu is not None and plan.saisetsu is not None:
            code, name = plan.saisetsu
            saisetsu = self.saisetsu.get((plan.setsu.pk, code))
            if saisetsu is None:
                with _HeadingRefused.naming("saisetsu"):
                    saisetsu = heading_insert(
                        actor=actor, level=Level.SAISETSU, code=code, name=name, parent=plan.setsu
                    )
                self.saisetsu[(plan.setsu.pk, code)] = saisetsu
        return LineHeadings(moku=parent, setsu=plan.setsu, saisetsu=saisetsu, reserve=plan.setsu is None)


def _refuse(rows: list[Row], exc: ApplicationError, key: str, fields: dict[str, str]) -> None:
    """A finance service's refusal on the row it names (``extra[key]``: its index), else on the first row."""
    index = exc.extra.get(key)
    row = rows[index] if isinstance(index, int) and 0 <= index < len(rows) else rows[0]
    row.refuse(
        fields.get(exc.field or "", "fiscal_year" if exc.field in ("name", "fiscal_year") else "row"), exc.message
    )


def _check_once(row: Row, seen: dict[tuple[object, ...], int], key: tuple[object, ...]) -> None:
    """A line once in the book, and one 予備費 (a line without 節) per 会計 and 年度."""
    if key in seen:
        row.refuse("row", f"{seen[key]}行目と同じ予算科目です。一つの予算科目は1行で書いてください。")
    seen.setdefault(key, row.number)
    if key[-2] is not None:
        return
    reserve = ("予備費", *key[:2])
    if reserve in seen and seen[reserve] != row.number:
        row.refuse(
            "setsu_code",
            f"節のない行（予備費）は会計・年度ごとに1行です（{seen[reserve]}行目も節がありません）。",
        )
    seen.setdefault(reserve, row.number)


class _HeadingRefused(Exception):
    """A heading the finance service refused, with the row's field it concerns (「kan_name」)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message

    @staticmethod
    @contextmanager
    def naming(prefix: str) -> Iterator[None]:
        """Turn the service's refusal into one naming this level's code or name field."""
        try:
            yield
        except ApplicationError as exc:
            raise _HeadingRefused(f"{prefix}_{'name' if exc.field == 'name' else 'code'}", exc.message) from exc


def _paths(headings: Iterable[BudgetClassification]) -> dict[tuple[int, tuple[str, ...]], BudgetClassification]:
    """款・項・目 by (会計, their codes from the 款 down), codes as the book writes them (「02」 is 2)."""
    by_pk = {h.pk: h for h in headings}
    for heading in by_pk.values():
        if heading.parent_id in by_pk:
            heading.parent = by_pk[heading.parent_id]  # a line's label names its 款 and 項: no query per line
    paths: dict[tuple[int, tuple[str, ...]], BudgetClassification] = {}
    for heading in by_pk.values():
        codes: list[str] = []
        node: BudgetClassification | None = heading
        while node is not None:
            codes.insert(0, _code_key(node.code))
            node = by_pk.get(node.parent_id) if node.parent_id else None
        if heading.account_id is not None and len(codes) == _DEPTH[heading.level]:
            paths[(heading.account_id, tuple(codes))] = heading
    return paths
