"""The approval engine's steps as a test takes them (回議・決裁の操作): submit, approve, decide.

Each step is the engine's own service, taken by the person the route names (the holder of
the pending step), so a test reaches a decided document the way staff do. ``on`` replays a
past day: the engine acts on it and the finance hooks judge dates by it (``acting_on``).
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from typing import Any

from cityhall.accounts.models import User
from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus, RouteStep, StepState
from cityhall.finance.services import acting_on


def document_of(obj: Any) -> Document:
    """The document itself, of a typed document (anything with ``document_id``), or by id."""
    if isinstance(obj, Document):
        return Document.objects.get(pk=obj.pk)
    pk = obj if isinstance(obj, int) else obj.document_id
    return Document.objects.get(pk=pk)


def _on(day: dt.date | None) -> Any:
    return acting_on(day) if day is not None else nullcontext()


def submit(obj: Any, *, by: User | None = None, on: dt.date | None = None, **kw: Any) -> Document:
    """Start the route (提出) as the drafter, or ``by``."""
    doc = document_of(obj)
    with _on(on):
        return docs.submit(actor=by or doc.drafter, document=doc, expected_version=doc.version, on=on, **kw)


def pending_step(doc: Document) -> RouteStep:
    """The first step waiting now (処理待ち); the steps of a 合議 stage wait together."""
    step = doc.steps.filter(round=doc.current_round, state=StepState.PENDING).order_by("order").first()
    if step is None:
        raise RouteStep.DoesNotExist("処理待ちの段がありません。")
    return step


def _act(doc: Document, step: RouteStep, on: dt.date | None) -> Document:
    """The step taken by its holder: a consulted section agrees (合意), the others approve."""
    act = docs.agree if step.kind == "consult" else docs.approve
    with _on(on):
        return act(actor=step.assignee, document=doc, expected_version=doc.version, on=on)


def approve_to_decision(doc: Document, *, on: dt.date | None = None) -> Document:
    """Each pending step approved (or, for a 合議, agreed) by its holder until the route ends."""
    while doc.status == DocumentStatus.CIRCULATING:
        doc = _act(doc, pending_step(doc), on)
    return doc


def up_to_decider(doc: Document, *, on: dt.date | None = None) -> tuple[Document, RouteStep]:
    """Approve every step but the decision; the document and the decider's pending step."""
    while True:
        step = pending_step(doc)
        if step.kind == "decide":
            return doc, step
        doc = _act(doc, step, on)


def decide(obj: Any, *, on: dt.date | None = None) -> Document:
    """Submit and approve up to the decision (決裁); a typed ``obj`` is refreshed from the database."""
    doc = approve_to_decision(submit(obj, on=on), on=on)
    assert doc.status == DocumentStatus.DECIDED, doc.get_status_display()
    if not isinstance(obj, Document | int):
        obj.refresh_from_db()
    return doc
