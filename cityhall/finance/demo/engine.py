"""Moving the demo's finance documents along their routes (デモ文書の回議), as the people on them would.

Each step is the real engine service (``approve``, ``send_back``, ``reject``, ``withdraw``, ``close``)
called by the step's holder, on the day given, like ``cityhall.documents.demo``;
the typed documents' submit and decide hooks judge dates as of that day (``acting_on``).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.documents import services
from cityhall.documents.models import Document, DocumentStatus, RouteStep, StepState
from cityhall.finance.services import acting_on


def pending_step(document: Document) -> RouteStep | None:
    """The first step waiting for action in the current round (処理待ち), or None."""
    return (
        RouteStep.objects.filter(document=document, round=document.current_round, state=StepState.PENDING)
        .select_related("assignee")
        .order_by("order")
        .first()
    )


def advance(document: Document, steps: int | None, day: dt.date) -> Document:
    """Approve ``steps`` pending steps (all, to the decision, when None) by their holders.

    The decide hooks judge the fiscal year as of ``day`` (処理日), as the submit hooks do.
    """
    with acting_on(day):
        while document.status == DocumentStatus.CIRCULATING and (steps is None or steps > 0):
            step = pending_step(document)
            if step is None:
                break
            document = services.approve(
                actor=step.assignee, document=document, expected_version=document.version, on=day
            )
            steps = None if steps is None else steps - 1
    return document


def submit(drafter: User, document: Document, day: dt.date) -> Document:
    """Start the route (回議開始) as the drafter, the finance hooks judging dates as of ``day`` (処理日)."""
    with acting_on(day):
        return services.submit(actor=drafter, document=document, expected_version=document.version, on=day)


def send_back(document: Document, day: dt.date, comment: str) -> Document:
    """The first pending approver sends the draft back (差戻し) with a comment."""
    step = pending_step(document)
    if step is None:
        return document
    return services.send_back(
        actor=step.assignee, document=document, expected_version=document.version, comment=comment, on=day
    )


def reject(document: Document, day: dt.date, comment: str) -> Document:
    """The first pending approver refuses the draft for good (却下) with a comment."""
    step = pending_step(document)
    if step is None:
        return document
    return services.reject(
        actor=step.assignee, document=document, expected_version=document.version, comment=comment, on=day
    )


def close(document: Document, day: dt.date) -> Document:
    """The drafter closes a decided matter whose business is done (完結), on ``day`` or the decision's own day.

    The engine stamps decisions with the real clock, so a back-dated demo year cannot close before it.
    """
    decided_on = timezone.localtime(document.decided_at).date() if document.decided_at else day
    return services.close(
        actor=document.drafter, document=document, expected_version=document.version, closed_on=max(day, decided_on)
    )


def withdraw(drafter: User, document: Document, reason: str) -> Document:
    """The drafter withdraws the draft for good (取下げ)."""
    return services.withdraw(actor=drafter, document=document, expected_version=document.version, reason=reason)
