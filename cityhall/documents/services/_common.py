"""Helpers shared by the document services: locking, version check, permission, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.audit import record, record_many, snapshot
from cityhall.core.errors import Conflict, PermissionDenied
from cityhall.documents.models import Document
from cityhall.org import selectors as org
from cityhall.org.models import Role

STALE_MESSAGE = "この文書は開いた後に変更されています。最新の内容を確認してから、もう一度操作してください。"
NOT_FOUND_MESSAGE = "文書が見つからないか、操作する権限がありません。"

# Register fields (文書管理簿) that never change once a document is decided, except
# through a formal addition by the document manager (原議の補正).
RECORD_FIELDS = (
    "fiscal_year",
    "section_id",
    "number",
    "sub_number",
    "number_label",
    "title",
    "body",
    "matter_kind_id",
    "amount",
    "is_confidential",
    "has_personal_info",
    "is_important",
    "file_plan_class_id",
    "drafter_id",
    "drafted_on",
    "submitted_at",
    "decided_at",
    "decision_label",
    "delegation_rule_id",
    "decided_by_id",
    "decided_by_proxy",
    "medium",
    "paper_reason",
    "old_number",
    "old_decider",
    "doc_type",
)


def today(on: dt.date | None = None) -> dt.date:
    """The business day an action happens on (default: today, local time)."""
    return on if on is not None else timezone.localdate()


def require_user(actor: Any) -> User:
    """The acting user, who must be an active, signed-in member of staff."""
    if not isinstance(actor, User) or not actor.is_active or actor.pk is None:
        raise PermissionDenied("この操作を行う権限がありません。")
    return actor


def lock_document(document: Document | int) -> Document:
    """The document row, locked for the rest of the transaction (select_for_update)."""
    pk = document.pk if isinstance(document, Document) else document
    try:
        return Document.objects.select_for_update().get(pk=pk)
    except Document.DoesNotExist as exc:
        raise PermissionDenied(NOT_FOUND_MESSAGE) from exc


def check_version(document: Document, expected_version: int) -> None:
    """Refuse to act on a document changed since the actor opened it (楽観的排他)."""
    if document.version != expected_version:
        raise Conflict(STALE_MESSAGE, extra={"version": document.version})


def bump(document: Document, fields: list[str]) -> None:
    """Save the changed fields with a new version number."""
    document.version += 1
    document.save(update_fields=[*fields, "version", "updated_at"])


def audit(actor: Any, action: str, document: Document, before: dict[str, Any] | None, **extra: Any) -> None:
    """Write the audit entry for a change of ``document`` (監査ログ)."""
    after = snapshot(document)
    after.update(extra)
    record(actor=actor, action=f"documents.{action}", obj=document, before=before, after=after)


def audit_created(actor: Any, action: str, documents: list[Document]) -> None:
    """The audit entries of documents created in bulk, one per document as ``audit`` writes it, in one go."""
    record_many(actor=actor, action=f"documents.{action}", objects=documents, after=[snapshot(d) for d in documents])


def is_document_manager(user: User, *, on: dt.date | None = None) -> bool:
    """Whether the user is a document manager (文書主管) on the day."""
    return org.has_role(user, Role.DOCUMENT_MANAGER, on=on)
