"""Starting and steering the route (回議の開始・引戻し・取下げ・後閲への回付)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.audit import snapshot
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.documents import registry
from cityhall.documents.models import (
    EDITABLE_STATUSES,
    Document,
    DocumentStatus,
    EventKind,
    Medium,
    RouteStep,
    SavedRoute,
    StepState,
)
from cityhall.documents.rules import RoutePlan, facts_of, may_skip, plan_route
from cityhall.documents.services import _effects
from cityhall.documents.services._common import (
    NOT_FOUND_MESSAGE,
    audit,
    bump,
    check_version,
    lock_document,
    require_user,
    today,
)
from cityhall.documents.services._engine import (
    activate_stage,
    advance,
    cancel_open,
    is_done,
    mark_done,
    pending_steps,
    post_review,
    require_circulating,
    round_steps,
)
from cityhall.documents.services._history import record_event
from cityhall.documents.services.receipts import release_answered
from cityhall.org.models import OrgUnit


def _check_submittable(document: Document) -> None:
    if document.medium == Medium.PAPER:
        raise ValidationFailed("紙で決裁する文書は電子で回議できません。", field="medium")
    if document.file_plan_class_id is None:
        raise ValidationFailed("文書分類を選んでください。", field="file_plan_class")
    if not document.title.strip():
        raise ValidationFailed("件名を入力してください。", field="title")


def _create_steps(document: Document, plan: RoutePlan) -> list[RouteStep]:
    steps = [
        RouteStep(
            document=document,
            round=document.current_round,
            order=order,
            stage=planned.stage,
            kind=planned.kind,
            unit=planned.unit,
            post=planned.post,
            assignee=planned.assignee,
        )
        for order, planned in enumerate(plan.steps, start=1)
    ]
    RouteStep.objects.bulk_create(steps)
    return round_steps(document)


def submit(
    *,
    actor: User,
    document: Document,
    expected_version: int,
    extra_reviewers: Sequence[User] = (),
    consult_units: Sequence[OrgUnit] = (),
    saved_route: SavedRoute | None = None,
    on: dt.date | None = None,
) -> Document:
    """Start the route (回議開始), or resubmit after a send-back or pull-back (再回議: a new round).

    The route is planned from the delegation rules and the roster as of the
    day: the row of the 事務決裁規程 in effect that day for the document's section and
    budget 節 (the type's ``rule_facts`` hook) is recorded on the document, so a later
    edit of the rules leaves the running route alone. The drafter's additions (and a
    saved route's) are checked against the rules. A typed document's
    ``validate_submit`` hook runs in the transaction.
    """
    actor = require_user(actor)
    day = today(on)
    reviewers = list(extra_reviewers)
    units = list(consult_units)
    if saved_route is not None:
        if saved_route.owner_id != actor.pk:
            raise PermissionDenied("マイルートが見つかりません。")
        reviewers += [u for u in saved_route.reviewers.all() if u not in reviewers]
        units += [u for u in saved_route.consult_units.all() if u not in units]
    with transaction.atomic(durable=True):
        document = lock_document(document)
        if document.drafter_id != actor.pk:
            raise PermissionDenied(NOT_FOUND_MESSAGE)
        check_version(document, expected_version)
        if document.status not in EDITABLE_STATUSES:
            raise Conflict(f"{document.get_status_display()}の文書は回議に回せません。")
        _check_submittable(document)
        plan = plan_route(
            drafter=actor,
            matter_kind=document.matter_kind,
            amount=document.amount,
            on=day,
            extra_reviewers=reviewers,
            consult_units=units,
            section=document.section,
            setsu=facts_of(document).budget_setsu,
        )
        typed = registry.require_type(document.doc_type)
        if typed is not None and typed.validate_submit is not None:
            typed.validate_submit(document)
        before = snapshot(document)
        resubmitted = document.current_round > 0
        document.current_round += 1
        document.status = DocumentStatus.CIRCULATING
        document.submitted_at = timezone.now()
        document.decision_label = plan.decision_label
        document.delegation_rule = plan.rule
        steps = _create_steps(document, plan)
        activate_stage(document, steps, 1, day)
        bump(document, ["current_round", "status", "submitted_at", "decision_label", "delegation_rule"])
        record_event(document, EventKind.RESUBMIT if resubmitted else EventKind.SUBMIT, actor)
        audit(
            actor,
            "document.resubmit" if resubmitted else "document.submit",
            document,
            before,
            route=[(s.kind, s.stage, s.assignee_id) for s in steps],
        )
    return document


def resubmit(
    *,
    actor: User,
    document: Document,
    expected_version: int,
    extra_reviewers: Sequence[User] = (),
    consult_units: Sequence[OrgUnit] = (),
    on: dt.date | None = None,
) -> Document:
    """Resubmit a sent-back draft (再回議); the route is planned again as of the day."""
    if document.status != DocumentStatus.SENT_BACK:
        current = Document.objects.filter(pk=document.pk).values_list("status", flat=True).first()
        if current != DocumentStatus.SENT_BACK:
            raise Conflict("差戻しされた文書だけを再回議できます。")
    return submit(
        actor=actor,
        document=document,
        expected_version=expected_version,
        extra_reviewers=extra_reviewers,
        consult_units=consult_units,
        on=on,
    )


def pull_back(*, actor: User, document: Document, expected_version: int) -> Document:
    """Pull back (引戻し) while the next approver has not acted.

    The drafter pulls the whole draft back to 起案中 while no one on the route
    has acted; an approver pulls back their own approval while no later stage
    has acted. Otherwise ``Conflict``.
    """
    actor = require_user(actor)
    with transaction.atomic(durable=True):
        document = lock_document(document)
        steps = round_steps(document)
        own = [s for s in steps if s.acted_by_id == actor.pk and s.state == StepState.APPROVED]
        if document.drafter_id != actor.pk and not own:
            raise PermissionDenied(NOT_FOUND_MESSAGE)
        check_version(document, expected_version)
        require_circulating(document)
        before = snapshot(document)
        if own:
            mine = own[-1]
            later = [s for s in steps if s.stage > mine.stage]
            if any(is_done(s) for s in later) or any(
                is_done(s) for s in steps if s.stage == mine.stage and s is not mine
            ):
                raise Conflict("次の回議者が既に処理したため、引き戻せません。")
            for step in later:
                if step.state == StepState.PENDING:
                    step.state = StepState.WAITING
                    step.save(update_fields=["state"])
            mine.state = StepState.PENDING
            mine.acted_by = None
            mine.acted_at = None
            mine.comment = ""
            mine.save(update_fields=["state", "acted_by", "acted_at", "comment"])
            record_event(document, EventKind.PULL_BACK_APPROVAL, actor, step=mine)
            bump(document, [])
            audit(actor, "document.pull_back_approval", document, before, step=mine.pk)
            return document
        if any(is_done(s) for s in steps):
            raise Conflict("次の回議者が既に処理したため、引き戻せません。")
        cancel_open(steps)
        document.status = DocumentStatus.DRAFT
        bump(document, ["status"])
        record_event(document, EventKind.PULL_BACK, actor)
        audit(actor, "document.pull_back", document, before)
    return document


def withdraw(*, actor: User, document: Document, expected_version: int, reason: str = "") -> Document:
    """Withdraw a draft for good (取下げ); only the drafter, before decision."""
    actor = require_user(actor)
    with transaction.atomic(durable=True):
        document = lock_document(document)
        if document.drafter_id != actor.pk:
            raise PermissionDenied(NOT_FOUND_MESSAGE)
        check_version(document, expected_version)
        if document.status not in (*EDITABLE_STATUSES, DocumentStatus.CIRCULATING):
            raise Conflict(f"{document.get_status_display()}の文書は取り下げられません。")
        before = snapshot(document)
        cancel_open(round_steps(document))
        document.status = DocumentStatus.WITHDRAWN
        bump(document, ["status"])
        release_answered(actor, document)
        record_event(document, EventKind.WITHDRAW, actor, comment=reason)
        audit(actor, "document.withdraw", document, before, reason=reason)
        _effects.reindex(document.pk)
    return document


def skip_absent(*, actor: User, document: Document, expected_version: int, on: dt.date | None = None) -> Document:
    """Skip an absent intermediate approver into post-review (後閲) so the route can go on.

    Allowed for 回議 steps of non-important documents whose assignee is absent
    on the day; the drafter or the next approver on the route may do it.
    """
    actor = require_user(actor)
    day = today(on)
    with transaction.atomic(durable=True):
        document = lock_document(document)
        steps = round_steps(document)
        pending = pending_steps(steps)
        stage = pending[0].stage if pending else None
        next_ids = {s.assignee_id for s in steps if stage is not None and s.stage == stage + 1}
        if document.drafter_id != actor.pk and actor.pk not in next_ids:
            raise PermissionDenied(NOT_FOUND_MESSAGE)
        check_version(document, expected_version)
        require_circulating(document)
        skippable = [s for s in pending if may_skip(s, document, on=day)]
        if not skippable:
            raise ValidationFailed("不在のため後閲に回せる回議者はいません（重要案件・決裁者・合議先は不可）。")
        before = snapshot(document)
        for step in skippable:
            mark_done(step, StepState.SKIPPED, actor, "不在のため後閲")
            post_review(step, step.assignee_id)
        advance(document, steps, day)
        bump(document, [])
        audit(actor, "document.skip_absent", document, before, skipped=[s.pk for s in skippable])
    return document
