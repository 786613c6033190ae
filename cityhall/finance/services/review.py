"""The accounting manager's review (会計管理者審査, 法232条の4②): approve or return a decided payment order.

Approving runs the checks of ``selectors.review.review_checks`` again inside
the transaction, with the order's document, the order and its allotment
locked, so the budget check sees every committed reservation. An approved
order joins the open payment batch (支払データ) of its payment date, 会計 and
年度, which is created on first use. A returned order (返付) no longer holds budget
(``balance.holding_orders`` excludes it) and its drafter is told in the app.

An approved order can still be returned while its batch is open (not exported,
not paid): a batch whose payment date has passed cannot be exported, and
without the return its orders would hold their budget, creditor and account
for good. The order leaves the batch; a batch left empty is deleted in the
same transaction so that an empty batch is never exported.

The review is independent of the order (命令機関と会計機関の分離): an accounting
manager who drafted or decided the order cannot review it; another holder of
the role (or the 会計管理者の事務を代理する職員) does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.audit import record, snapshot
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.core.japanese.display import shown_date
from cityhall.documents.models import DECIDED_STATUSES, Document
from cityhall.finance import balance
from cityhall.finance.models import BatchStatus, PaymentBatch, PaymentOrder, ReviewStatus
from cityhall.finance.selectors.review import review_checks
from cityhall.finance.services._common import require_treasurer, today

ORDER_NOT_FOUND = "支出命令が見つかりません。"
REASON_MAX = PaymentOrder._meta.get_field("review_reason").max_length or 300
_REVIEW_FIELDS = ["review_status", "reviewed_by", "reviewed_at", "review_reason", "batch"]
_AUDITED = ["review_status", "reviewed_by_id", "reviewed_at", "review_reason", "batch_id", "payment_date"]


def _lock_order(order: PaymentOrder) -> PaymentOrder:
    """Lock the order's document, then the order (the engine's order: document first)."""
    if not Document.objects.select_for_update().filter(pk=order.document_id).exists():
        raise PermissionDenied(ORDER_NOT_FOUND)
    locked = (
        PaymentOrder.objects.select_for_update(of=("self",))
        .select_related("document", "encumbrance__document", "allotment__line")
        .filter(pk=order.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(ORDER_NOT_FOUND)
    return locked


def _lock_waiting(order: PaymentOrder) -> PaymentOrder:
    """The order locked (``_lock_order``); it must await review."""
    locked = _lock_order(order)
    if locked.review_status != ReviewStatus.WAITING:
        hint = ""
        if locked.review_status == ReviewStatus.APPROVED:
            hint = "振込データの出力前であれば、支払データの画面から返付できます。"
        raise Conflict(f"この支出命令は既に審査されています（審査状況: {locked.get_review_status_display()}）。{hint}")
    return locked


def _refuse_own_order(actor: User, locked: PaymentOrder) -> None:
    """The reviewer must not be the order's drafter or decider (審査の独立)."""
    document = locked.document
    if actor.pk in (document.drafter_id, document.decided_by_id):
        role = "起案" if actor.pk == document.drafter_id else "決裁"
        raise ValidationFailed(
            f"自ら{role}した支出命令は審査できません（{document.number_label}）。"
            "他の会計管理者（または会計管理者の事務を代理する職員）が審査してください。"
        )


def _open_batch(actor: User, order: PaymentOrder) -> PaymentBatch:
    """The open batch of the order's payment date, 会計 and 年度, locked; created when there is none.

    One open batch per (date, 会計, 年度) by constraint: a 全銀 file pays from one 会計's
    paying account and never mixes the old and new year's money (出納整理期間, 法235条の5).
    """
    key = {
        "payment_date": order.payment_date,
        "account_id": order.line.account_id,
        "fiscal_year": order.fiscal_year,
        "status": BatchStatus.OPEN,
    }
    found = PaymentBatch.objects.select_for_update().filter(**key).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():  # a savepoint: a concurrent approval may create the same batch first
            batch = PaymentBatch.objects.create(**key)
    except IntegrityError:
        return PaymentBatch.objects.select_for_update().get(**key)
    record(actor=actor, action="finance.payment_batch.create", obj=batch, after=snapshot(batch))
    return batch


def _refuse_failed_checks(order: PaymentOrder, day: dt.date) -> None:
    failed = [check for check in review_checks(order, on=day) if not check.ok]
    if failed:
        reasons = "／".join(f"{check.label}: {check.detail.rstrip('。')}" for check in failed)
        raise ValidationFailed(
            f"審査の確認事項を満たしていません（{reasons}）。",
            field=failed[0].field or None,
            extra={"checks": [check.label for check in failed]},
        )


def order_review_approve(*, actor: Any, order: PaymentOrder, on: dt.date | None = None) -> PaymentOrder:
    """Approve a decided payment order (審査済): the legal checks pass; it joins its date's, 会計's and 年度's batch."""
    day = today(on)
    actor = require_treasurer(actor, on=day)
    with transaction.atomic(durable=True):
        locked = _lock_waiting(order)
        _refuse_own_order(actor, locked)
        locked.allotment = balance.lock_allotment(locked.allotment_id)  # the budget check sees every reservation
        _refuse_failed_checks(locked, day)
        before = snapshot(locked, _AUDITED)
        locked.batch = _open_batch(actor, locked)
        locked.review_status = ReviewStatus.APPROVED
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked.review_reason = ""
        locked.save(update_fields=_REVIEW_FIELDS)
        after = snapshot(locked, _AUDITED)
        record(actor=actor, action="finance.payment_order.review_approve", obj=locked, before=before, after=after)
    return locked


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("返付理由を入力してください。", field="reason")
    if len(reason) > REASON_MAX:
        raise ValidationFailed(f"返付理由は{REASON_MAX}文字以内で入力してください。", field="reason")
    return reason


