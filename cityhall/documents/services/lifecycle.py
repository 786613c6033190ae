"""After the decision (決裁後): issue, close, retention, formal additions, paper decisions."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.audit import snapshot
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed, check_text, clean
from cityhall.core.japanese import fiscal_year
from cityhall.documents.models import (
    PERMANENT,
    RETENTION_YEARS,
    Document,
    DocumentStatus,
    EventKind,
    FormalAddition,
    RetentionExtension,
)
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
from cityhall.documents.services._history import record_event

# Fields the document manager may correct by a formal addition (原議の補正).
FORMAL_ADDITION_FIELDS = {"title": "件名", "body": "本文", "location": "保管場所"}
REASON_MAX_LENGTH = 200
"""理由 of an extension or a formal addition: as the models hold it."""


def expiry_date(closed_on: dt.date, retention_years: int) -> dt.date | None:
    """The last day of retention (保存期間満了日), counted from 1 April after the fiscal year of closing.

    None for permanent retention (永年). E.g. closed 2025-10-01, 5 years → 2031-03-31.
    """
    if retention_years == PERMANENT:
        return None
    return dt.date(fiscal_year(closed_on) + 1 + retention_years, 3, 31)


def _drafter_or_manager(actor: User, document: Document, day: dt.date) -> None:
    if document.drafter_id != actor.pk and not is_document_manager(actor, on=day):
        raise PermissionDenied(NOT_FOUND_MESSAGE)


def _manager(actor: User, day: dt.date) -> None:
    if not is_document_manager(actor, on=day):
        raise PermissionDenied("文書主管課の職員だけが行えます。")


def _reason(reason: str, label: str) -> str:
    """The reason of a records-management act, required and stored whole (at most 200 characters)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(f"{label}を入力してください。", field="reason")
    return check_text(reason, field="reason", label=label, max_length=REASON_MAX_LENGTH)


def _kept_record(document: Document, what: str) -> None:
    """Refuse a records-management act on a record already disposed of or transferred (廃棄済・移管済)."""
    if document.disposition:
        raise Conflict(f"{document.get_disposition_display()}の文書には{what}を行えません。")


def issue(*, actor: User, document: Document, expected_version: int, issued_on: dt.date | None = None) -> Document:
    """Record the issue date (施行日) of a decided document; the drafter or the document manager."""
    actor = require_user(actor)
    day = today(issued_on)
    with transaction.atomic(durable=True):
        document = lock_document(document)
        _drafter_or_manager(actor, document, day)
        check_version(document, expected_version)
        if document.status != DocumentStatus.DECIDED:
            raise Conflict(f"{document.get_status_display()}の文書は施行できません。")
        if document.issued_on is not None:
            raise Conflict("この文書は既に施行済みです。")
        if day > timezone.localdate():
            raise ValidationFailed("施行日は今日以前の日付にしてください。", field="issued_on")
        if document.decided_at is not None and day < timezone.localtime(document.decided_at).date():
            raise ValidationFailed("施行日は決裁日以降の日付にしてください。", field="issued_on")
        before = snapshot(document)
        document.issued_on = day
        bump(document, ["issued_on"])
        audit(actor, "document.issue", document, before)
        record_event(document, EventKind.ISSUE, actor)
    return document


def close(*, actor: User, document: Document, expected_version: int, closed_on: dt.date | None = None) -> Document:
    """Close the matter (完結): sets the closing date and the retention expiry (保存期間満了日)."""
    actor = require_user(actor)
    day = today(closed_on)
    with transaction.atomic(durable=True):
        document = lock_document(document)
        _drafter_or_manager(actor, document, day)
        check_version(document, expected_version)
        if document.status != DocumentStatus.DECIDED:
            raise Conflict(f"{document.get_status_display()}の文書は完結できません。")
        if document.decided_at is not None and day < timezone.localtime(document.decided_at).date():
            raise ValidationFailed("完結日は決裁日以降の日付にしてください。", field="closed_on")
        if day > timezone.localdate():
            raise ValidationFailed("完結日は今日以前の日付にしてください。", field="closed_on")
        before = snapshot(document)
        document.status = DocumentStatus.CLOSED
        document.closed_on = day
        document.expires_on = expiry_date(day, document.retention_years)
        bump(document, ["status", "closed_on", "expires_on"])
        audit(actor, "document.close", document, before)
        record_event(document, EventKind.CLOSE, actor)
        _effects.reindex(document.pk)
    return document


def retention_extend(
    *, actor: User, document: Document, expected_version: int, new_years: int, reason: str, on: dt.date | None = None
) -> RetentionExtension:
    """Extend the retention period (保存期間の延長); document manager only, recorded with the reason."""
    actor = require_user(actor)
    day = today(on)
    _manager(actor, day)
    reason = _reason(reason, "延長の理由")
    if new_years not in RETENTION_YEARS:
        raise ValidationFailed("保存期間は1・3・5・10・30年または永年から選んでください。", field="new_years")
    with transaction.atomic(durable=True):
        document = lock_document(document)
        check_version(document, expected_version)
        if not document.is_decided:
            raise Conflict("保存期間の延長は決裁済みの文書にだけ行えます。決裁前は文書分類の保存期間によります。")
        _kept_record(document, "保存期間の延長")
        old = document.retention_years
        if old == PERMANENT or (new_years != PERMANENT and new_years <= old):
            raise ValidationFailed("延長後の保存期間は今より長くしてください。", field="new_years")
        before = snapshot(document)
        extension = RetentionExtension(
            document=document,
            previous_years=old,
            new_years=new_years,
            previous_expires_on=document.expires_on,
            reason=reason,
            extended_by=actor,
        )
        document.retention_years = new_years
        if document.closed_on is not None:
            document.expires_on = expiry_date(document.closed_on, new_years)
        extension.new_expires_on = document.expires_on
        clean(extension)
        extension.save()
        bump(document, ["retention_years", "expires_on"])
        audit(actor, "document.retention_extend", document, before, extension=extension.pk)
    return extension


def formal_addition(
    *,
    actor: User,
    document: Document,
    expected_version: int,
    field: str,
    value: str,
    reason: str,
    on: dt.date | None = None,
) -> FormalAddition:
    """A formal addition to a decided record (原議の補正) by the document manager, logged before/after."""
    actor = require_user(actor)
    day = today(on)
    _manager(actor, day)
    if field not in FORMAL_ADDITION_FIELDS:
        raise ValidationFailed("補正できない項目です。件名・本文・保管場所から選んでください。", field="field")
    reason = _reason(reason, "補正の理由")
    value = value if field == "body" else (value or "").strip()
    with transaction.atomic(durable=True):
        document = lock_document(document)
        check_version(document, expected_version)
        if not document.is_decided:
            raise Conflict("補正は決裁済みの文書にだけ行えます。決裁前は起案者が修正してください。")
        _kept_record(document, "原議の補正")
        before_value = str(getattr(document, field))
        if before_value == value:
            raise ValidationFailed("補正前と同じ内容です。", field="value")
        before = snapshot(document)
        setattr(document, field, value)
        try:
            clean(document)
        except ValidationFailed as exc:  # the new text is what the caller typed: name it
            raise ValidationFailed(exc.message, field="value") from exc
        addition = FormalAddition(
            document=document, field=field, before=before_value, after=value, reason=reason, made_by=actor
        )
        clean(addition)
        addition.save()
        bump(document, [field])
        audit(actor, "document.formal_addition", document, before, addition=addition.pk)
        _effects.reindex(document.pk)
    return addition
