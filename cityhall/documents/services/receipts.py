"""Received documents (収受): register with a 収受番号, file scans and originals, circulate (供覧), mark seen (閲).

The section that received a document files it: any of its staff registers it (収受番号 from the
section's counter, taken in the registering transaction so numbers have no gap), adds or removes
its files until it is circulated (what the superiors saw stays what is filed), circulates it to
named superiors (供覧先: ``selectors_receipts.circulation_candidates``), and drafts the answer
(``drafting.draft_create(receipt=…)``). Each superior marks it seen once (閲, with the time); the
receipt is 供覧済 when all have. Files are checked as attachments are (``files.check_upload``)
after the actor's permission and before the transaction. Every write is audited in its
transaction; views of a receipt holding personal data are audited by ``receipt_access_record``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Literal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.audit import record, snapshot
from cityhall.core.context import current_access
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed, clean
from cityhall.core.japanese import fiscal_year
from cityhall.documents import numbering
from cityhall.documents.files import CheckedFile, check_upload
from cityhall.documents.models import Document, FileOrigin, Receipt, ReceiptChannel, ReceiptFile, ReceiptReader
from cityhall.documents.rules import section_of
from cityhall.documents.selectors_receipts import RECEIPT_NOT_FOUND, circulation_candidates
from cityhall.documents.services._common import require_user, today
from cityhall.org.models import OrgUnit

logger = logging.getLogger(__name__)
CIRCULATED_LOCKED = "供覧を始めた収受文書のファイルは追加・削除できません（供覧先が閲覧した内容を変えないため）。"
CLOSED_LOCKED = "完結した収受文書のファイルは追加・削除できません（保存している内容を変えないため）。"
CLOSED_NO_CIRCULATION = "完結した収受文書は供覧できません。"


def _check_files_open(receipt: Receipt) -> None:
    """Files change only before circulation (what readers saw) and before closing (what is kept)."""
    if receipt.circulated_at is not None:
        raise Conflict(CIRCULATED_LOCKED)
    if receipt.closed_on is not None:
        raise Conflict(CLOSED_LOCKED)


@dataclass(frozen=True)
class NewFile:
    """A file given with a receipt: its name, bytes and size as received, and what it is (スキャン or 原本)."""

    name: str
    stream: IO[bytes]
    size: int | None = None
    origin: str = FileOrigin.ORIGINAL


RECEIPT_ENDED = "この収受文書は廃棄・移管されました。変更できません。"
RECEIPT_CANCELLED = "この収受は取り消されました。変更できません。"


def _own_section(actor: User, day: dt.date, message: str) -> OrgUnit:
    section = section_of(actor, on=day)
    if section is None:
        raise PermissionDenied(message)
    return OrgUnit.objects.select_related("municipality").get(pk=section.pk)


def lock_receipt(receipt: Receipt | int) -> Receipt:
    """The receipt locked for a write; not found, ended (廃棄・移管済) or cancelled (取消) refused."""
    pk = receipt.pk if isinstance(receipt, Receipt) else receipt
    found = Receipt.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise PermissionDenied(RECEIPT_NOT_FOUND)
    if found.disposition:
        raise Conflict(RECEIPT_ENDED)
    if found.cancelled_at is not None:
        raise Conflict(RECEIPT_CANCELLED)
    return found


def _of_section(actor: User, receipt: Receipt, day: dt.date, message: str) -> None:
    own = section_of(actor, on=day)
    if own is None or own.pk != receipt.section_id:
        raise PermissionDenied(message)


def _origin(value: str) -> str:
    if value not in FileOrigin.values:
        raise ValidationFailed(
            "ファイルの種別は「紙の写し（スキャン）」か「電子の原本」から選んでください。", field="origin"
        )
    return value


def release_answered(actor: User, document: Document) -> None:
    """Receipts answered by a draft that ended undecided (取下げ・却下) wait for an answer again, audited.

    In the caller's transaction: they may be answered by a new draft, closed or cancelled as before.
    """
    for receipt in Receipt.objects.select_for_update().filter(answered_by=document).order_by("pk"):
        before = snapshot(receipt)
        receipt.answered_by = None
        receipt.save(update_fields=["answered_by"])
        after = snapshot(receipt) | {"released_by_document": document.pk, "document_status": document.status}
        record(actor=actor, action="documents.receipt.answer_release", obj=receipt, before=before, after=after)


def receipt_file_insert(
    actor: User, receipt: Receipt, checked: CheckedFile, origin: str, stored: list[str]
) -> ReceiptFile:
    """Save a checked file of ``receipt`` in the caller's transaction, audited; its storage name goes to ``stored``."""
    row = ReceiptFile(
        receipt=receipt,
        name=checked.name,
        origin=origin,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        extracted_text=checked.text,
        uploaded_by=actor,
    )
    row.file.save(checked.name, ContentFile(checked.data), save=False)
    if row.file.name:
        stored.append(row.file.name)
    row.save()
    record(actor=actor, action="documents.receipt.file_add", obj=row, after=snapshot(row))
    return row


