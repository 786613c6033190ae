"""歳計外現金 (源泉所得税): the kinds, the ledger by month, a month's rows, the payment to the tax office, 支払調書.

The same selectors and services as the screens: 会計管理者 and 会計 read, the 会計管理者 pays;
for anyone else the lists are empty and one month answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from cityhall.accounts.requests import user_of
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.finance.api import _common as c
from cityhall.finance.excel import XLSX_CONTENT_TYPE
from cityhall.finance.models import WithholdingRemittance
from cityhall.finance.selectors import withholding as selectors
from cityhall.finance.services.withholding import due_date, parse_month, withholding_remit, withholding_statements
from cityhall.finance.withholding_excel import statements_disposition
from cityhall.finance.withholding_tax import kinds, withholding_basis

router = Router(tags=["歳計外現金（源泉所得税）"])
XLSX = {
    "responses": {
        200: {
            "description": "支払調書一覧（Excel）",
            "content": {XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


class KindOut(Schema):
    """A kind of payment subject to withholding (源泉区分) with its rates (1/100 %: 1021 = 10.21 %)."""

    code: str
    name: str
    article: str
    rate: int
    threshold: int | None
    rate_above: int
    deduction: int


class KindsOut(Schema):
    """The kinds and the basis (``included`` 税込 or ``excluded`` 税抜)."""

    basis: str
    kinds: list[KindOut]


class RemittanceOut(Schema):
    """A month's payment to the tax office (源泉所得税の納付)."""

    id: int
    month: dt.date
    due_date: dt.date
    amount: int
    line_count: int


class MonthOut(Schema):
    """One month of the ledger (徴収月) with its balance."""

    month: dt.date
    due_date: dt.date
    receipts: int
    received: int
    paid: int
    balance: int
    remittance: RemittanceOut | None


class EntryOut(Schema):
    """One row of the ledger: 受入 (an order line) or 払出 (a payment to the tax office)."""

    id: int
    kind: str
    kind_label: str
    day: dt.date
    amount: int
    payment_order_id: int | None
    creditor_id: int | None
    creditor: str | None
    withholding_kind: str
    paid_amount: int
    remittance_id: int | None


class RemitIn(Schema):
    """The month whose withheld tax is paid (徴収月, 「2026-11」)."""

    month: str = Field(description="徴収月（YYYY-MM）")


class YearQuery(Schema):
    """The calendar year of the 支払調書 (1月〜12月に支払ったもの)."""

    year: int = Field(ge=2000, le=2100, description="年（西暦）")


def _remittance(r: WithholdingRemittance | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {f: getattr(r, f) for f in ("id", "month", "due_date", "amount", "line_count")}


def _month(text: str) -> dt.date:
    month = parse_month(text)
    if month is None:
        raise ValidationFailed(f"徴収月は「2026-11」の形で入力してください（入力: 「{text}」）。", field="month")
    return month


@router.get("/withholding/kinds", response={200: KindsOut, **c.ERRORS}, summary="源泉区分の一覧")
def kind_list(request: HttpRequest) -> dict[str, Any]:
    """The kinds of payment a line may name (``withholding_kind``) and how their tax is computed."""
    return {"basis": withholding_basis(), "kinds": [vars(kind) for kind in kinds().values()]}


@router.get("/withholding/months", response={200: list[MonthOut], **c.ERRORS}, summary="歳計外現金の月別残高")
def month_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every month with withheld tax, latest first: received, paid to the tax office, balance."""
    return [
        {
            "month": row.month,
            "due_date": due_date(row.month),
            "receipts": row.receipts,
            "received": row.received,
            "paid": row.paid,
            "balance": row.balance,
            "remittance": _remittance(row.remittance),
        }
        for row in selectors.ledger_months(user_of(request))
    ]


@router.get(
    "/withholding/months/{month}/entries", response={200: list[EntryOut], **c.ERRORS}, summary="歳計外現金の受払"
)
def entry_list(request: HttpRequest, month: str) -> list[dict[str, Any]]:
    """The receipts and payments of one month (``2026-11``)."""
    user = user_of(request)
    if not selectors.may_see_withholding(user):
        raise PermissionDenied("歳計外現金の出納簿が見つかりません。")
    return [
        {
            "id": e.pk,
            "kind": e.kind,
            "kind_label": e.get_kind_display(),
            "day": e.day,
            "amount": e.amount,
            "payment_order_id": e.order_line.order_id if e.order_line else None,
            "creditor_id": e.creditor_id,
            "creditor": e.creditor.name if e.creditor else None,
            "withholding_kind": e.withholding_kind,
            "paid_amount": e.paid_amount,
            "remittance_id": e.remittance_id,
        }
        for e in selectors.month_entries(user, _month(month))
    ]


@router.post("/withholding/remittances", response={201: RemittanceOut, **c.ERRORS}, summary="源泉所得税の納付の作成")
def remittance_create(request: HttpRequest, payload: RemitIn) -> Status:
    """Pay the month's withheld tax to the tax office (歳計外現金の払出), due on the 10th of the next month.

    会計管理者 only. A month not yet over, already paid or with nothing withheld is refused.
    """
    made = withholding_remit(actor=user_of(request), month=_month(payload.month))
    return Status(201, _remittance(made))


@router.get("/withholding/statements.xlsx", response=c.ERRORS, summary="支払調書一覧の Excel 出力", openapi_extra=XLSX)
def statements_export(request: HttpRequest, filters: Query[YearQuery]) -> HttpResponse:
    """The year's 支払調書 list per payee and kind (所得税法第225条); each download is audited."""
    content = withholding_statements(actor=user_of(request), year=filters.year)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = statements_disposition(filters.year)
    return response
