"""Helpers shared by the documents views: fetching with the same 404 for missing and forbidden, audit, stamps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.accounts.requests import user_of
from cityhall.core.errors import PermissionDenied
from cityhall.documents.content import TypedContent
from cityhall.documents.models import Document, DocumentStatus, RouteStep, StepKind, StepState
from cityhall.documents.registry import get_type
from cityhall.documents.rules import section_of, send_back_targets
from cityhall.documents.selectors import document_for, route_steps
from cityhall.documents.selectors_disposal import disposed_record_for
from cityhall.documents.selectors_history import STAMPED_STATES
from cityhall.documents.services.personal_info import AccessKind, personal_info_access_record
from cityhall.org.models import Assignment
from cityhall.signing.seal import Stamp


def fetch(request: HttpRequest, pk: int) -> Document:
    """The document if the user may see it; 404 alike for missing and forbidden."""
    try:
        return document_for(user_of(request), pk)
    except PermissionDenied as exc:
        raise Http404(exc.message) from exc


def gone_when_disposed(status: int) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Answer a disposed record (廃棄済) with its register entry and the list that disposed it, with ``status``
    (the page 200, a file 410), to those who could have seen it; anyone else still gets 404."""

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                return view(request, pk, *args, **kwargs)
            except Http404:
                record = disposed_record_for(user_of(request), pk)
                if record is None:
                    raise
                return _disposed_page(request, record, status)

        return wrapper

    return decorate


def _disposed_page(request: HttpRequest, record: Any, status: int) -> HttpResponse:
    response = render(request, "documents/disposed.html", {"record": record, "file": status != 200}, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def record_personal_info_access(user: User, document: Document, what: AccessKind) -> None:
    """Audit a view or download of a document that contains personal information (個人情報の閲覧記録)."""
    personal_info_access_record(actor=user, document=document, what=what)


def typed_content(document: Document, user: User) -> TypedContent | None:
    """What a typed document decides, as ``user`` reads it on a screen; None for a plain document."""
    typed = get_type(document.doc_type)
    return typed.content_for(document, user) if typed is not None else None


def content_shown(document: Document, user: User, where: str) -> None:
    """Tell the document's type that a screen showed its content to ``user`` (its personal data is recorded)."""
    typed = get_type(document.doc_type)
    if typed is not None:
        typed.shown(document, user, where)


def colleagues(user: User, *, on: dt.date) -> list[tuple[int, str]]:
    """Staff of the user's section who may be added as reviewers (追加の回議者の候補)."""
    section = section_of(user, on=on)
    if section is None:
        return []
    rows = (
        Assignment.objects.on(on)
        .filter(Q(unit=section) | Q(unit__parent=section), is_primary=True)
        .exclude(user=user)
        .select_related("user", "unit", "post")
        .order_by("-post__rank", "user__last_name")
    )
    return [(a.user_id, f"{a.unit.name} {a.post.name} {a.user.full_name}") for a in rows]


@dataclass(frozen=True)
class RouteRow:
    """One row of the approval column (決裁欄) on screen."""

    step: RouteStep
    person: User
    stamp: Stamp | None
    reviewed: bool
    label: str = ""
    """What happened at the box (承認, 決裁, 代決, 後閲, 合議, 差戻し, 引戻し, 省略 …)."""


def route_rows(steps: list[RouteStep], reviewed_step_ids: set[int], labels: dict[int, str]) -> list[RouteRow]:
    """Rows with red date stamps, 「代」 for proxy decisions and 「後閲」 for post-reviews, each named by ``labels``."""
    rows = []
    for step in steps:
        skipped = step.state == StepState.SKIPPED
        person = step.acted_by if step.acted_by is not None and not skipped else step.assignee
        reviewed = step.pk in reviewed_step_ids
        stamp = None
        if step.acted_at is not None and step.state in STAMPED_STATES and (not skipped or reviewed):
            stamp = Stamp(
                surname=person.last_name or person.get_username(),
                date=timezone.localtime(step.acted_at).date(),
                action=STAMPED_STATES[step.state],
                proxy=step.by_proxy,
                post_review=skipped or reviewed,
            )
        label = labels.get(step.pk) or str(step.get_state_display())
        rows.append(RouteRow(step=step, person=person, stamp=stamp, reviewed=reviewed, label=label))
    return rows


def send_back_choices(user: User, document: Document) -> list[tuple[int, str]]:
    """The earlier approvers the user may send the draft back to (差戻し先), as choices: 「2. 総務課 課長 課山」."""
    if document.status != DocumentStatus.CIRCULATING:
        return []
    steps = list(route_steps(document, round=document.current_round))
    mine = next(
        (s for s in steps if s.state == StepState.PENDING and s.assignee_id == user.pk and s.kind != StepKind.CONSULT),
        None,
    )
    if mine is None:
        return []
    choices = []
    for step in send_back_targets(steps, mine):
        where = " ".join(p for p in (step.unit.name if step.unit else "", step.post.name if step.post else "") if p)
        choices.append((step.pk, f"{step.stage}. {where} {step.assignee.full_name}（{step.get_kind_display()}）"))
    return choices
