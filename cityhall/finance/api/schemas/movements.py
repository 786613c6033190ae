"""Schemas of the budget movement endpoints (流用・予備費充用・繰越)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

from cityhall.core.http import BodyId, Yen


class TransferIn(Schema):
    """A budget transfer (流用) between 目/節 of one 項."""

    title: str = "予算の流用について"
    source_line_id: BodyId
    target_line_id: BodyId
    amount: Yen
    reason: str


class ReserveUseIn(Schema):
    """A reserve-fund use (予備費充用) from the 予備費 line to a line of the same account and year."""

    title: str = "予備費の充用について"
    source_line_id: BodyId = Field(description="予備費の明細")
    target_line_id: BodyId
    amount: Yen
    reason: str


class CarryOverIn(Schema):
    """A carry-over into next year: 繰越明許 under a 繰越明許費, 事故繰越 of an encumbrance, 継続費の逓次繰越."""

    title: str = "予算の繰越について"
    source_line_id: BodyId | None = Field(None, description="繰越元の予算明細（支出負担行為を指定すればその明細）")
    kind: Literal["carry_explicit", "carry_accident", "carry_continuing"] = Field(
        description="carry_explicit=繰越明許, carry_accident=事故繰越, carry_continuing=継続費逓次繰越"
    )
    amount: Yen
    reason: str
    allowance_id: BodyId | None = Field(None, description="繰越明許費（繰越明許のとき必須）")
    encumbrance_id: BodyId | None = Field(None, description="繰り越す支出負担行為（事故繰越のとき必須）")
    continuing_id: BodyId | None = Field(None, description="継続費（逓次繰越のとき必須）")


class TransferOut(Schema):
    """A drafted movement of budget (流用・予備費充用・繰越) and where its route is driven."""

    id: int
    kind: str
    kind_label: str
    document_id: int
    source_line_id: int
    target_line_id: int
    amount: int
    reason: str
    allowance_id: int | None = None
    encumbrance_id: int | None = None
    continuing_id: int | None = None
    links: dict[str, str] = Field(description="回議・決裁は文書 API で行う")