def _mark_returned(actor: User, locked: PaymentOrder, reason: str) -> None:
    """Set the order returned (返付) and audit it; the drafter is told once the transaction commits.

    The caller holds the locks of the order and its allotment. From now on
    ``balance.holding_orders`` leaves the order out: that is the whole release of its budget.
    """
    before = snapshot(locked, _AUDITED)
    locked.batch = None
    locked.review_status = ReviewStatus.RETURNED
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.review_reason = reason
    locked.save(update_fields=_REVIEW_FIELDS)
    after = snapshot(locked, _AUDITED)
    record(actor=actor, action="finance.payment_order.review_return", obj=locked, before=before, after=after)
    order_id, drafter_id = locked.pk, locked.document.drafter_id
    transaction.on_commit(lambda: _notify_returned(order_id, drafter_id), robust=True)


def order_review_return(*, actor: Any, order: PaymentOrder, reason: str, on: dt.date | None = None) -> PaymentOrder:
    """Return a decided payment order with a reason (返付): it releases its budget; the drafter is notified."""
    day = today(on)
    actor = require_treasurer(actor, on=day)
    reason = _clean_reason(reason)
    with transaction.atomic(durable=True):
        locked = _lock_waiting(order)
        _refuse_own_order(actor, locked)
        if locked.document.status not in DECIDED_STATUSES:
            raise Conflict(f"決裁前の支出命令は返付できません（文書の状態: {locked.document.get_status_display()}）。")
        balance.lock_allotment(locked.allotment_id)  # the released amount changes the balance others check
        _mark_returned(actor, locked, reason)
    return locked


def _lock_open_batch(locked: PaymentOrder) -> PaymentBatch:
    """The approved order's batch, locked; it must still be open (the file not exported, nothing paid)."""
    batch = None
    if locked.batch_id is not None:
        batch = PaymentBatch.objects.select_for_update().filter(pk=locked.batch_id).first()
    if batch is None:  # an approved order always has its batch (PROTECT); this is a broken row
        raise Conflict(f"この支出命令の支払データが見つかりません（{locked.document.number_label}）。")
    if batch.status != BatchStatus.OPEN:
        raise Conflict(
            f"この支出命令を含む支払日 {shown_date(batch.payment_date)} の支払データは既に"
            f"「{batch.get_status_display()}」のため、返付できません（{locked.document.number_label}）。"
        )
    return batch


def order_review_return_approved(
    *, actor: Any, order: PaymentOrder, reason: str, on: dt.date | None = None
) -> PaymentOrder:
    """Return an approved order (審査済の返付) while its batch is open; it leaves the batch and releases its budget.

    The return is the same as of an order awaiting review (budget, audit entry,
    notification); the audit entry's ``before`` names the batch it left. A batch
    left without orders is deleted (audited) in the same transaction.
    """
    day = today(on)
    actor = require_treasurer(actor, on=day)
    reason = _clean_reason(reason)
    with transaction.atomic(durable=True):
        locked = _lock_order(order)
        if locked.review_status != ReviewStatus.APPROVED:
            raise Conflict(
                f"審査済の支出命令ではないため、支払データから返付できません"
                f"（{locked.document.number_label}、審査状況: {locked.get_review_status_display()}）。"
            )
        _refuse_own_order(actor, locked)
        # Locks in the order of the approval (document, order, allotment, batch), so the two never deadlock.
        balance.lock_allotment(locked.allotment_id)
        batch = _lock_open_batch(locked)
        _mark_returned(actor, locked, reason)
        # Counted under the batch lock: an approval joining the batch waits for it, or is already counted.
        if not batch.orders.exists():
            record(actor=actor, action="finance.payment_batch.delete", obj=batch, before=snapshot(batch))
            batch.delete()
    return locked


def _notify_returned(order_id: int, drafter_id: int) -> None:
    """Tell the drafter in the app (お知らせ) that the accounting manager returned the order."""
    from cityhall.notifications.services import notify

    order = PaymentOrder.objects.select_related("document").filter(pk=order_id).first()
    if order is None:
        return
    document = order.document
    try:  # the order's page, where the drafter finds 「この内容で起案し直す」
        url = reverse("finance:payment_order", args=[order_id])
    except NoReverseMatch:  # the finance screens are not installed
        url = ""
    # The order itself stays returned: the drafter copies it into a new draft from the order's page.
    notify(
        recipients=[drafter_id],
        subject=(
            f"支出命令が返付されました: {document.number_label} {document.title}。"
            "支出命令の画面の「この内容で起案し直す」から修正して起案し直してください"
            f"（理由: {order.review_reason}）"
        ),
        url=url,
        target=f"finance.paymentorder:{order_id}",
    )


__all__ = ["order_review_approve", "order_review_return", "order_review_return_approved", "require_treasurer"]
