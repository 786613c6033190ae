"""The one approval engine's moves (決裁エンジン): stages, advancing, deciding.

Called by the public services inside their transaction, with the document
row already locked; they never open a transaction of their own.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.errors import Conflict
from cityhall.documents.models import (
    DONE_STEP_STATES,
    OPEN_STEP_STATES,
    Document,
    DocumentStatus,
    EventKind,
    PostReview,
    RouteStep,
    StepState,
)
from cityhall.documents.registry import get_type
from cityhall.documents.services import _effects
from cityhall.documents.services._history import record_event
from cityhall.org import selectors as org

# The history entry (履歴) of each action on a step.
_STEP_EVENTS: dict[str, str] = {
    StepState.APPROVED: EventKind.APPROVE,
    StepState.AGREED: EventKind.AGREE,
    StepState.OBJECTED: EventKind.OBJECT,
    StepState.SENT_BACK: EventKind.SEND_BACK,
    StepState.REJECTED: EventKind.REJECT,
    StepState.SKIPPED: EventKind.SKIP,
    StepState.DECIDED: EventKind.DECIDE,
}


_KEPT_ON_RESUME = (StepState.SKIPPED, StepState.WAITING, StepState.CANCELLED)


def round_steps(document: Document) -> list[RouteStep]:
    """The steps of the document's current round, in order."""
    return list(
        RouteStep.objects.filter(document=document, round=document.current_round)
        .select_related("assignee", "unit", "post")
        .order_by("order")
    )


def pending_steps(steps: list[RouteStep]) -> list[RouteStep]:
    """The steps waiting for action now (処理待ち)."""
    return [s for s in steps if s.state == StepState.PENDING]


def require_circulating(document: Document) -> None:
    """Refuse to act on a document that is not circulating, naming its state."""
    if document.status != DocumentStatus.CIRCULATING:
        raise Conflict(f"この文書は回議中ではありません（現在の状態: {document.get_status_display()}）。")


def _resolve_assignee(step: RouteStep, day: dt.date) -> None:
    """Re-resolve the step's holder from the roster of the day it becomes pending (人事異動の反映)."""
    if step.unit is None or step.post is None:
        return
    holders = list(org.holders_of(unit=step.unit, post_code_or_post=step.post, on=day)[:5])
    if holders and all(h.pk != step.assignee_id for h in holders):
        step.assignee = holders[0]


def activate_stage(document: Document, steps: list[RouteStep], stage: int, day: dt.date) -> list[int]:
    """Make every step of ``stage`` pending; returns the assignees to notify."""
    notified: list[int] = []
    for step in steps:
        if step.stage == stage and step.state == StepState.WAITING:
            _resolve_assignee(step, day)
            step.state = StepState.PENDING
            step.save(update_fields=["state", "assignee"])
            notified.append(step.assignee_id)
    _effects.notify(notified, document.pk, "決裁の依頼")
    return notified


def advance(document: Document, steps: list[RouteStep], day: dt.date) -> None:
    """After a step is done: when its stage is complete, start the next one."""
    if pending_steps(steps):
        return
    waiting = [s.stage for s in steps if s.state == StepState.WAITING]
    if waiting:
        activate_stage(document, steps, min(waiting), day)


def mark_done(step: RouteStep, state: str, actor: User, comment: str, *, by_proxy: bool = False) -> None:
    """Record an action on a step (承認・合意・異議・後閲待ち・決裁・差戻し・却下) and in the history (履歴)."""
    step.state = state
    step.acted_by = actor
    step.acted_at = timezone.now()
    step.by_proxy = by_proxy
    step.comment = comment
    step.save(update_fields=["state", "acted_by", "acted_at", "by_proxy", "comment"])
    kind = EventKind.DECIDE_PROXY if state == StepState.DECIDED and by_proxy else _STEP_EVENTS[state]
    record_event(step.document_id, kind, actor, step=step, comment=comment, at=step.acted_at)


def cancel_open(steps: list[RouteStep], *, except_step: RouteStep | None = None) -> None:
    """Cancel the steps still waiting or pending (取消), e.g. after a send-back."""
    for step in steps:
        if step.state in OPEN_STEP_STATES and step is not except_step:
            step.state = StepState.CANCELLED
            step.save(update_fields=["state"])


def post_review(step: RouteStep, reviewer_id: int) -> PostReview:
    """Create the post-review task (後閲) for ``reviewer_id`` on ``step``."""
    return PostReview.objects.create(step=step, document_id=step.document_id, reviewer_id=reviewer_id)


def decide(document: Document, step: RouteStep, actor: User, comment: str, *, by_proxy: bool) -> None:
    """The final decision (決裁): the step, the register fields and the post-review for a proxy.

    A typed document's ``validate_decide`` hook runs first, in the deciding transaction, and its
    ``apply_decision`` hook last, once the decision is set on the document.
    """
    typed = get_type(document.doc_type)
    if typed is not None and typed.validate_decide is not None:
        typed.validate_decide(document)
    mark_done(step, StepState.DECIDED, actor, comment, by_proxy=by_proxy)
    if by_proxy:
        post_review(step, step.assignee_id)
    document.status = DocumentStatus.DECIDED
    document.decided_at = step.acted_at
    document.decided_by = actor
    document.decided_by_proxy = by_proxy
    if typed is not None and typed.apply_decision is not None:
        typed.apply_decision(document, actor)
    _effects.decided(document.pk, document.doc_type)
    _effects.notify([document.drafter_id], document.pk, "決裁されました")


def resume_from(
    document: Document, steps: list[RouteStep], target: RouteStep, current: RouteStep, day: dt.date
) -> None:
    """A send-back to an earlier approver (差戻し先): the route resumes from ``target``.

    ``target`` is pending again (its holder re-resolved from the roster of the day); the steps
    after its stage up to ``current`` wait again, their actions kept in the history only. Steps
    skipped into 後閲 stay skipped, and the target's parallel 合議 keep their answers.
    """
    for step in steps:
        if step is target or (target.stage < step.stage <= current.stage and step.state not in _KEPT_ON_RESUME):
            step.state = StepState.WAITING
            step.acted_by = None
            step.acted_at = None
            step.by_proxy = False
            step.comment = ""
            step.save(update_fields=["state", "acted_by", "acted_at", "by_proxy", "comment"])
    _resolve_assignee(target, day)
    target.state = StepState.PENDING
    target.save(update_fields=["state", "assignee"])
    _effects.notify([target.assignee_id], document.pk, "差戻しされました")


def is_done(step: RouteStep) -> bool:
    """Whether the step has been acted on (承認・合意・異議・後閲待ち・決裁)."""
    return step.state in DONE_STEP_STATES
