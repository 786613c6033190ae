"""Approvers' actions (回議者の処理): approve, decide, proxy decision, consult, send back, reject, comment.

Each public service runs in its own durable transaction, locks the document
row, checks the version the actor saw, checks that the actor holds the
pending step (or is the designated proxy of the absent decider), writes an
audit entry and leaves notifications and hooks to after commit. Two people
acting on the same step at once: the row lock serialises them and the second
finds a new version (``Conflict``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.audit import record, snapshot
from cityhall.core.errors import ApplicationError, Conflict, PermissionDenied, ValidationFailed, check_text
from cityhall.documents.models import (
    COMMENT_MAX_LENGTH,
    Document,
    DocumentComment,
    DocumentStatus,
    EventKind,
    PostReview,
    RouteStep,
    StepKind,
    StepState,
)
from cityhall.documents.rules import is_proxy_of, may_decide_as_proxy, send_back_targets
from cityhall.documents.services import _effects
from cityhall.documents.services._common import (
    NOT_FOUND_MESSAGE,
    audit,
    bump,
    check_version,
    is_document_manager,
    lock_document,
    require_user,
    today,
)
from cityhall.documents.services._engine import (
    advance,
    cancel_open,
    decide,
    mark_done,
    pending_steps,
    require_circulating,
    resume_from,
    round_steps,
)
from cityhall.documents.services._history import record_event
from cityhall.documents.services.receipts import release_answered

SELF_APPROVAL = "起案者は自分の起案を承認・決裁できません（代決を含む）。決裁者本人の決裁を待ってください。"


def _actor_step(
    actor: User, document: Document, steps: list[RouteStep], kinds: Sequence[str], day: dt.date
) -> tuple[RouteStep, bool]:
    """The pending step the actor may act on, and whether as proxy (代決).

    Separation of duties (職務分掌): the drafter never approves, agrees to or decides their own
    draft, whatever the route or the roster says (a proxy named for their superior included).
    """
    if actor.pk == document.drafter_id:
        raise PermissionDenied(SELF_APPROVAL)
    pending = [s for s in pending_steps(steps) if s.kind in kinds]
    for step in pending:
        if step.assignee_id == actor.pk:
            return step, False
    for step in pending:
        if may_decide_as_proxy(step, document, actor, on=day):
            return step, True
    if document.is_important and any(
        s.kind == StepKind.DECIDE and is_proxy_of(actor, s.assignee, on=day) for s in pending
    ):
        raise PermissionDenied("重要案件のため代決できません。決裁者本人の決裁を待ってください。")
    if any(s.assignee_id == actor.pk and s.acted_at is not None for s in steps):
        raise Conflict("この文書は既に処理済みです。")
    raise Conflict("この文書はまだあなたの処理待ちではありません。")


def _begin(actor: User, document: Document, expected_version: int, day: dt.date) -> tuple[Document, list[RouteStep]]:
    """Lock, then: route member or proxy of the decider (else "not found"), version, state."""
    document = lock_document(document)
    steps = round_steps(document)
    if not any(
        s.assignee_id == actor.pk or (s.kind == StepKind.DECIDE and is_proxy_of(actor, s.assignee, on=day))
        for s in steps
    ):
        raise PermissionDenied(NOT_FOUND_MESSAGE)
    check_version(document, expected_version)
    require_circulating(document)
    return document, steps


def approve(
    *, actor: User, document: Document, expected_version: int, comment: str = "", on: dt.date | None = None
) -> Document:
    """Approve (承認) a 回議 step, or decide (決裁) when it is the deciding step.

    The designated proxy of an absent decider decides for them (代決): the step
    is marked 「代」 and a post-review (後閲) task goes to the decider. Not
    allowed for important matters (重要案件).
    """
    actor = require_user(actor)
    day = today(on)
    with transaction.atomic(durable=True):
        document, steps = _begin(actor, document, expected_version, day)
        step, by_proxy = _actor_step(actor, document, steps, (StepKind.REVIEW, StepKind.DECIDE), day)
        before = snapshot(document)
        if step.kind == StepKind.DECIDE:
            decide(document, step, actor, comment, by_proxy=by_proxy)
            bump(document, ["status", "decided_at", "decided_by", "decided_by_proxy"])
            audit(actor, "document.decide_proxy" if by_proxy else "document.decide", document, before, step=step.pk)
            _effects.reindex(document.pk)
        else:
            mark_done(step, StepState.APPROVED, actor, comment)
            advance(document, steps, day)
            bump(document, [])
            audit(actor, "document.approve", document, before, step=step.pk)
    return document


def _consult(
    actor: User, document: Document, expected_version: int, comment: str, state: str, day: dt.date
) -> Document:
    with transaction.atomic(durable=True):
        document, steps = _begin(actor, document, expected_version, day)
        step, _proxy = _actor_step(actor, document, steps, (StepKind.CONSULT,), day)
        if _proxy:
            raise PermissionDenied("合議は代決できません。")
        before = snapshot(document)
        mark_done(step, state, actor, comment)
        advance(document, steps, day)
        bump(document, [])
        audit(actor, f"document.consult_{state}", document, before, step=step.pk)
        if state == StepState.OBJECTED:
            _effects.notify([document.drafter_id], document.pk, "合議先から異議がありました")
    return document


def agree(
    *, actor: User, document: Document, expected_version: int, comment: str = "", on: dt.date | None = None
) -> Document:
    """Agree as a consulted section (合議: 合意)."""
    return _consult(require_user(actor), document, expected_version, comment, StepState.AGREED, today(on))


def object_to(
    *, actor: User, document: Document, expected_version: int, comment: str, on: dt.date | None = None
) -> Document:
    """Object as a consulted section (合議: 異議); the reason is required and shown to the decider."""
    if not (comment or "").strip():
        raise ValidationFailed("異議の理由を入力してください。", field="comment")
    return _consult(require_user(actor), document, expected_version, comment, StepState.OBJECTED, today(on))


def _end_route(
    actor: User,
    document: Document,
    expected_version: int,
    comment: str,
    *,
    step_state: str,
    status: str,
    action: str,
    day: dt.date,
) -> Document:
    if not (comment or "").strip():
        raise ValidationFailed("理由を入力してください。", field="comment")
    with transaction.atomic(durable=True):
        document, steps = _begin(actor, document, expected_version, day)
        step, by_proxy = _actor_step(actor, document, steps, (StepKind.REVIEW, StepKind.DECIDE), day)
        before = snapshot(document)
        mark_done(step, step_state, actor, comment, by_proxy=by_proxy)
        cancel_open(steps, except_step=step)
        document.status = status
        bump(document, ["status"])
        if status == DocumentStatus.REJECTED:
            release_answered(actor, document)
        # A send-back names its target in the audit entry: here the drafter (差戻し先: 起案者).
        target = {"target_step": None, "target_user": document.drafter_id} if status == DocumentStatus.SENT_BACK else {}
        audit(actor, action, document, before, step=step.pk, **target)
        _effects.notify(
            [document.drafter_id], document.pk, "差戻しされました" if status == "sent_back" else "却下されました"
        )
        _effects.reindex(document.pk)
    return document


def send_back(
    *,
    actor: User,
    document: Document,
    expected_version: int,
    comment: str,
    to: RouteStep | int | None = None,
    on: dt.date | None = None,
) -> Document:
    """Send the draft back (差戻し) with a reason: to the drafter, or to an earlier approver ``to`` (差戻し先).

    Back to the drafter the round ends, and resubmission starts a new one. Back to an earlier
    approver of the route (``rules.send_back_targets``; only the holder of the pending step, not
    a proxy), the round goes on from that approver once they act again (``_engine.resume_from``).
    The history and the audit entry name the target.
    """
    actor = require_user(actor)
    if to is not None:
        target_id = to.pk if isinstance(to, RouteStep) else to
        return _send_back_to(actor, document, expected_version, comment, target_id, today(on))
    return _end_route(
        actor,
        document,
        expected_version,
        comment,
        step_state=StepState.SENT_BACK,
        status=DocumentStatus.SENT_BACK,
        action="document.send_back",
        day=today(on),
    )


def _send_back_to(
    actor: User, document: Document, expected_version: int, comment: str, target_id: int, day: dt.date
) -> Document:
    if not (comment or "").strip():
        raise ValidationFailed("理由を入力してください。", field="comment")
    with transaction.atomic(durable=True):
        document, steps = _begin(actor, document, expected_version, day)
        step, by_proxy = _actor_step(actor, document, steps, (StepKind.REVIEW, StepKind.DECIDE), day)
        if by_proxy:
            raise PermissionDenied("差戻し先を選んで差し戻せるのは、処理待ちの回議者本人だけです。")
        target = next((s for s in send_back_targets(steps, step) if s.pk == target_id), None)
        if target is None:
            raise ValidationFailed(
                "差戻し先には、この文書のルートで既に承認・合議した前の回議者を選んでください。", field="target_step"
            )
        before = snapshot(document)
        record_event(document, EventKind.SEND_BACK, actor, step=step, comment=comment, target_step=target)
        resume_from(document, steps, target, step, day)
        bump(document, [])
        audit(
            actor,
            "document.send_back",
            document,
            before,
            step=step.pk,
            target_step=target.pk,
            target_user=target.assignee_id,
        )
    return document


def reject(
    *, actor: User, document: Document, expected_version: int, comment: str, on: dt.date | None = None
) -> Document:
    """Reject the draft (却下); it ends, and a new draft is needed."""
    return _end_route(
        require_user(actor),
        document,
        expected_version,
        comment,
        step_state=StepState.REJECTED,
        status=DocumentStatus.REJECTED,
        action="document.reject",
        day=today(on),
    )


def comment_add(*, actor: User, document: Document, body: str, on: dt.date | None = None) -> DocumentComment:
    """Comment on a document (コメント): its drafter, route members and document managers."""
    actor = require_user(actor)
    body = (body or "").strip()
    if not body:
        raise ValidationFailed("コメントを入力してください。", field="body")
    check_text(body, field="body", label="コメント", max_length=COMMENT_MAX_LENGTH)
    with transaction.atomic(durable=True):
        document = lock_document(document)
        members = set(RouteStep.objects.filter(document=document).values_list("assignee_id", flat=True))
        if actor.pk != document.drafter_id and actor.pk not in members and not is_document_manager(actor, on=today(on)):
            raise PermissionDenied(NOT_FOUND_MESSAGE)
        comment = DocumentComment.objects.create(
            document=document, round=document.current_round, author=actor, body=body
        )
        record(actor=actor, action="documents.comment.add", obj=comment, after=snapshot(comment))
        record_event(document, EventKind.COMMENT, actor, comment=body, at=comment.created_at)
    return comment


def post_review_complete(*, actor: User, review: PostReview, comment: str = "") -> PostReview:
    """Complete a post-review (後閲済): only the reviewer, once."""
    actor = require_user(actor)
    with transaction.atomic(durable=True):
        review = PostReview.objects.select_for_update().filter(pk=review.pk).first() or review
        if review.reviewer_id != actor.pk:
            raise PermissionDenied("この後閲を処理する権限がありません。")
        if review.done_at is not None:
            raise Conflict("この後閲は既に済んでいます。")
        before = snapshot(review)
        review.done_at = timezone.now()
        review.comment = comment
        review.save(update_fields=["done_at", "comment"])
        step = RouteStep.objects.select_related("unit", "post").get(pk=review.step_id)
        record_event(review.document_id, EventKind.POST_REVIEW, actor, step=step, comment=comment, at=review.done_at)
        record(actor=actor, action="documents.post_review.complete", obj=review, before=before, after=snapshot(review))
    return review


@dataclass(frozen=True)
class BulkResult:
    """The outcome of one item of a bulk approval (一括承認)."""

    document_id: int
    ok: bool
    message: str


def bulk_approve(
    *, actor: User, items: Sequence[tuple[int, int]], comment: str = "", on: dt.date | None = None
) -> list[BulkResult]:
    """Approve several documents, each ``(document_id, expected_version)`` in its own transaction (一括承認)."""
    results: list[BulkResult] = []
    for document_id, version in items:
        try:
            document = approve(
                actor=actor, document=Document(pk=document_id), expected_version=version, comment=comment, on=on
            )
        except ApplicationError as exc:
            results.append(BulkResult(document_id, False, exc.message))
        else:
            label = "決裁しました" if document.status == DocumentStatus.DECIDED else "承認しました"
            results.append(BulkResult(document_id, True, label))
    return results
