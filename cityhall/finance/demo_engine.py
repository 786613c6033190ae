"""Moving the demo's finance documents along their routes (デモ文書の回議), as the people on them would.

Each step is the real engine service (``approve``, ``send_back``, ``withdraw``)
called by the step's holder, on the day given, like ``cityhall.documents.demo``;
the typed documents' submit and decide hooks judge dates as of that day (``acting_on``).
"""

from __future__ import annotations

import datetime as dt

from cityhall.accounts.models import User
from cityhall.documents import services
from cityhall.documents.models import Document, DocumentStatus, RouteStep, StepState
from cityhall.finance.services.encumbrance import acting_on


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


def withdraw(drafter: User, document: Document, reason: str) -> Document:
    """The drafter withdraws the draft for good (取下げ)."""
    return services.withdraw(actor=drafter, document=document, expected_version=document.version, reason=reason)
