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


class EncumbranceDetailOut(EncumbranceOut):
    """An encumbrance with its budget figures (執行可能額・支出命令済額)."""

    allotment_amount: int = Field(description="配当額")
    available: int = Field(description="配当の執行可能額")
    ordered: int = Field(description="この負担行為に対する支出命令額（回議中を含む）")
    unordered: int = Field(description="支出命令できる残額")


class EncumbranceIn(Schema):
    """A new encumbrance (支出負担行為の起案) on a line allotted to the caller's section."""

    title: str
    line_id: BodyId
    creditor_id: BodyId
    amount: Yen
    contract_method: str = Field(description="tender=入札, negotiated=随意契約, unit_price=単価契約")
    deadline: dt.date | None = Field(None, description="履行期限")
    body: str = ""


class EncumbranceUpdateIn(Schema):
    """Changes to a draft encumbrance (起案中・差戻し); only the fields sent change, ``deadline: null`` clears it."""

    title: str | None = None
    amount: Yen | None = None
    creditor_id: BodyId | None = None
    contract_method: str | None = None
    deadline: dt.date | None = None


class AmendIn(Schema):
    """A decrease of a decided encumbrance's amount (減額) with the reason; increases are refused."""

    amount: Yen
    reason: str


class CancelIn(Schema):
    """Cancellation (取消) with the reason."""

    reason: str
