"""Budget (予算): fiscal years, accounts, headings 款項目節, lines with figures, versions (当初・補正), allotments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from cityhall.accounts.requests import user_of
from cityhall.core.errors import PermissionDenied
from cityhall.core.http import BodyId, FiscalYear, Id, Page, PageSize
from cityhall.core.japanese import fiscal_year, fiscal_year_label
from cityhall.finance import balance, services
from cityhall.finance.api import _common as c
from cityhall.finance.api.schemas.budget import (
    AccountOut,
    AllotmentIn,
    AllotmentOut,
    FiscalYearOut,
    HeadingOut,
    LineIn,
    LineOut,
    LinePage,
    VersionIn,
    VersionOut,
)
from cityhall.finance.models import Account, BudgetClassification, BudgetLine, BudgetVersion
from cityhall.finance.selectors.budget import SectionScope, lines_for, visible_sections

router = Router(tags=["予算"])


class HeadingQuery(Schema):
    """Filters of the headings list: an account's 款項目 plus the standard 節 and 細節."""

    account_id: Id | None = None
    level: str | None = None


class LineQuery(Schema):
    """Filters of the lines list (年度・会計・課); empty means "any"."""

    fiscal_year: FiscalYear | None = None
    account_id: Id | None = None
    section_id: Id | None = None
    page: Page = 1
    page_size: PageSize = 50


def _line_out(line: BudgetLine, figures: balance.LineFigures) -> dict[str, Any]:
    """A line with its budget, allotted and unallotted amounts and the figures of each allotment shown."""
    rows = [
        {
            "id": row.allotment.pk,
            "section_id": row.allotment.section_id,
            "section": row.allotment.section.name,
            "amount": row.allotment.amount,
            "encumbered": row.encumbered,
            "unencumbered_orders": row.unencumbered_orders,
            "available": row.available,
        }
        for row in figures.allotments
    ]
    return {
        **{f: getattr(line, f) for f in ("id", "account_id", "fiscal_year", "label", "moku_id", "setsu_id")},
        "saisetsu_id": line.saisetsu_id,
        "is_reserve": line.is_reserve,
        "budget_kind": line.budget_kind,
        "budget": figures.budget,
        "allotted": figures.allotted,
        "unallotted": figures.unallotted,
        "allotments": rows,
    }


def _shown_sections(scope: SectionScope) -> set[int] | None:
    """The sections whose allotments a line shows the user (``visible_sections``); None for all of them."""
    return None if scope.units is None else set(scope.units.values_list("pk", flat=True))


def lines_out(lines: Sequence[BudgetLine], sections: set[int] | None) -> list[dict[str, Any]]:
    """Lines with their figures, read in a few grouped queries whatever their number (none per line)."""
    figures = balance.line_figures_for(lines, sections=sections)
    return [_line_out(line, figures[line.pk]) for line in lines]


def line_figures(line: BudgetLine, sections: set[int] | None) -> dict[str, Any]:
    """One line with its figures; the allotments shown are those of ``sections`` (all when None)."""
    return lines_out([line], sections)[0]


