"""Output schemas of the budget execution report (予算執行状況のスキーマ): by line, by section, drill-down."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import Field as PydanticField


class FiguresOut(Schema):
    """The execution figures (執行状況) in whole yen and the execution rate."""

    budget: int = Field(description="予算現額（課別・課で絞ったときは配当額）")
    allotted: int = Field(description="配当額")
    encumbered: int = Field(description="負担額（負担行為を伴わない支出命令を含む）")
    ordered: int = Field(description="支出命令額")
    paid: int = Field(description="支出済額（戻入を差し引いた額）")
    remaining: int = Field(description="残額（執行可能額）")
    refunded: int = Field(0, description="戻入額（地方自治法施行令第159条）")
    unsettled: int = Field(0, description="精算待ちの資金前渡・概算払（令161条・162条）")
    rate: float | None = Field(description="執行率（%、小数1桁）")


class LineRowOut(Schema):
    """A line of the report by line (科目別)."""

    line_id: int
    account: str
    kan: str
    kou: str
    moku: str
    setsu: str
    saisetsu: str
    label: str
    figures: FiguresOut


class LineReportOut(Schema):
    """One page of the report by line and the total of every selected line (合計)."""

    fiscal_year: int
    section_id: int | None = Field(description="数値を絞った一つの課（None は明細全体、または部長の所管する課）")
    limited: bool = Field(False, description="配当を受けた一部の課の数値か（残額は執行可能額）")
    count: int
    page: int
    page_size: int | None
    total: FiguresOut
    items: list[LineRowOut] = PydanticField(validation_alias="rows")


class SectionRowOut(Schema):
    """A section of the report by section (課別)."""

    section_id: int
    code: str
    name: str
    figures: FiguresOut


class SectionReportOut(Schema):
    """The report by section and its total."""

    fiscal_year: int
    total: FiguresOut
    items: list[SectionRowOut] = PydanticField(validation_alias="rows")


class DocumentRowOut(Schema):
    """An encumbrance or order behind a line's figures (内訳の文書)."""

    document_id: int
    number_label: str
    title: str
    kind: str
    section: str
    drafted_on: dt.date
    state: str
    amount: int
    counts: bool = Field(description="現在の数値に含まれるか")
    method: str = Field("", description="支払方法（支出命令）")
    notes: list[str] = Field(default_factory=list, description="精算待ち・精算済・戻入・過年度支出")


class LineDocumentsOut(Schema):
    """The drill-down of a line (予算明細の内訳): its figures, encumbrances and orders, newest first."""

    fiscal_year: int
    section_id: int | None = Field(description="数値を絞った一つの課（None は明細全体、または部長の所管する課）")
    limited: bool = Field(False, description="配当を受けた一部の課の数値か（残額は執行可能額）")
    line: LineRowOut
    encumbrances: list[DocumentRowOut]
    encumbrance_count: int
    orders: list[DocumentRowOut]
    order_count: int
