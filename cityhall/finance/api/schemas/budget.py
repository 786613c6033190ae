"""Schemas of the budget endpoints (予算): years, accounts, headings, lines, versions, allotments."""

from __future__ import annotations

from ninja import Field, Schema

from cityhall.core.http import BodyId, FiscalYear, Yen


class FiscalYearOut(Schema):
    """A fiscal year with budget (年度)."""

    year: int
    label: str = Field(description="和暦の年度（例: 令和8年度）")
    current: bool


class AccountOut(Schema):
    """An account (会計): 一般会計 or a 特別会計."""

    id: int
    code: str
    name: str
    kind: str


class HeadingOut(Schema):
    """A budget heading (予算科目): 款・項・目 of an account, or a standard 節 and its 細節."""

    id: int
    account_id: int | None
    level: str
    parent_id: int | None
    code: str
    name: str
    transfer_locked: bool = Field(description="流用禁止")


class AllotmentFiguresOut(Schema):
    """An allotment (配当) and its execution: encumbered, orders without encumbrance, available."""

    id: int
    section_id: int
    section: str
    amount: int = Field(description="配当額")
    encumbered: int = Field(description="支出負担行為額（回議中を含む）")
    unencumbered_orders: int = Field(description="負担行為を伴わない支出命令額")
    available: int = Field(description="執行可能額")


class LineOut(Schema):
    """A budget line (予算明細) with its figures (予算現額・配当済額・未配当額)."""

    id: int
    account_id: int
    fiscal_year: int
    label: str
    moku_id: int
    setsu_id: int | None
    saisetsu_id: int | None
    is_reserve: bool = Field(description="予備費")
    budget_kind: str = Field(
        description="予算区分: current（現年度）, carry_explicit（繰越明許費繰越分）, "
        "carry_accident（事故繰越し繰越分）"
    )
    budget: int = Field(description="予算現額（当初＋補正±流用）")
    allotted: int = Field(description="配当済額")
    unallotted: int = Field(description="未配当額")
    allotments: list[AllotmentFiguresOut]


class LinePage(Schema):
    """One page of budget lines and the total count (件数)."""

    count: int
    page: int
    page_size: int
    items: list[LineOut]


class LineIn(Schema):
    """A new budget line (予算明細): 目 of the account, a standard 節 and optionally a 細節; 予備費 has no 節."""

    account_id: BodyId
    fiscal_year: FiscalYear
    moku_id: BodyId
    setsu_id: BodyId | None = None
    saisetsu_id: BodyId | None = None
    reserve: bool = Field(False, description="予備費の明細（節なし、会計・年度ごとに一つ）")


class VersionAmountIn(Schema):
    """The amount a version gives one line (補正では増減、減額は負の数)."""

    line_id: BodyId
    amount: Yen


class VersionIn(Schema):
    """A budget voted by the council (予算の議決): 当初予算 first, then 補正予算."""

    account_id: BodyId
    fiscal_year: FiscalYear
    name: str = Field(description="例: 当初予算、第1号補正予算")
    amounts: list[VersionAmountIn]
    personnel_transfer: bool = Field(
        default=False,
        description="人件費（給料・職員手当等・共済費）の同一款内の項間流用を予算で定めた（地方自治法第220条第2項ただし書）",
    )


class VersionOut(Schema):
    """A budget version (予算の版): number 0 is 当初, 1.. are 補正."""

    id: int
    account_id: int
    fiscal_year: int
    number: int
    name: str
    kind: str = Field(description="当初 または 補正")
    personnel_transfer: bool = Field(description="人件費の項間流用を予算で定めたか")
    total: int = Field(description="この版の増減額の合計")


class AllotmentIn(Schema):
    """The allotment (配当額) of a line to a section."""

    amount: Yen


class AllotmentOut(Schema):
    """An allotment (配当) after the change."""

    id: int
    line_id: int
    section_id: int
    amount: int
    available: int = Field(description="執行可能額")
