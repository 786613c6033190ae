"""Cancelling a receipt registered by mistake (収受の取消): the number stays in the register, marked 取消.

A document registered twice, or in the wrong section, is cancelled by staff of the section that
registered it, with a reason, while nobody has acted on it yet: not circulated (no superior has seen
it), not answered, not closed. 収受番号 have no gap, so the row stays in the 収受簿 with its number,
date, sender and title, marked 取消 with the reason, who and when; its files are deleted (rows now,
stored files after the commit, their SHA-256 in the audit entry): a scan of paper registered by mistake
is not kept (the paper goes where it belongs). A receipt of an online application is not cancelled: its
application number keeps the import from taking the application twice.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.audit import record, snapshot
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed, check_text
from cityhall.documents.models import Receipt, ReceiptFile
from cityhall.documents.rules import section_of
from cityhall.documents.selectors_receipts import cancel_refusal
from cityhall.documents.services._common import require_user, today
from cityhall.documents.services.receipts import forget_stored_files, lock_receipt

REASON_MAX = 200


def receipt_cancel(*, actor: User, receipt: Receipt, reason: str) -> Receipt:
    """Cancel a receipt registered by mistake (収受の取消), with ``reason``; staff of its section."""
    actor = require_user(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("取消の理由を入力してください。", field="reason")
    check_text(reason, field="reason", label="取消の理由", max_length=REASON_MAX)  # length, NUL, controls
    with transaction.atomic(durable=True):
        locked = lock_receipt(receipt)
        own = section_of(actor, on=today())
        if own is None or own.pk != locked.section_id:
            raise PermissionDenied("この収受を取り消す権限がありません。")
        refusal = cancel_refusal(locked)
        if refusal:
            raise Conflict(refusal)
        before = snapshot(locked)
        files = list(ReceiptFile.objects.filter(receipt=locked).values_list("file", "sha256"))
        ReceiptFile.objects.filter(receipt=locked).delete()
        locked.cancelled_at, locked.cancelled_by, locked.cancel_reason = timezone.now(), actor, reason
        locked.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
        after = snapshot(locked) | {"files_sha256": [sha for _name, sha in files]}
        record(actor=actor, action="documents.receipt.cancel", obj=locked, before=before, after=after)
        names = [name for name, _sha in files if name]
        transaction.on_commit(lambda: forget_stored_files(names), robust=True)
    return locked
