"""Carrying out a decided disposal/transfer list (廃棄・移管の実施): disposal that disposes.

The list's ``on_decided`` hook queues the task ``documents.tasks.carry_out_disposal_list`` after the
deciding transaction commits; the worker calls ``disposal_list_carry_out``:

1. The records selected for transfer (移管, 歴史公文書) are written into the transfer package
   (``documents.transfer``), stored before the database changes.
2. In one durable transaction (all or nothing per list, on SQLite and PostgreSQL alike), with the
   list, its items and its records locked: each record is checked again (already done, not closed,
   retention extended after it was listed, or not yet ended on the day of the decision: skipped,
   with the reason on its item); a record to dispose of (廃棄) loses its body, its attachments (rows
   and their extracted text), its signed PDF and its search entry, and the texts of formal
   additions to its body; its register row stays with 廃棄済, the day and the list (its item);
   a record to transfer is marked 移管済 and keeps its content; one audit entry per record says
   that it existed and what went (counts and SHA-256 of the files, never the text); the names of
   the stored files to delete are written as ``PendingFileDeletion`` rows in the same transaction.
   Receipts answered by the records end with them; receipts closed on their own (``receipt_closing``)
   are items of the list and end the same way (``disposal_receipts``), in their own folders of the package.
3. After the commit, the files are deleted through the storage API (``delete_pending_files``, by
   ``DELETE_WORKERS`` threads), so S3 works as local disk does, and each row goes once its file is gone.

A crash between the commit and the deletion leaves rows naming files still in storage: the daily
job ``disposal_files`` (``core.schedule``) and ``manage.py disposal_files`` delete them again. A
crash before the commit leaves the database as it was (the list is carried out again when the task
runs again) and at most a package file that no list names, which the next run replaces.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cityhall.core.audit import record, record_many
from cityhall.documents.indexing import SEARCH_KIND
from cityhall.documents.models import (
    Attachment,
    DisposalList,
    DisposalListItem,
    DisposalOutcome,
    Disposition,
    Document,
    DocumentStatus,
    ExpiryAction,
    FormalAddition,
    PendingFileDeletion,
    Receipt,
    ReceiptFile,
    RetentionExtension,
)
from cityhall.documents.services import _effects
from cityhall.documents.services.disposal import DISPOSAL_LIST_TYPE
from cityhall.documents.services.disposal_files import hashes_by_owner, queue_deletions
from cityhall.documents.services.disposal_receipts import (
    dispose_closed_receipts,
    dispose_receipts,
    transfer_closed_receipts,
    transfer_receipts,
)
from cityhall.search.services import remove_items

logger = logging.getLogger(__name__)

SKIP_EXTENDED = "保存期間が延長されたため除外"
SKIP_DONE = "既に廃棄・移管済みのため除外"
SKIP_STATE = "完結していないため除外"
SKIP_NOT_ENDED = "決裁日に保存期間が満了していないため除外"
SKIP_ANSWERED = "回答文書が起案され、その文書とともに保存するため除外"
_CHUNK = 2000
_MAX_TRIES = 3
DELETE_WORKERS = 8
"""Files deleted at once: each deletion waits on the disk (a cold inode) or on S3, not on the CPU."""


@dataclass
class DisposalResult:
    """What carrying out a list did (廃棄・移管の結果): records disposed, transferred and skipped with reasons."""

    disposed: list[int] = field(default_factory=list)
    transferred: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)
    files: int = 0
    package: str = ""
    receipts_disposed: list[int] = field(default_factory=list)
    receipts_transferred: list[int] = field(default_factory=list)
    receipts_skipped: dict[int, str] = field(default_factory=dict)

    @property
    def done(self) -> list[int]:
        """Records disposed of or transferred."""
        return [*self.disposed, *self.transferred]


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start : start + _CHUNK])


def _decision_day(listing: Document) -> dt.date | None:
    if listing.doc_type != DISPOSAL_LIST_TYPE or not listing.is_decided or listing.decided_at is None:
        return None
    return timezone.localtime(listing.decided_at).date()


@dataclass
class _Plan:
    """Each pending item's fate: skip reasons by item id, and the record and receipt ids to dispose of or transfer."""

    skipped: dict[int, str] = field(default_factory=dict)
    dispose: list[int] = field(default_factory=list)
    transfer: list[int] = field(default_factory=list)
    dispose_receipts: list[int] = field(default_factory=list)
    transfer_receipts: list[int] = field(default_factory=list)

    @property
    def planned(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """What the transfer package holds: (record ids, receipt ids), sorted."""
        return tuple(sorted(self.transfer)), tuple(sorted(self.transfer_receipts))


def _fate(
    item: DisposalListItem,
    disposition: str,
    expires_on: dt.date | None,
    day: dt.date,
    *,
    closed: bool = True,
    extended: bool = False,
) -> str:
    """Why an item is skipped, or "" when it is carried out (the checks records and receipts share)."""
    if disposition != Disposition.NONE:
        return SKIP_DONE
    if not closed:
        return SKIP_STATE
    if extended or expires_on != item.expires_on:
        return SKIP_EXTENDED
    if expires_on is None or expires_on >= day:
        return SKIP_NOT_ENDED
    return ""


def _sort(items: list[DisposalListItem], day: dt.date, *, lock: bool = False) -> _Plan:
    """Each pending item's fate (records, then receipts closed on their own).

    Two queries per chunk of records: their state, and the extensions of their retention.
    """
    plan = _Plan()
    by_record = {i.record_id: i for i in items if i.record_id is not None}
    for chunk in _chunks(list(by_record)):
        extended = {
            doc_id
            for doc_id, at in RetentionExtension.objects.filter(document_id__in=chunk).values_list(
                "document_id", "extended_at"
            )
            if at >= by_record[doc_id].created_at
        }
        rows = Document.objects.filter(pk__in=chunk).values_list("pk", "status", "disposition", "expires_on")
        for pk, status, disposition, expires_on in rows.order_by("pk"):
            item = by_record[pk]
            closed = status == DocumentStatus.CLOSED
            reason = _fate(item, disposition, expires_on, day, closed=closed, extended=pk in extended)
            if reason:
                plan.skipped[item.pk] = reason
            else:
                (plan.transfer if item.action == ExpiryAction.TRANSFER else plan.dispose).append(pk)
    _sort_receipts(items, day, plan, lock=lock)
    return plan


def _sort_receipts(items: list[DisposalListItem], day: dt.date, plan: _Plan, *, lock: bool) -> None:
    """Receipts are locked in the carrying-out transaction: a reply drafted meanwhile waits, then sees it ended."""
    by_receipt = {i.receipt_id: i for i in items if i.receipt_id is not None}
    for chunk in _chunks(list(by_receipt)):
        receipts = Receipt.objects.filter(pk__in=chunk)
        receipts = receipts.select_for_update() if lock else receipts
        rows = receipts.values_list("pk", "disposition", "expires_on", "answered_by_id")
        for pk, disposition, expires_on, answered_by in rows.order_by("pk"):
            item = by_receipt[pk]
            reason = _fate(item, disposition, expires_on, day)
            if not reason and answered_by is not None:
                reason = SKIP_ANSWERED
            if reason:
                plan.skipped[item.pk] = reason
            elif item.action == ExpiryAction.TRANSFER:
                plan.transfer_receipts.append(pk)
            else:
                plan.dispose_receipts.append(pk)


def _pending_items(listing: Document, *, lock: bool) -> list[DisposalListItem]:
    items = DisposalListItem.objects.filter(disposal_list=listing, outcome=DisposalOutcome.PENDING)
    if lock:
        items = items.select_for_update()
    return list(items.only("id", "record_id", "receipt_id", "action", "expires_on", "created_at").order_by("pk"))


def _dispose(actor: Any, listing: Document, ids: list[int], day: dt.date, now: dt.datetime) -> int:
    """Records lose body, attachments, signed PDF and search entry; one audit entry each; files queued."""
    files = 0
    for chunk in _chunks(ids):
        docs = list(
            Document.objects.select_for_update()
            .filter(pk__in=chunk)
            .only("id", "number_label", "title", "signed_pdf", "signed_pdf_sha256", "version")
            .order_by("pk")
        )
        attachments = list(
            Attachment.objects.filter(document_id__in=chunk).values_list("document_id", "file", "sha256")
        )
        names = [name for _doc, name, _sha in attachments if name] + [d.signed_pdf.name for d in docs if d.signed_pdf]
        files += queue_deletions(listing, names, now)
        hashes = hashes_by_owner(attachments)
        Attachment.objects.filter(document_id__in=chunk).delete()
        FormalAddition.objects.filter(document_id__in=chunk, field="body").update(before="", after="")
        Document.objects.filter(pk__in=chunk).update(
            body="",
            signed_pdf="",
            disposition=Disposition.DISPOSED,
            disposed_on=day,
            version=F("version") + 1,
            updated_at=now,
        )
        remove_items(keys=chunk, kind=SEARCH_KIND)
        files += dispose_receipts(actor, listing, chunk, day, now)
        record_many(
            actor=actor,
            action="documents.document.dispose",
            objects=docs,
            after=[
                {
                    "number": d.number_label,
                    "disposition": Disposition.DISPOSED.value,
                    "disposed_on": day,
                    "disposal_list": listing.pk,
                    "disposal_list_number": listing.number_label,
                    "attachments_sha256": hashes.get(d.pk, []),
                    "signed_pdf_sha256": d.signed_pdf_sha256,
                    "version": d.version + 1,
                }
                for d in docs
            ],
        )
    return files


def _transfer(actor: Any, listing: Document, ids: list[int], day: dt.date, now: dt.datetime, package: Any) -> None:
    for chunk in _chunks(ids):
        docs = list(
            Document.objects.select_for_update().filter(pk__in=chunk).only("id", "number_label", "title", "version")
        )
        Document.objects.filter(pk__in=chunk).update(
            disposition=Disposition.TRANSFERRED, disposed_on=day, version=F("version") + 1, updated_at=now
        )
        transfer_receipts(actor, listing, chunk, day)
        record_many(
            actor=actor,
            action="documents.document.transfer",
            objects=docs,
            after=[
                {
                    "number": d.number_label,
                    "disposition": Disposition.TRANSFERRED.value,
                    "disposed_on": day,
                    "disposal_list": listing.pk,
                    "disposal_list_number": listing.number_label,
                    "package_sha256": package.sha256 if package else "",
                    "version": d.version + 1,
                }
                for d in docs
            ],
        )


class _TransferSetChanged(Exception):
    """A record selected for transfer changed between the package and the transaction: build it again."""


def _carry_out_once(document_id: int, package: Any, planned: tuple[tuple[int, ...], tuple[int, ...]]) -> DisposalResult:
    result = DisposalResult(package=package.name if package else "")
    now = timezone.now()
    with transaction.atomic(durable=True):
        listing = Document.objects.select_for_update().get(pk=document_id)
        day = _decision_day(listing)
        items = _pending_items(listing, lock=True) if day is not None else []
        if day is None or not items:
            return result
        plan = _sort(items, day, lock=True)
        if plan.planned != planned:
            raise _TransferSetChanged
        actor = listing.decided_by or "documents.disposal"
        result.files = _dispose(actor, listing, plan.dispose, day, now)
        _transfer(actor, listing, plan.transfer, day, now, package)
        result.files += dispose_closed_receipts(actor, listing, plan.dispose_receipts, day, now)
        transfer_closed_receipts(actor, listing, plan.transfer_receipts, day)
        _mark_items(items, plan, day, result)
        row = DisposalList.objects.select_for_update().get(document=listing)
        row.carried_out_at = now
        fields = ["carried_out_at"]
        if package is not None:
            row.package, row.package_sha256, row.package_size = package.name, package.sha256, package.size
            fields += ["package", "package_sha256", "package_size"]
        row.save(update_fields=fields)
        result.disposed, result.transferred = plan.dispose, plan.transfer
        result.receipts_disposed, result.receipts_transferred = plan.dispose_receipts, plan.transfer_receipts
        record(
            actor=actor,
            action="documents.disposal_list.apply",
            obj=listing,
            after={
                "disposed": len(plan.dispose),
                "transferred": len(plan.transfer),
                "skipped": {str(k): v for k, v in result.skipped.items()},
                "receipts_disposed": len(plan.dispose_receipts),
                "receipts_transferred": len(plan.transfer_receipts),
                "receipts_skipped": {str(k): v for k, v in result.receipts_skipped.items()},
                "files": result.files,
                "package": result.package,
                "package_sha256": package.sha256 if package else "",
            },
        )
        list_id = listing.pk
        transaction.on_commit(lambda: delete_pending_files(disposal_list_id=list_id), robust=True)
        disposed = len(plan.dispose) + len(plan.dispose_receipts)
        transferred = len(plan.transfer) + len(plan.transfer_receipts)
        counts = f"廃棄 {disposed} 件、移管 {transferred} 件、除外 {len(plan.skipped)} 件"
        subject = f"廃棄・移管を実施しました（{counts}）"
        _effects.notify([listing.drafter_id], listing.pk, subject)
    return result


def _mark_items(items: list[DisposalListItem], plan: _Plan, day: dt.date, result: DisposalResult) -> None:
    """Items skipped (with their reason) or done (with the day); the result's skip reasons by record and receipt."""
    by_item = {i.pk: i for i in items}
    for reason in sorted(set(plan.skipped.values())):
        ids = [pk for pk, r in plan.skipped.items() if r == reason]
        DisposalListItem.objects.filter(pk__in=ids).update(outcome=DisposalOutcome.SKIPPED, note=reason)
        for pk in ids:
            item = by_item[pk]
            if item.record_id is not None:
                result.skipped[item.record_id] = reason
            elif item.receipt_id is not None:
                result.receipts_skipped[item.receipt_id] = reason
    done = [i.pk for i in items if i.pk not in plan.skipped]
    for chunk in _chunks(done):
        DisposalListItem.objects.filter(pk__in=chunk).update(outcome=DisposalOutcome.DONE, done_on=day)


def disposal_list_carry_out(document_id: int) -> DisposalResult:
    """Carry out a decided list (廃棄・移管の実施): dispose, transfer with the package, skip what changed.

    The worker's side of ``documents.tasks.carry_out_disposal_list``; idempotent (items already done
    or skipped are left alone, a list carried out is not carried out again).
    """
    from cityhall.documents.transfer import build_package

    for _attempt in range(_MAX_TRIES):
        listing = Document.objects.select_related("section__municipality").filter(pk=document_id).first()
        day = _decision_day(listing) if listing is not None else None
        if listing is None or day is None:
            return DisposalResult()
        items = _pending_items(listing, lock=False)
        if not items:
            return DisposalResult()
        planned = _sort(items, day).planned
        records, receipts = planned
        package = build_package(listing, records, receipt_ids=receipts, day=day) if records or receipts else None
        try:
            return _carry_out_once(document_id, package, planned)
        except _TransferSetChanged:
            logger.info("disposal list %s: the records to transfer changed; building the package again", document_id)
            _forget(package)
        except BaseException:
            _forget(package)
            raise
    raise RuntimeError(f"disposal list {document_id}: the records to transfer kept changing")


def _forget(package: Any) -> None:
    if package is not None:
        DisposalList.package.field.storage.delete(package.name)


@dataclass
class FileDeletionResult:
    """What a round of deletions did (ファイルの削除): files deleted and files that failed (kept for a retry)."""

    deleted: int = 0
    failed: list[str] = field(default_factory=list)


def delete_pending_files(*, disposal_list_id: int | None = None, limit: int | None = None) -> FileDeletionResult:
    """Delete the stored files of disposed records (廃棄した文書のファイルの削除) through the storage API.

    Each ``PendingFileDeletion`` row goes once its file is gone (a file already missing counts as
    gone); a failure is logged, counted on its row and left for the next run. The files of a batch are
    deleted by ``DELETE_WORKERS`` threads (the storage API only; no database work in them). ``disposal_list_id``
    limits the round to one list (right after its commit), ``limit`` to so many files.
    """
    storage = Attachment.file.field.storage
    result = FileDeletionResult()
    rows = PendingFileDeletion.objects.order_by("pk")
    if disposal_list_id is not None:
        rows = rows.filter(disposal_list_id=disposal_list_id)

    def delete(name: str) -> OSError | None:
        try:
            storage.delete(name)
        except OSError as exc:  # any other error (e.g. S3 unreachable) ends the round; rows stay for the retry
            return exc
        return None

    last = 0
    with ThreadPoolExecutor(max_workers=DELETE_WORKERS, thread_name_prefix="disposal-delete") as pool:
        while limit is None or result.deleted + len(result.failed) < limit:
            batch = list(rows.filter(pk__gt=last).values_list("pk", "name")[:_CHUNK])
            if not batch:
                break
            gone: list[int] = []
            failed: list[int] = []
            for (pk, name), error in zip(batch, pool.map(delete, [name for _pk, name in batch]), strict=True):
                if error is None:
                    gone.append(pk)
                    continue
                logger.warning("could not delete %s: %s", name, error)
                failed.append(pk)
                result.failed.append(name)
            PendingFileDeletion.objects.filter(pk__in=gone).delete()
            PendingFileDeletion.objects.filter(pk__in=failed).update(attempts=F("attempts") + 1)
            result.deleted += len(gone)
            last = batch[-1][0]
    return result


SCANNED_FOLDERS = ("documents/attachments", "documents/signed", "documents/receipts")
"""Where the stored files of records live (``Attachment.file``, ``Document.signed_pdf``, ``ReceiptFile.file``)."""


def _walk(storage: Any, folder: str) -> Iterable[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}")


def unreferenced_files() -> list[str]:
    """Stored files of records that no attachment, signed PDF or pending deletion names (点検: orphans).

    Reads the whole folders through the storage API (on S3 a listing of the prefixes); for the
    operator's check after a crash, never deleted by itself.
    """
    storage = Attachment.file.field.storage
    named = set(Attachment.objects.values_list("file", flat=True))
    named |= set(Document.objects.exclude(signed_pdf="").values_list("signed_pdf", flat=True))
    named |= set(ReceiptFile.objects.values_list("file", flat=True))
    named |= set(PendingFileDeletion.objects.values_list("name", flat=True))
    return sorted(name for folder in SCANNED_FOLDERS for name in _walk(storage, folder) if name not in named)