def forget_stored_files(stored: list[str]) -> None:
    """Delete stored files of receipts no row names any more (a transaction that did not commit, or a
    cancelled receipt after its commit); one that fails is logged for the orphan check, the rest still go."""
    storage = ReceiptFile._meta.get_field("file").storage
    for name in stored:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not delete a stored receipt file: %s", name, exc_info=True)


def receipt_insert(
    *,
    actor: User,
    section: OrgUnit,
    received_on: dt.date,
    sender: str,
    title: str,
    channel: str = ReceiptChannel.PAPER,
    **fields: object,
) -> Receipt:
    """A receipt numbered and saved inside the caller's transaction (収受番号の採番), audited; no permission check.

    For ``receipt_register`` and the import of online applications, which check who may register first.
    """
    receipt = Receipt(
        section=section,
        fiscal_year=fiscal_year(received_on),
        number=1,
        received_on=received_on,
        sender=(sender or "").strip(),
        title=(title or "").strip(),
        channel=channel,
        registered_by=actor,
        **fields,
    )
    clean(receipt, exclude=["number", "number_label", "fiscal_year", "section"])
    receipt.number = numbering.take_receipt_number(section, receipt.fiscal_year)
    receipt.number_label = numbering.format_receipt_number(section, receipt.number)
    receipt.save()
    record(actor=actor, action="documents.receipt.register", obj=receipt, after=snapshot(receipt))
    return receipt


def receipt_register(
    *,
    actor: User,
    received_on: dt.date,
    sender: str,
    title: str,
    sender_number: str = "",
    addressee: str = "",
    reply_needed: bool = False,
    reply_deadline: dt.date | None = None,
    channel: str = ReceiptChannel.PAPER,
    sender_address: str = "",
    has_personal_info: bool = False,
    files: Sequence[NewFile] = (),
) -> Receipt:
    """Register a received document (収受) in the actor's section with the next 収受番号 and its files."""
    actor = require_user(actor)
    section = _own_section(actor, received_on, "所属が登録されていないため収受できません。")
    for value, field, label in ((sender, "sender", "発信者"), (title, "title", "件名")):
        if not (value or "").strip():
            raise ValidationFailed(f"{label}を入力してください。", field=field)
    if reply_needed and reply_deadline is None:
        raise ValidationFailed("回答期限を入力してください。", field="reply_deadline")
    if received_on > timezone.localdate():
        raise ValidationFailed("収受日は今日以前の日付にしてください。", field="received_on")
    if channel == ReceiptChannel.ONLINE:
        raise ValidationFailed("オンライン申請は申請データの取込で収受してください。", field="channel")
    checked = [(check_upload(f.name, f.stream, size=f.size), _origin(f.origin)) for f in files]
    stored: list[str] = []
    try:
        with transaction.atomic(durable=True):
            receipt = receipt_insert(
                actor=actor,
                section=section,
                received_on=received_on,
                sender=sender,
                title=title,
                channel=channel,
                sender_number=sender_number,
                addressee=addressee,
                reply_needed=reply_needed,
                reply_deadline=reply_deadline,
                sender_address=sender_address,
                has_personal_info=has_personal_info,
            )
            for item, origin in checked:
                receipt_file_insert(actor, receipt, item, origin, stored)
    except BaseException:
        forget_stored_files(stored)
        raise
    return receipt


def receipt_file_add(
    *,
    actor: User,
    receipt: Receipt,
    name: str,
    stream: IO[bytes],
    size: int | None = None,
    origin: str = FileOrigin.ORIGINAL,
    on: dt.date | None = None,
) -> ReceiptFile:
    """File a scan or an electronic original with a received document, until it is circulated (staff of its section)."""
    actor = require_user(actor)
    day = today(on)
    message = "この収受文書にファイルを追加する権限がありません。"
    # Permission first: nobody makes the server read a file for a receipt they may not file.
    _of_section(actor, receipt, day, message)
    origin = _origin(origin)
    checked = check_upload(name, stream, size=size)
    stored: list[str] = []
    try:
        with transaction.atomic(durable=True):
            locked = lock_receipt(receipt)
            _of_section(actor, locked, day, message)
            _check_files_open(locked)
            return receipt_file_insert(actor, locked, checked, origin, stored)
    except BaseException:
        forget_stored_files(stored)
        raise