@router.get("/fiscal-years", response=list[FiscalYearOut], summary="年度の一覧")
def fiscal_year_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Fiscal years with budget lines or versions, and the current one, newest first."""
    current = fiscal_year(timezone.localdate())
    years = set(BudgetLine.objects.values_list("fiscal_year", flat=True).distinct())
    years |= set(BudgetVersion.objects.values_list("fiscal_year", flat=True).distinct()) | {current}
    return [{"year": y, "label": fiscal_year_label(y), "current": y == current} for y in sorted(years, reverse=True)]


@router.get("/accounts", response=list[AccountOut], summary="会計の一覧")
def account_list(request: HttpRequest) -> list[Account]:
    """The accounts (一般会計・特別会計) in their order."""
    return list(Account.objects.order_by("sort_order", "code"))


@router.get("/headings", response=list[HeadingOut], summary="予算科目（款項目節）の一覧")
def heading_list(request: HttpRequest, filters: Query[HeadingQuery]) -> list[BudgetClassification]:
    """款・項・目 of the account (all accounts when none given) and the standard 節 (27) with their 細節."""
    rows = BudgetClassification.objects.order_by("level", "sort_order", "code")
    if filters.account_id is not None:
        rows = rows.filter(Q(account_id=filters.account_id) | Q(account__isnull=True))
    if filters.level:
        rows = rows.filter(level=filters.level)
    return list(rows)


class HeadingIn(Schema):
    """A new heading (予算科目): 款 of an account, 項 under a 款, 目 under a 項, or 細節 under a 節."""

    level: str
    code: str
    name: str
    account_id: BodyId | None = None
    parent_id: BodyId | None = None
    transfer_locked: bool = False


class LockIn(Schema):
    """Whether the 節 is locked against transfers (流用禁止)."""

    locked: bool


@router.post("/headings", response={201: HeadingOut, **c.ERRORS}, summary="予算科目（款・項・目・細節）の登録")
def heading_post(request: HttpRequest, payload: HeadingIn) -> Status[BudgetClassification]:
    """Register a heading (会計 role); the standard 27 節 are fixed and cannot be added."""
    heading = services.heading_create(
        actor=user_of(request),
        level=payload.level,
        code=payload.code,
        name=payload.name,
        account=c.account(payload.account_id) if payload.account_id is not None else None,
        parent=c.heading(payload.parent_id, "parent_id") if payload.parent_id is not None else None,
        transfer_locked=payload.transfer_locked,
    )
    return Status(201, heading)


@router.put(
    "/headings/{int:heading_id}/transfer-lock", response={200: HeadingOut, **c.ERRORS}, summary="流用禁止の設定（節）"
)
def heading_lock(request: HttpRequest, heading_id: Id, payload: LockIn) -> BudgetClassification:
    """Lock or unlock a 節 against transfers (会計 role)."""
    return services.setsu_lock(
        actor=user_of(request), heading=c.heading(heading_id, "heading_id"), locked=payload.locked
    )


@router.get("/lines", response={200: LinePage, **c.ERRORS}, summary="予算明細と執行状況の一覧")
def line_list(request: HttpRequest, filters: Query[LineQuery]) -> dict[str, Any]:
    """Lines the caller may see with budget, allotted and each allotment's available balance (執行可能額)."""
    user = user_of(request)
    scope = visible_sections(user)
    rows = lines_for(user, scope=scope)
    if filters.fiscal_year is not None:
        rows = rows.filter(fiscal_year=filters.fiscal_year)
    if filters.account_id is not None:
        rows = rows.filter(account_id=filters.account_id)
    sections = _shown_sections(scope)
    if filters.section_id is not None:
        rows = rows.filter(allotments__section_id=filters.section_id).distinct()
        sections = {filters.section_id} & sections if sections is not None else {filters.section_id}
    page = c.paged(rows, filters.page, filters.page_size)
    page["items"] = lines_out(page["items"], sections)
    return page


@router.get("/lines/{int:line_id}", response={200: LineOut, **c.ERRORS}, summary="予算明細の詳細")
def line_detail(request: HttpRequest, line_id: Id) -> dict[str, Any]:
    """One line the caller may see with its figures."""
    user = user_of(request)
    scope = visible_sections(user)
    line = lines_for(user, scope=scope).filter(pk=line_id).first()
    if line is None:
        raise PermissionDenied("予算明細が見つかりません。")
    sections = _shown_sections(scope)
    return line_figures(line, sections)


@router.post("/lines", response={201: LineOut, **c.ERRORS}, summary="予算明細の登録")
def line_create(request: HttpRequest, payload: LineIn) -> Status[dict[str, Any]]:
    """Register a line 款/項/目/節(/細節) for an account and year, or the 予備費 line without 節 (会計の権限)."""
    line = services.budget_line_create(
        actor=user_of(request),
        account=c.account(payload.account_id),
        fiscal_year=payload.fiscal_year,
        moku=c.heading(payload.moku_id, "moku_id"),
        setsu=c.heading(payload.setsu_id, "setsu_id") if payload.setsu_id else None,
        saisetsu=c.heading(payload.saisetsu_id, "saisetsu_id") if payload.saisetsu_id else None,
        reserve=payload.reserve,
    )
    return Status(201, line_figures(line, None))


@router.post("/budget-versions", response={201: VersionOut, **c.ERRORS}, summary="予算の登録（当初・補正）")
def version_create(request: HttpRequest, payload: VersionIn) -> Status[dict[str, Any]]:
    """Add 当初予算 (the first version of the year) or a 補正予算 with its amount per line."""
    amounts = [(c.line(row.line_id, "amounts"), row.amount) for row in payload.amounts]
    version = services.budget_version_create(
        actor=user_of(request),
        account=c.account(payload.account_id),
        fiscal_year=payload.fiscal_year,
        name=payload.name,
        amounts=amounts,
        personnel_transfer=payload.personnel_transfer,
    )
    out = {f: getattr(version, f) for f in ("id", "account_id", "fiscal_year", "number", "name", "personnel_transfer")}
    kind = "当初" if version.number == 0 else "補正"
    return Status(201, {**out, "kind": kind, "total": sum(a for _l, a in amounts)})


@router.put(
    "/lines/{int:line_id}/allotments/{int:section_id}", response={200: AllotmentOut, **c.ERRORS}, summary="配当の設定"
)
def allotment_put(request: HttpRequest, line_id: Id, section_id: Id, payload: AllotmentIn) -> dict[str, Any]:
    """Set the allotment (配当額) of the line to the 課: within the budget, not below what is encumbered."""
    allotment = services.allotment_set(
        actor=user_of(request), line=c.line(line_id), section=c.section(section_id), amount=payload.amount
    )
    available = balance.available_amount(allotment)
    return {**{f: getattr(allotment, f) for f in ("id", "line_id", "section_id", "amount")}, "available": available}
