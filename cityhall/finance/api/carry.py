"""繰越明許費, 継続費 and the 繰越計算書: what the budget lets a city carry, and the report of what it carried.

The same services as the screens: the 会計 role enters 繰越明許費 and 継続費 and downloads the
statements; for anyone else the lists are empty and the writes and files answer 404.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from cityhall.accounts.requests import user_of
from cityhall.core.errors import ValidationFailed
from cityhall.core.http import BodyId, Yen
from cityhall.finance import services
from cityhall.finance.api import _common as c
from cityhall.finance.excel import XLSX_CONTENT_TYPE
from cityhall.finance.models import BudgetVersion, CarryAllowance, ContinuingExpense
from cityhall.finance.selectors.carry_statements import carry_statements

router = Router(tags=["繰越明許費・継続費・繰越計算書"])


class AllowanceIn(Schema):
    """A 繰越明許費 of a budget (地方自治法第213条): 項, 事業名 and the amount allowed."""

    version_id: BodyId
    kou_id: BodyId
    project: str
    amount: Yen


class AllowanceOut(Schema):
    id: int
    version_id: int
    account_id: int
    fiscal_year: int
    kou_id: int
    project: str
    amount: int


class ContinuingIn(Schema):
    """A 継続費 (法212条): the line of its first year (目・節), 事業名, and the 年割額 from that year on."""

    version_id: BodyId
    line_id: BodyId
    project: str
    installments: list[Yen] = Field(description="年割額（予算の年度から連続する各年度）")


class ContinuingOut(Schema):
    id: int
    account_id: int
    project: str
    total: int
    first_year: int
    last_year: int
    installments: dict[int, int]


class StatementQuery(Schema):
    account_id: int
    fiscal_year: int


class StatementRowOut(Schema):
    kan: str
    kou: str
    project: str
    figures: list[int]
    note: str


class StatementOut(Schema):
    title: str
    article: str
    columns: list[str]
    rows: list[StatementRowOut]
    totals: list[int]


def _version(pk: int) -> BudgetVersion:
    found = BudgetVersion.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed("予算の版が見つかりません。", field="version_id")
    return found


def _allowance_out(a: CarryAllowance) -> dict[str, Any]:
    return {f: getattr(a, f) for f in ("id", "version_id", "account_id", "fiscal_year", "kou_id", "project", "amount")}


def _continuing_out(e: ContinuingExpense) -> dict[str, Any]:
    out = {f: getattr(e, f) for f in ("id", "account_id", "project", "total", "first_year", "last_year")}
    return out | {"installments": {i.fiscal_year: i.amount for i in e.installments.all()}}


@router.get("/carry-allowances", response={200: list[AllowanceOut], **c.ERRORS}, summary="繰越明許費の一覧")
def allowance_list(request: HttpRequest, fiscal_year: int | None = None) -> list[dict[str, Any]]:
    """The 繰越明許費 of the budgets, for the 会計 role (empty for anyone else)."""
    if not c.is_finance_staff(user_of(request)):
        return []
    rows = CarryAllowance.objects.all()
    if fiscal_year is not None:
        rows = rows.filter(fiscal_year=fiscal_year)
    return [_allowance_out(a) for a in rows]


@router.post("/carry-allowances", response={201: AllowanceOut, **c.ERRORS}, summary="繰越明許費の登録")
def allowance_create(request: HttpRequest, payload: AllowanceIn) -> Status[dict[str, Any]]:
    """Enter a 繰越明許費 with the budget version the council decided."""
    allowance = services.carry_allowance_create(
        actor=c.require_finance_staff(request),
        version=_version(payload.version_id),
        kou=c.heading(payload.kou_id, "kou_id"),
        project=payload.project,
        amount=payload.amount,
    )
    return Status(201, _allowance_out(allowance))


@router.get("/continuing-expenses", response={200: list[ContinuingOut], **c.ERRORS}, summary="継続費の一覧")
def continuing_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The 継続費 with their 年割額, for the 会計 role (empty for anyone else)."""
    if not c.is_finance_staff(user_of(request)):
        return []
    return [_continuing_out(e) for e in ContinuingExpense.objects.prefetch_related("installments")]


@router.post("/continuing-expenses", response={201: ContinuingOut, **c.ERRORS}, summary="継続費の登録")
def continuing_create(request: HttpRequest, payload: ContinuingIn) -> Status[dict[str, Any]]:
    """Enter a 継続費 and its 年割額; 逓次繰越 then carries the unspent part up to its last year."""
    expense = services.continuing_expense_create(
        actor=c.require_finance_staff(request),
        version=_version(payload.version_id),
        line=c.line(payload.line_id),
        project=payload.project,
        installments=payload.installments,
    )
    return Status(201, _continuing_out(expense))


@router.get("/carry-statements", response={200: list[StatementOut], **c.ERRORS}, summary="繰越計算書")
def statement_list(request: HttpRequest, filters: Query[StatementQuery]) -> list[dict[str, Any]]:
    """The 繰越明許費・事故繰越し・継続費 繰越計算書 of an account's year (decided carries only)."""
    c.require_finance_staff(request)
    statements = carry_statements(c.account(filters.account_id), filters.fiscal_year)
    return [
        {
            "title": s.title,
            "article": s.article,
            "columns": list(s.columns),
            "rows": [{**r.__dict__, "figures": list(r.figures)} for r in s.rows],
            "totals": list(s.totals),
        }
        for s in statements
    ]


def _file(request: HttpRequest, filters: StatementQuery, file_format: str, content_type: str) -> HttpResponse:
    content, disposition = services.carry_statements_export(
        actor=user_of(request),
        account=c.account(filters.account_id),
        fiscal_year=filters.fiscal_year,
        file_format=file_format,
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = disposition
    return response


def _binary(content_type: str, what: str) -> dict[str, Any]:
    schema = {"schema": {"type": "string", "format": "binary"}}
    return {"responses": {200: {"description": what, "content": {content_type: schema}}}}


@router.get(
    "/carry-statements.xlsx",
    response=c.ERRORS,
    summary="繰越計算書の Excel 出力",
    openapi_extra=_binary(XLSX_CONTENT_TYPE, "繰越計算書（Excel）"),
)
def statement_xlsx(request: HttpRequest, filters: Query[StatementQuery]) -> HttpResponse:
    """The 繰越計算書 as a workbook, a sheet per statement; each download is audited."""
    return _file(request, filters, "xlsx", XLSX_CONTENT_TYPE)


@router.get(
    "/carry-statements.pdf",
    response=c.ERRORS,
    summary="繰越計算書の PDF 出力",
    openapi_extra=_binary("application/pdf", "繰越計算書（PDF）"),
)
def statement_pdf(request: HttpRequest, filters: Query[StatementQuery]) -> HttpResponse:
    """The 繰越計算書 as an A4 landscape PDF; each download is audited."""
    return _file(request, filters, "pdf", "application/pdf")