def receipt_file_remove(*, actor: User, file: ReceiptFile, on: dt.date | None = None) -> None:
    """Remove a file filed by mistake, before the received document is circulated (staff of its section)."""
    actor = require_user(actor)
    day = today(on)
    with transaction.atomic(durable=True):
        locked = lock_receipt(file.receipt_id)
        _of_section(actor, locked, day, "この収受文書のファイルを削除する権限がありません。")
        _check_files_open(locked)
        row = ReceiptFile.objects.select_for_update().filter(pk=file.pk, receipt=locked).first()
        if row is None:
            raise PermissionDenied("ファイルが見つかりません。")
        name, storage = row.file.name, row.file.storage
        record(actor=actor, action="documents.receipt.file_remove", obj=locked, before=snapshot(row))
        row.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name), robust=True)


def _notify_readers(user_ids: list[int], receipt_id: int, subject: str) -> None:
    from django.urls import NoReverseMatch, reverse

    from cityhall.notifications.services import notify

    try:
        url = reverse("documents:receipt", args=[receipt_id])
    except NoReverseMatch:  # the documents screens are not installed
        url = ""
    notify(recipients=user_ids, subject=subject, url=url, target=f"documents.receipt:{receipt_id}")


def receipt_circulate(
    *, actor: User, receipt: Receipt, readers: Sequence[User], on: dt.date | None = None
) -> list[ReceiptReader]:
    """Circulate a received document to named superiors (供覧); staff of its section, more readers may follow later.

    Each reader must be one of the actor's superiors (``circulation_candidates``) and is asked once;
    they are listed lowest post first and told in the app after commit.
    """
    actor = require_user(actor)
    day = today(on)
    if not readers:
        raise ValidationFailed("供覧先を1人以上選んでください。", field="readers")
    candidates = {a.user_id: a for a in circulation_candidates(actor, on=day)}
    with transaction.atomic(durable=True):
        locked = lock_receipt(receipt)
        _of_section(actor, locked, day, "この収受文書を供覧する権限がありません。")
        if locked.closed_on is not None:
            raise Conflict(CLOSED_NO_CIRCULATION)
        already = set(locked.readers.values_list("reader_id", flat=True))
        start = locked.readers.count() + 1
        before = snapshot(locked)
        for person in readers:
            if person.pk not in candidates:
                raise ValidationFailed(
                    f"{person}さんは供覧先に選べません（あなたの上司ではありません）。", field="readers"
                )
            if person.pk in already:
                raise ValidationFailed(f"{person}さんには既に供覧しています。", field="readers")
            already.add(person.pk)
        rows = []
        for position, person in enumerate(sorted(readers, key=lambda p: candidates[p.pk].post.rank), start=start):
            assignment = candidates[person.pk]
            post_name = f"{assignment.unit.name} {assignment.post.name}"
            rows.append(
                ReceiptReader(receipt=locked, reader=person, post_name=post_name, position=position, requested_by=actor)
            )
        ReceiptReader.objects.bulk_create(rows)
        now = timezone.now()
        locked.circulated_at = locked.circulated_at or now
        locked.circulation_done_at = None
        locked.save(update_fields=["circulated_at", "circulation_done_at"])
        after = snapshot(locked) | {"readers": [r.reader_id for r in rows]}
        record(actor=actor, action="documents.receipt.circulate", obj=locked, before=before, after=after)
        ids, subject = [r.reader_id for r in rows], f"供覧: {locked.number_label} {locked.title}"
        transaction.on_commit(lambda: _notify_readers(ids, locked.pk, subject), robust=True)
    return rows


def receipt_mark_seen(*, actor: User, receipt: Receipt) -> ReceiptReader:
    """Mark a received document seen (閲) as one of its 供覧先, with the time; once each."""
    actor = require_user(actor)
    with transaction.atomic(durable=True):
        locked = lock_receipt(receipt)
        row = ReceiptReader.objects.select_for_update().filter(receipt=locked, reader=actor).first()
        if row is None:
            raise PermissionDenied("この収受文書はあなたに供覧されていません。")
        if row.seen_at is not None:
            raise Conflict("この収受文書は既に閲覧済みです。")
        before = snapshot(row)
        row.seen_at = timezone.now()
        row.save(update_fields=["seen_at"])
        if not locked.readers.filter(seen_at__isnull=True).exists():
            locked.circulation_done_at = row.seen_at
            locked.save(update_fields=["circulation_done_at"])
        after = snapshot(row) | {"done": locked.circulation_done_at is not None}
        record(actor=actor, action="documents.receipt.seen", obj=row, before=before, after=after)
    return row


AccessKind = Literal["view", "download"]


def receipt_access_record(*, actor: User, receipt: Receipt, what: AccessKind) -> None:
    """Audit a view or download (``what``) of a received document holding personal data (個人情報の閲覧記録)."""
    if not receipt.has_personal_info:
        return
    after = {
        "number": receipt.number_label,
        "classification": ["個人情報"],
        "remote": not current_access().is_office,
    }
    with transaction.atomic():
        record(actor=actor, action=f"documents.receipt.{what}", obj=receipt, after=after)
