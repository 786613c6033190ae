"""Signatures kept valid for the whole retention (長期署名の維持): archive timestamps added and renewed.

A decided record's signed sheet is PAdES B-LTA and proves its integrity until
its last timestamp's TSA certificate ends (``signing.longterm``). For every
record still kept (保存中: not 廃棄済 or 移管済) whose signed PDF is below B-LTA
(the TSA was down when it was signed) or whose proof ends within
``CITYHALL_TIMESTAMP_RENEW_MARGIN_DAYS`` (a year), :func:`signatures_extend`
adds a new archive timestamp, stores the PDF (the old bytes unchanged at its
start), its SHA-256 and long-term state, and audits it, one record per
transaction. The signing app's state (``LongTermSignature``) tells which
records are due without opening any file, so a daily run over a hundred
thousand records reads only those. Idempotent: a record done is not due
again until its new proof nears its end; a record the TSA could not serve is
tried again the next day (and reported).

Runs daily at 02:00 (``core.schedule``, task ``documents.tasks.extend_signatures``)
and on demand with ``manage.py extend_signatures``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cityhall.core.audit import record
from cityhall.core.errors import ValidationFailed
from cityhall.documents.models import Disposition, Document
from cityhall.documents.sheet import LONG_TERM_OWNER, SYSTEM_ACTOR, record_long_term_state

logger = logging.getLogger(__name__)


@dataclass
class ExtendResult:
    """What a run of :func:`signatures_extend` did: records extended, found current, and failed (id, reason)."""

    extended: int = 0
    current: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)


def renew_margin() -> dt.timedelta:
    """How long before a proof ends its archive timestamp is renewed (``CITYHALL_TIMESTAMP_RENEW_MARGIN_DAYS``)."""
    return dt.timedelta(days=settings.CITYHALL_TIMESTAMP_RENEW_MARGIN_DAYS)


def records_due(*, margin: dt.timedelta, now: dt.datetime | None = None) -> QuerySet[Document]:
    """Kept records with a signed PDF below B-LTA, of unknown state, or whose proof ends within ``margin``."""
    from cityhall.signing.models import LongTermSignature

    horizon = (now or timezone.now()) + margin
    current = LongTermSignature.objects.filter(
        owner_type=LONG_TERM_OWNER, level="B-LTA", proof_until__gt=horizon
    ).values("owner_id")
    return (
        Document.objects.filter(disposition=Disposition.NONE)
        .exclude(signed_pdf="")
        .exclude(pk__in=current)
        .order_by("pk")
    )


def signature_extend(document_id: int, *, margin: dt.timedelta) -> bool:
    """Add or renew the archive timestamp of one record's signed PDF (アーカイブタイムスタンプ); False if current.

    Raises ``TimestampUnavailable`` when the TSA cannot serve, ``ValidationFailed``
    when the stored file is not the one the register holds (its SHA-256 differs).
    """
    from cityhall.signing.longterm import extend

    document = Document.objects.get(pk=document_id)
    if document.disposition != Disposition.NONE or not document.signed_pdf:
        return False
    with document.signed_pdf.open("rb") as handle:
        data = handle.read()
    before = hashlib.sha256(data).hexdigest()
    if before != document.signed_pdf_sha256:
        raise ValidationFailed(f"{document.number_label} の署名済みPDFが文書管理簿の SHA-256 と一致しません。")
    extended = extend(data, margin=margin)
    return _store(document, before, extended or data, changed=extended is not None)


def _store(document: Document, before: str, data: bytes, *, changed: bool) -> bool:
    digest = hashlib.sha256(data).hexdigest()
    old_name, stored = document.signed_pdf.name or "", ""
    try:
        with transaction.atomic(durable=True):
            locked = Document.objects.select_for_update().get(pk=document.pk)
            if locked.signed_pdf_sha256 != before or locked.disposition != Disposition.NONE:
                return False  # signed again, disposed of or extended meanwhile: the next run looks again
            level = record_long_term_state(locked.pk, data, digest)
            if not changed:
                return False
            locked.signed_pdf.save(old_name.rsplit("/", 1)[-1], ContentFile(data), save=False)
            stored = locked.signed_pdf.name or ""
            locked.signed_pdf_sha256 = digest
            locked.save(update_fields=["signed_pdf", "signed_pdf_sha256"])
            record(
                actor=SYSTEM_ACTOR,
                action="documents.document.timestamp",
                obj=locked,
                before={"signed_pdf": old_name, "sha256": before},
                after={"signed_pdf": stored, "sha256": digest, "level": level},
            )
            storage = locked.signed_pdf.storage
            transaction.on_commit(lambda: storage.delete(old_name), robust=True)
    except BaseException:
        if stored:
            document.signed_pdf.storage.delete(stored)
        raise
    return True


def signatures_extend(*, margin: dt.timedelta | None = None, limit: int | None = None) -> ExtendResult:
    """Extend every due record's signature (長期署名の延長), one transaction each; what was done."""
    from cityhall.signing.tsa import TimestampUnavailable

    margin = renew_margin() if margin is None else margin
    result = ExtendResult()
    due = records_due(margin=margin).values_list("pk", flat=True)
    for document_id in due[:limit] if limit else due.iterator():
        try:
            done = signature_extend(document_id, margin=margin)
        except (TimestampUnavailable, ValidationFailed, OSError) as exc:
            logger.warning("文書 %s の長期署名を延長できませんでした: %s", document_id, exc)
            result.failed.append((document_id, str(exc)))
            continue
        if done:
            result.extended += 1
        else:
            result.current += 1
    return result
