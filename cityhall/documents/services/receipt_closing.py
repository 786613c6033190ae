"""Closing a received document that needs no answer (収受文書の完結): its own retention, as a record has.

A receipt answered by a record is filed with that record (編てつ) and shares its retention. One that
needs no answer (供覧 only, or a notice kept for reference) is closed by staff of its section under a
file-plan class (文書分類) once its circulation is over: the class gives its retention (保存期間,
counted from 1 April after the fiscal year of closing, as for records: ``lifecycle.expiry_date``) and
what happens at the end (廃棄 or 移管). From then on it is listed on its section's disposal list when
its retention ends (``disposal.receipt_candidates``) and ends as a record does. A closed receipt can
still be answered later: it then follows the answering record and leaves the disposal lists.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cityhall.accounts.models import User
from cityhall.core.audit import record, snapshot
from cityhall.core.errors import Conflict, PermissionDenied
from cityhall.documents.models import FilePlanClass, Receipt
from cityhall.documents.rules import section_of
from cityhall.documents.selectors_receipts import close_refusal
from cityhall.documents.services._common import require_user, today
from cityhall.documents.services.file_plan import check_in_force
from cityhall.documents.services.lifecycle import expiry_date
from cityhall.documents.services.receipts import lock_receipt


def receipt_close(
    *, actor: User, receipt: Receipt, file_plan_class: FilePlanClass, on: dt.date | None = None
) -> Receipt:
    """Close a received document that needs no answer (完結) under ``file_plan_class``; staff of its section."""
    actor = require_user(actor)
    day = today(on)
    check_in_force(file_plan_class, day)
    with transaction.atomic(durable=True):
        locked = lock_receipt(receipt)
        own = section_of(actor, on=day)
        if own is None or own.pk != locked.section_id:
            raise PermissionDenied("この収受文書を完結する権限がありません。")
        refusal = close_refusal(locked)
        if refusal:
            raise Conflict(refusal)
        before = snapshot(locked)
        locked.file_plan_class = file_plan_class
        locked.closed_on = day
        locked.retention_years = file_plan_class.retention_years  # as it was on closing: a class may change
        locked.expires_on = expiry_date(day, file_plan_class.retention_years)
        locked.expiry_action = file_plan_class.expiry_action
        fields = ["file_plan_class", "closed_on", "retention_years", "expires_on", "expiry_action"]
        locked.save(update_fields=fields)
        record(actor=actor, action="documents.receipt.close", obj=locked, before=before, after=snapshot(locked))
    return locked
