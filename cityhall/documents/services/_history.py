"""Appending to a document's history (履歴への記録), in the caller's transaction.

Every public service that acts on a document calls :func:`record_event` (or, for a route step,
``_engine.mark_done`` does) inside its own transaction, after the change it records.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.errors import check_text
from cityhall.documents.models import COMMENT_MAX_LENGTH, Document, DocumentEvent, RouteStep
from cityhall.org import selectors as org


def post_label(actor: User, step: RouteStep | None, day: dt.date) -> str:
    """The post the actor acts in: the step's own (「総務課 課長」) when it is theirs, else their 本務 on the day."""
    if step is not None and step.assignee_id == actor.pk and step.unit is not None and step.post is not None:
        return f"{step.unit.name} {step.post.name}"
    held = org.primary_assignment(actor, on=day)
    return f"{held.unit.name} {held.post.name}" if held is not None else ""


def record_event(
    document: Document | int,
    kind: str,
    actor: User,
    *,
    step: RouteStep | None = None,
    comment: str = "",
    at: dt.datetime | None = None,
    target_step: RouteStep | None = None,
) -> DocumentEvent:
    """Append one entry to the document's history: in the step's round (else the document's), at ``at`` or now."""
    # Every action's 意見・理由 passes here, inside the action's transaction: too long or unsafe undoes it.
    check_text(comment or "", field="comment", label="意見・理由", max_length=COMMENT_MAX_LENGTH)
    at = at or timezone.now()
    round: int
    if step is not None:
        round = step.round
    elif isinstance(document, Document):
        round = document.current_round
    else:
        round = Document.objects.filter(pk=document).values_list("current_round", flat=True).get()
    return DocumentEvent.objects.create(
        document_id=document.pk if isinstance(document, Document) else document,
        round=round,
        kind=kind,
        actor=actor,
        post=post_label(actor, step, timezone.localtime(at).date()),
        step=step,
        target_step=target_step,
        at=at,
        comment=comment or "",
    )
