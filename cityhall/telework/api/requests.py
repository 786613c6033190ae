"""REST API of telework requests (テレワーク申請 API): draft, list, one request, the calendar and the limits.

Submitting, approving and deciding a request go through the documents API (``/api/documents/{id}/...``)
like every document; its ``document_id`` names it there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from cityhall.accounts.requests import user_of
from cityhall.core.http import ERRORS, Id
from cityhall.telework import services
from cityhall.telework.models import TeleworkLimits, TeleworkRequest
from cityhall.telework.selectors import policy_rows
from cityhall.telework.selectors import requests as selectors

router = Router(auth=django_auth, tags=["テレワーク申請"])


class RequestIn(Schema):
    """A new request: days (YYYY-MM-DD), tasks to be done, reachable hours (HH:MM)."""

    days: list[dt.date] = Field(min_length=1, max_length=10, description="テレワークをする日")
    tasks: str = Field(max_length=2000, description="実施する業務")
    reachable_from: dt.time = Field(dt.time(9, 0), description="連絡可能な時間（から）")
    reachable_to: dt.time = Field(dt.time(17, 45), description="連絡可能な時間（まで）")


class RequestOut(Schema):
    """A request with its document's number and state."""

    id: int
    document_id: int
    number_label: str
    status: str
    status_label: str
    person: str
    section: str
    days: list[dt.date]
    tasks: str
    reachable_from: dt.time
    reachable_to: dt.time


class ListQuery(Schema):
    """Only the caller's own requests, or every request they may see (own 課; 情報政策 all)."""

    mine: bool = True


class CalendarQuery(Schema):
    """The 課 (own by default), the first day (this week's Monday by default) and the number of days."""

    section: Id | None = None
    start: dt.date | None = None
    days: int = Field(7, ge=1, le=31)


class CalendarRowOut(Schema):
    """One member of staff: where they work each day (office, pending, telework)."""

    user_id: int
    name: str
    cells: list[str]


class CalendarOut(Schema):
    """Who works where in a 課."""

    section_id: int
    section: str
    days: list[dt.date]
    rows: list[CalendarRowOut]


class LimitsIO(Schema):
    """The limits of telework days and the switch 「承認されたテレワーク日のみ」."""

    max_days_per_week: int = Field(ge=1, le=7)
    max_section_percent: int = Field(ge=1, le=100)
    approved_days_only: bool


def _out(row: TeleworkRequest) -> dict[str, Any]:
    doc = row.document
    return {
        "id": row.pk,
        "document_id": doc.pk,
        "number_label": doc.number_label,
        "status": doc.status,
        "status_label": str(doc.get_status_display()),
        "person": row.person.get_full_name() or row.person.username,
        "section": row.section.name,
        "days": [d.day for d in row.days.all()],
        "tasks": row.tasks,
        "reachable_from": row.reachable_from,
        "reachable_to": row.reachable_to,
    }


@router.get("/requests", response={200: list[RequestOut], **ERRORS}, summary="テレワーク申請の一覧")
def request_list_api(request: HttpRequest, query: Query[ListQuery]) -> list[dict[str, Any]]:
    """The caller's requests (or every request they may see), newest first, at most 200."""
    return [_out(r) for r in selectors.requests_for(user_of(request), mine=query.mine)[:200]]


@router.post("/requests", response={201: RequestOut, **ERRORS}, summary="テレワーク申請の起案")
def request_create_api(request: HttpRequest, payload: RequestIn) -> Status:
    """Draft a request within the limits (audited); submit it through the documents API."""
    data = services.RequestInput(
        days=payload.days, tasks=payload.tasks, reachable_from=payload.reachable_from, reachable_to=payload.reachable_to
    )
    made = services.request_draft(actor=user_of(request), data=data)
    return Status(201, _out(selectors.request_for(user_of(request), made.pk)))


@router.get("/requests/{request_id}", response={200: RequestOut, **ERRORS}, summary="テレワーク申請の詳細")
def request_detail_api(request: HttpRequest, request_id: Id) -> dict[str, Any]:
    """One request the caller may see."""
    return _out(selectors.request_for(user_of(request), request_id))


@router.put("/requests/{request_id}", response={200: RequestOut, **ERRORS}, summary="テレワーク申請の修正")
def request_update_api(request: HttpRequest, request_id: Id, payload: RequestIn) -> dict[str, Any]:
    """Correct one's own request while it is 起案中 or 差戻し (audited), within the limits; then submit it
    again through the documents API."""
    data = services.RequestInput(
        days=payload.days, tasks=payload.tasks, reachable_from=payload.reachable_from, reachable_to=payload.reachable_to
    )
    services.request_update(actor=user_of(request), request_id=request_id, data=data)
    return _out(selectors.request_for(user_of(request), request_id))


@router.get("/calendar", response={200: CalendarOut, **ERRORS}, summary="勤務場所の予定")
def calendar_api(request: HttpRequest, query: Query[CalendarQuery]) -> dict[str, Any]:
    """Who works where in a 課 from ``start`` (own 課; any 課 for the 情報政策 role)."""
    start = query.start or selectors.week_start(timezone.localdate())
    shown = selectors.calendar(user_of(request), section_id=query.section, start=start, length=query.days)
    return {
        "section_id": shown.section.pk,
        "section": shown.section.name,
        "days": shown.days,
        "rows": [
            {"user_id": r.person.pk, "name": r.person.get_full_name() or r.person.username, "cells": r.cells}
            for r in shown.rows
        ],
    }


def _limits() -> LimitsIO:
    row = TeleworkLimits.current()
    return LimitsIO(
        max_days_per_week=row.max_days_per_week,
        max_section_percent=row.max_section_percent,
        approved_days_only=row.approved_days_only,
    )


@router.get("/limits", response={200: LimitsIO, **ERRORS}, summary="テレワークの上限の取得")
def limits_get(request: HttpRequest) -> LimitsIO:
    """The limits (情報政策の権限)."""
    policy_rows(user_of(request))
    return _limits()


@router.put("/limits", response={200: LimitsIO, **ERRORS}, summary="テレワークの上限の変更")
def limits_put(request: HttpRequest, payload: LimitsIO) -> LimitsIO:
    """Set the limits and the switch 「承認されたテレワーク日のみ」 (情報政策の権限; audited)."""
    services.telework_limits_set(actor=user_of(request), limits=services.LimitsInput(**payload.dict()))
    return _limits()
