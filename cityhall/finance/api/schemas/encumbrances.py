"""Schemas of the encumbrance endpoints (支出負担行為)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from cityhall.core.http import BodyId, Yen


class EncumbranceOut(Schema):
    """An encumbrance (支出負担行為) and the state of its document."""

    id: int
    document_id: int
    number_label: str
    title: str
    status: str
    status_label: str
    version: int = Field(description="文書の版（回議開始などで expected_version に渡す）")
    fiscal_year: int
    line_id: int
    line: str
    section_id: int
    section: str
    creditor_id: int
    creditor: str
    amount: int
    original_amount: int
    contract_method: str
    contract_method_label: str = Field(description="契約方法（地方自治法第234条）")
    negotiated_ground: str = Field(description="随意契約の理由: 令167条の2第1項の号（1〜9）、随意契約以外は空")
    contract_kind: str = Field(description="契約の種類（令別表第5）: works, purchase, lease_in, other")
    unit_price: bool = Field(description="単価契約")
    contract_number: str = Field(description="契約番号（年度内で一意）")
    contract_date: dt.date | None = Field(description="契約日")
    deadline: dt.date | None
    cancelled_at: dt.datetime | None
    cancel_reason: str
    links: dict[str, str] = Field(description="回議・決裁は文書 API で行う")


class EncumbrancePage(Schema):
    """One page of encumbrances and the total count (件数)."""

    count: int
    page: int
    page_size: int
    items: list[EncumbranceOut]


class ChangeOut(Schema):
    """A 変更契約 (支出負担行為の変更) and the state of its document."""

    id: int
    document_id: int
    number_label: str
    title: str
    status: str
    status_label: str
    version: int
    sequence: int = Field(description="第n回変更")
    previous_amount: int = Field(description="変更前の金額")
    new_amount: int = Field(description="変更後の金額（総額: 決裁区分はこの額による）")
    difference: int = Field(description="増減額")
    new_deadline: dt.date | None
    change_date: dt.date | None = Field(description="変更契約日")
    reason: str
    applied: bool = Field(description="決裁され、支出負担行為の金額に反映済み")
    links: dict[str, str] = Field(description="回議・決裁は文書 API で行う")


class ChangeIn(Schema):
    """A new 変更契約 of a decided encumbrance of the caller's section: the new total and the reason."""

    new_amount: Yen = Field(description="変更後の金額（総額）")
    reason: str
    title: str = ""
    new_deadline: dt.date | None = None
    change_date: dt.date | None = None
    body: str = ""


class EncumbranceDetailOut(EncumbranceOut):
    """An encumbrance with its budget figures (執行可能額・支出命令済額)."""

    allotment_amount: int = Field(description="配当額")
    available: int = Field(description="配当の執行可能額")
    ordered: int = Field(description="この負担行為に対する支出命令額（回議中を含む）")
    unordered: int = Field(description="支出命令できる残額")
    changes: list[ChangeOut] = Field(description="変更契約の履歴（古い順）")
    split_warning: str | None = Field(
        description="分割発注の疑い（同じ債権者・予算科目で期間内の合計が上の決裁区分に当たる）"
    )


class EncumbranceIn(Schema):
    """A new encumbrance (支出負担行為の起案) on a line allotted to the caller's section."""

    title: str
    line_id: BodyId
    creditor_id: BodyId
    amount: Yen
    contract_method: str = Field(
        description="general_tender=一般競争入札, designated_tender=指名競争入札, negotiated=随意契約, "
        "auction=せり売り, none=契約によらない"
    )
    negotiated_ground: str = Field("", description="随意契約の理由: 令167条の2第1項の号（1〜9）")
    contract_kind: str = Field("", description="契約の種類: works, purchase, lease_in, other（空は節から）")
    unit_price: bool = Field(False, description="単価契約")
    contract_number: str = Field("", description="契約番号")
    contract_date: dt.date | None = Field(None, description="契約日")
    deadline: dt.date | None = Field(None, description="履行期限")
    body: str = ""


class EncumbranceUpdateIn(Schema):
    """Changes to a draft encumbrance (起案中・差戻し); only the fields sent change, ``deadline: null`` clears it."""

    title: str | None = None
    amount: Yen | None = None
    creditor_id: BodyId | None = None
    contract_method: str | None = None
    negotiated_ground: str | None = None
    contract_kind: str | None = None
    unit_price: bool | None = None
    contract_number: str | None = None
    contract_date: dt.date | None = None
    deadline: dt.date | None = None


class AmendIn(Schema):
    """A decrease of a decided encumbrance's amount (減額) with the reason; an increase is a 変更契約."""

    amount: Yen
    reason: str


class CancelIn(Schema):
    """Cancellation (取消) with the reason."""

    reason: str
