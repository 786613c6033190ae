"""Receipts filed with a record end with it (収受文書の廃棄・移管): part of carrying out a disposal list.

A received document answered by a record (``Receipt.answered_by``) is filed with that record (編てつ)
and shares its retention, so the carry-out (``disposal_carry_out``) calls these in its transaction:
when the record is disposed of, each of its receipts loses its files (rows now, stored files after the
commit through ``PendingFileDeletion``) and the sender's address; its 収受簿 row (収受番号, date, sender,
title, 供覧・閲) stays 廃棄済 with the day. When the record is transferred, its receipts are 移管済 and
their files travel in the record's folder of the package (``transfer``). One audit entry per receipt
says what went (counts and SHA-256 of the files, never their content).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from cityhall.core.audit import record_many
from cityhall.documents.models import Disposition, Document, Receipt, ReceiptFile
from cityhall.documents.services.disposal_files import hashes_by_owner, queue_deletions


def _open_receipts(**which: Any) -> list[Receipt]:
    rows = Receipt.objects.select_for_update().filter(disposition="", **which)
    return list(rows.only("id", "number_label", "title", "answered_by_id").order_by("pk"))


def _dispose(actor: Any, listing: Document, receipts: list[Receipt], day: dt.date, now: dt.datetime) -> int:
    if not receipts:
        return 0
    ids = [r.pk for r in receipts]
    files = list(ReceiptFile.objects.filter(receipt_id__in=ids).values_list("receipt_id", "file", "sha256"))
    queued = queue_deletions(listing, [name for _receipt, name, _sha in files if name], now)
    ReceiptFile.objects.filter(receipt_id__in=ids).delete()
    Receipt.objects.filter(pk__in=ids).update(sender_address="", disposition=Disposition.DISPOSED, disposed_on=day)
    _audit(actor, "documents.receipt.dispose", listing, receipts, day, Disposition.DISPOSED, hashes_by_owner(files))
    return queued


def _transfer(actor: Any, listing: Document, receipts: list[Receipt], day: dt.date) -> None:
    if not receipts:
        return
    Receipt.objects.filter(pk__in=[r.pk for r in receipts]).update(disposition=Disposition.TRANSFERRED, disposed_on=day)
    _audit(actor, "documents.receipt.transfer", listing, receipts, day, Disposition.TRANSFERRED, {})


def dispose_receipts(actor: Any, listing: Document, record_ids: Sequence[int], day: dt.date, now: dt.datetime) -> int:
    """The receipts answered by the disposed records lose files and address; the number of files queued."""
    return _dispose(actor, listing, _open_receipts(answered_by_id__in=list(record_ids)), day, now)


def transfer_receipts(actor: Any, listing: Document, record_ids: Sequence[int], day: dt.date) -> None:
    """The receipts answered by the transferred records are 移管済 (their files are in the package)."""
    _transfer(actor, listing, _open_receipts(answered_by_id__in=list(record_ids)), day)


def dispose_closed_receipts(
    actor: Any, listing: Document, receipt_ids: Sequence[int], day: dt.date, now: dt.datetime
) -> int:
    """Receipts on the list itself (closed on their own) lose files and address; the number of files queued."""
    return _dispose(actor, listing, _open_receipts(pk__in=list(receipt_ids)), day, now)


def transfer_closed_receipts(actor: Any, listing: Document, receipt_ids: Sequence[int], day: dt.date) -> None:
    """Receipts on the list itself are 移管済 (their files and 収受簿 rows are in the package)."""
    _transfer(actor, listing, _open_receipts(pk__in=list(receipt_ids)), day)


def _audit(
    actor: Any,
    action: str,
    listing: Document,
    receipts: list[Receipt],
    day: dt.date,
    disposition: Disposition,
    hashes: dict[int, list[str]],
) -> None:
    record_many(
        actor=actor,
        action=action,
        objects=receipts,
        after=[
            {
                "number": r.number_label,
                "record": r.answered_by_id,
                "disposition": disposition.value,
                "disposed_on": day,
                "disposal_list": listing.pk,
                "disposal_list_number": listing.number_label,
                "files_sha256": hashes.get(r.pk, []),
            }
            for r in receipts
        ],
    )
