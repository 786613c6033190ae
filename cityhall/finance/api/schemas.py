"""Input and output schemas of the budget, creditor and encumbrance endpoints (予算・債権者・支出負担行為).

Amounts are whole yen as JSON integers (``Yen``): a decimal or a string is a 422
with the usual Japanese message, before any service runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from cityhall.core.http import Yen

# --- reference lists ---------------------------------------------------------


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


# --- budget lines -----------------------------------------------------------


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

    account_id: int
    fiscal_year: int
    moku_id: int
    setsu_id: int | None = None
    saisetsu_id: int | None = None
    reserve: bool = Field(False, description="予備費の明細（節なし、会計・年度ごとに一つ）")


class VersionAmountIn(Schema):
    """The amount a version gives one line (補正では増減、減額は負の数)."""

    line_id: int
    amount: Yen


class VersionIn(Schema):
    """A budget voted by the council (予算の議決): 当初予算 first, then 補正予算."""

    account_id: int
    fiscal_year: int
    name: str = Field(description="例: 当初予算、第1号補正予算")
    amounts: list[VersionAmountIn]


class VersionOut(Schema):
    """A budget version (予算の版): number 0 is 当初, 1.. are 補正."""

    id: int
    account_id: int
    fiscal_year: int
    number: int
    name: str
    kind: str = Field(description="当初 または 補正")
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


class TransferIn(Schema):
    """A budget transfer (流用) between 目/節 of one 項."""

    title: str = "予算の流用について"
    source_line_id: int
    target_line_id: int
    amount: Yen
    reason: str


class ReserveUseIn(Schema):
    """A reserve-fund use (予備費充用) from the 予備費 line to a line of the same account and year."""

    title: str = "予備費の充用について"
    source_line_id: int = Field(description="予備費の明細")
    target_line_id: int
    amount: Yen
    reason: str


class CarryOverIn(Schema):
    """A carry-over (繰越明許・事故繰越) of a line's unallotted budget into the next year."""

    title: str = "予算の繰越について"
    source_line_id: int
    kind: Literal["carry_explicit", "carry_accident"] = Field(
        description="carry_explicit=繰越明許, carry_accident=事故繰越"
    )
    amount: Yen
    reason: str


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
    links: dict[str, str] = Field(description="回議・決裁は文書 API で行う")


# --- creditors --------------------------------------------------------------


class BankAccountIn(Schema):
    """A bank account (振込口座) as entered; bank and branch are checked against zengin-code."""

    bank_code: str = Field(description="銀行コード（4桁）")
    branch_code: str = Field(description="支店コード（3桁）")
    account_type: str = Field("1", description="1=普通, 2=当座, 4=貯蓄, 9=その他")
    account_number: str = Field(description="口座番号（7桁）")
    holder_name: str = Field(description="口座名義（全銀の文字に正規化。使えない文字はその文字を示して 400）")


class BankAccountOut(Schema):
    """A creditor's bank account (振込口座), holder in 全銀 half-width kana."""

    id: int
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    account_type: str
    account_number: str
    holder_kana: str
    is_default: bool
    is_active: bool  # False: stopped (停止中), kept for the orders that paid to it


class CreditorIn(Schema):
    """A new creditor (債権者) with an optional bank account."""

    code: str
    name: str
    kana: str
    address: str = ""
    invoice_registration_number: str = Field("", description="登録番号（T＋13桁）")
    is_individual: bool = False
    bank_account: BankAccountIn | None = None


class CreditorOut(Schema):
    """A creditor (債権者); bank accounts are shown to the 会計 role only."""

    id: int
    code: str
    name: str
    kana: str
    address: str
    invoice_registration_number: str
    is_individual: bool
    is_active: bool
    bank_accounts: list[BankAccountOut] | None = Field(None, description="会計の権限がある場合のみ")


class CreditorPage(Schema):
    """One page of creditors and the total count (件数)."""

    count: int
    page: int
    page_size: int
    items: list[CreditorOut]


class SimilarCreditorOut(Schema):
    """An existing creditor that may be the same one (重複の可能性)."""

    id: int
    code: str
    name: str
    kana: str


class CreditorCreatedOut(Schema):
    """A registered creditor, its warning and possible duplicates (重複の警告)."""

    creditor: CreditorOut
    warning: str = Field(description="例: 個人の登録番号の確認")
    similar: list[SimilarCreditorOut] = Field(description="名称またはフリガナが同じ既存の債権者")


# --- encumbrances -----------------------------------------------------------


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
    line_id: int
    creditor_id: int
    amount: Yen
    contract_method: str = Field(description="tender=入札, negotiated=随意契約, unit_price=単価契約")
    deadline: dt.date | None = Field(None, description="履行期限")
    body: str = ""


class EncumbranceUpdateIn(Schema):
    """Changes to a draft encumbrance (起案中・差戻し); only the fields sent change, ``deadline: null`` clears it."""

    title: str | None = None
    amount: Yen | None = None
    creditor_id: int | None = None
    contract_method: str | None = None
    deadline: dt.date | None = None


class AmendIn(Schema):
    """A decrease of a decided encumbrance's amount (減額) with the reason; increases are refused."""

    amount: Yen
    reason: str


class CancelIn(Schema):
    """Cancellation (取消) with the reason."""

    reason: str
