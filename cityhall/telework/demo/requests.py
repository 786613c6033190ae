"""The demo city's telework requests (デモのテレワーク申請): one per state, drafted and moved through services.

Staff of the first 係 of みどり野市 with a 係長 request a day each in the coming weeks (one day per person,
so the limits hold): a draft, one on route, two decided, one sent back and one withdrawn. Idempotent:
nothing is written when the city already has a request.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.errors import ApplicationError
from cityhall.core.japanese.business_days import is_city_business_day, next_business_day
from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus, StepState
from cityhall.org.models import Assignment, Municipality
from cityhall.telework.models import TeleworkRequest
from cityhall.telework.services import RequestInput, request_draft

DEMO_CITY_CODE = "139999"
STATES = ("draft", "circulating", "decided", "decided", "sent_back", "withdrawn")
TASKS = (
    "例規集の改正案の確認（紙の原本は不要）",
    "会議資料の作成",
    "電子決裁の文書の確認と回議",
    "統計データの集計と報告書の作成",
    "委託業務の仕様書の作成",
    "研修資料の作成",
)


def _staff(town: Municipality, day: dt.date) -> list[User]:
    """The staff below 係長 of the first 係 with a 係長 and enough staff."""
    heads = (
        Assignment.objects.on(day)
        .filter(unit__municipality=town, post__code="kakaricho", is_primary=True)
        .order_by("unit__code")
    )
    for head in heads.select_related("unit")[:20]:
        rows = Assignment.objects.on(day).filter(unit=head.unit, is_primary=True, post__rank__lt=30)
        people = list(User.objects.filter(pk__in=rows.values("user_id")).order_by("username")[: len(STATES)])
        if len(people) >= 3:
            return people
    return []


def _workday(today: dt.date, n: int) -> dt.date:
    """The n-th business day of the city hall from next Monday (one day per person; holidays skipped)."""
    day = today + dt.timedelta(days=7 - today.weekday())
    while not is_city_business_day(day):
        day += dt.timedelta(days=1)
    for _ in range(n):
        day = next_business_day(day)
    return day


def _move(request: TeleworkRequest, state: str) -> None:
    """Take the request's document to ``state`` through the engine's services."""
    if state == "draft":
        return
    doc = Document.objects.get(pk=request.document_id)
    doc = docs.submit(actor=request.person, document=doc, expected_version=doc.version)
    if state == "withdrawn":
        docs.withdraw(actor=request.person, document=doc, expected_version=doc.version, reason="日程が変わったため")
        return
    while doc.status == DocumentStatus.CIRCULATING:
        step = doc.steps.filter(round=doc.current_round, state=StepState.PENDING).order_by("order").first()
        if step is None or state == "circulating":
            return
        if state == "sent_back":
            docs.send_back(
                actor=step.assignee,
                document=doc,
                expected_version=doc.version,
                comment="業務の内容を具体的に書いてください。",
            )
            return
        act = docs.agree if step.kind == "consult" else docs.approve
        doc = act(actor=step.assignee, document=doc, expected_version=doc.version)


def seed_requests(options: dict[str, Any]) -> str:
    """Requests in every state for the demo staff (デモのテレワーク申請); nothing when already there."""
    today = max(options.get("today") or timezone.localdate(), timezone.localdate())
    town = Municipality.objects.filter(code=DEMO_CITY_CODE).first()
    if town is None:
        return "デモ市がないため、テレワーク申請は投入しません。"
    if TeleworkRequest.objects.filter(section__municipality=town).exists():
        return "デモのテレワーク申請は投入済みです。変更はありません。"
    made = 0
    for n, (person, state) in enumerate(zip(_staff(town, today), STATES, strict=False)):
        data = RequestInput(
            days=[_workday(today, n)], tasks=TASKS[n], reachable_from=dt.time(9, 0), reachable_to=dt.time(17, 45)
        )
        try:
            _move(request_draft(actor=person, data=data), state)
        except ApplicationError:
            continue
        made += 1
    return f"デモのテレワーク申請 {made} 件を投入しました（起案中・回議中・決裁済・差戻し・取下げ）。"
