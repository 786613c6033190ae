"""Schemas of the payment order endpoints (支出命令) and their lines."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from cityhall.core.http import BodyId, Yen


class OrderLineIn(Schema):
    """One line of an order (支出命令の明細): creditor, 税込 amount, tax rate, withholding."""

    creditor_id: BodyId
    amount: Yen = Field(description="税込金額（円）")
    tax_rate: int = Field(10, description="10, 8, 0（対象外・非課税）")
    tax_amount: Yen | None = Field(None, description="うち消費税額（省略時は税率から計算）")
    withholding: Yen = Field(
        0, description="源泉徴収額（0なら源泉区分から計算。指定するときは計算した額と同じであること）"
    )
    withholding_kind: str = Field(
        "", description="源泉区分（professional, manuscript, scrivener など。空なら源泉徴収なし）"
    )
    bank_account_id: BodyId | None = Field(None, description="振込口座（省略時は既定の口座）")
    description: str = ""


class OrderIn(Schema):
    """A new payment order (支出命令の起案): linked to an encumbrance, combined (兼) or collective (集合)."""

    title: str
    kind: str = Field(description="linked=支出命令, combined=支出負担行為兼支出命令, collective=集合支出命令")
    lines: list[OrderLineIn]
    payment_date: dt.date = Field(description="支払予定日（銀行営業日）")
    line_id: BodyId | None = Field(None, description="予算明細（兼・集合）")
    encumbrance_id: BodyId | None = Field(None, description="支出負担行為（linked）")
    payment_method: str = Field(
        "transfer",
        description="transfer=口座振込, cash=窓口払, advance=資金前渡（令161条）, debit=口座振替（令165条の2）, "
        "internal=公金振替（令165条の3）",
    )
    payment_timing: str = Field(
        "regular", description="regular=確定払, estimate=概算払（令162条）, prepay=前金払（令163条）"
    )
    advance_holder_id: int | None = Field(None, description="資金前渡職員（資金前渡のとき）")
    method_ground: str = Field("", description="前金払の根拠（令163条各号の記号）、口座振替の依頼（契約）の内容")
    transfer_to: str = Field("", description="公金振替の振替先の会計・基金")
    prior_fiscal_year: int | None = Field(None, description="過年度支出の原年度（令165条の8）")
    inspection_date: dt.date | None = Field(None, description="検収日")
    inspector_id: int | None = Field(None, description="検査員（この支出命令・支出負担行為の起案者以外の職員）")
    invoice_received_on: dt.date | None = Field(None, description="請求書受理日")
    description: str = Field("", description="摘要")
    body: str = ""


class OrderUpdateIn(Schema):
    """Changes to a draft order (支出命令の修正); only the fields sent are changed, ``lines`` replaces all lines."""

    title: str | None = None
    kind: str | None = None
    lines: list[OrderLineIn] | None = None
    payment_date: dt.date | None = None
    line_id: BodyId | None = None
    encumbrance_id: BodyId | None = None
    payment_method: str | None = None
    payment_timing: str | None = None
    advance_holder_id: int | None = None
    method_ground: str | None = None
    transfer_to: str | None = None
    prior_fiscal_year: int | None = None
    inspection_date: dt.date | None = None
    inspector_id: int | None = None
    invoice_received_on: dt.date | None = None
    description: str | None = None
    body: str | None = None


class OrderLineOut(Schema):
    """A stored line of an order."""

    id: int
    position: int
    creditor_id: int
    creditor: str
    bank_account_id: int | None
    description: str
    tax_rate: int
    amount: int
    tax_amount: int
    withholding: int
    withholding_kind: str = Field(description="源泉区分（空なら源泉徴収なし）")


class ReceiptIn(Schema):
    """One receipt (領収書) of a settlement."""

    description: str
    amount: Yen


class SettlementIn(Schema):
    """A settlement (精算) of a paid 資金前渡 or 概算払: what was actually spent."""

    actual: Yen = Field(description="精算額（実際の支出額）。資金前渡は前渡額以内（令161条）")
    note: str = ""
    receipts: list[ReceiptIn] = Field(default_factory=list, description="領収書（合計は精算額と一致）")


class SettlementOut(Schema):
    """A settlement and what follows it: the 戻入 of the unused part, the additional payment of a 概算払."""

    id: int
    order_id: int
    settled_on: dt.date
    advanced: int
    actual: int
    returned: int = Field(description="戻入額")
    additional: int = Field(description="追加支払額（概算払）")
    note: str


class RefundIn(Schema):
    """A refund (戻入, 令159条) of a paid order."""

    amount: Yen
    reason: str


class RefundOut(Schema):
    """A recorded refund."""

    id: int
    order_id: int
    amount: int
    refunded_on: dt.date
    reason: str


class RateTotalOut(Schema):
    """Amount and tax per consumption tax rate (税率ごとの合計)."""

    tax_rate: int
    amount: int
    tax_amount: int


class OrderOut(Schema):
    """A payment order (支出命令), the state of its document and of its review."""

    id: int
    document_id: int
    number_label: str
    title: str
    status: str
    status_label: str
    version: int = Field(description="文書の版（回議開始などで expected_version に渡す）")
    kind: str
    kind_label: str
    fiscal_year: int
    line_id: int
    line: str
    section_id: int
    section: str
    encumbrance_id: int | None
    payment_method: str
    payment_method_label: str = ""
    payment_timing: str = "regular"
    advance_holder_id: int | None = Field(None, description="資金前渡職員")
    method_ground: str = ""
    transfer_to: str = ""
    prior_fiscal_year: int | None = Field(None, description="過年度支出の原年度")
    refunded_amount: int = Field(0, description="戻入額（令159条）")
    settlement: SettlementOut | None = Field(None, description="精算（資金前渡・概算払）")
    payment_date: dt.date
    inspection_date: dt.date | None
    inspector_id: int | None = Field(None, description="検査員")
    inspector: str = Field("", description="検査員の氏名")
    inspection_report_required: bool = Field(
        False, description="検査調書が必要か（工事、または一定額以上の物品の買入れ。地方自治法第234条の2）"
    )
    invoice_received_on: dt.date | None
    payment_deadline: dt.date | None = Field(
        None, description="支払期限（政府契約の支払遅延防止法第6条: 請求書受理日から30日、工事は40日）"
    )
    payment_deadline_days_left: int | None = Field(None, description="支払期限までの日数（過ぎていれば負）")
    description: str
    total_amount: int = Field(description="支出命令額（税込）")
    withholding_amount: int = Field(description="源泉徴収額")
    payment_amount: int = Field(description="支払額")
    review_status: str
    review_status_label: str
    review_reason: str = Field(description="返付理由")
    reviewed_at: dt.datetime | None
    batch_id: int | None
    links: dict[str, str] = Field(description="回議・決裁は文書 API で行う")


class OrderPage(Schema):
    """One page of orders and the total count (件数)."""

    count: int
    page: int
    page_size: int
    items: list[OrderOut]


class OrderDetailOut(OrderOut):
    """A payment order with its lines and totals per tax rate."""

    lines: list[OrderLineOut]
    totals_by_rate: list[RateTotalOut]
