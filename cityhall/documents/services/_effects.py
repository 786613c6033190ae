"""Side effects after commit (コミット後の処理): search index, notifications, typed-document hooks.

Each receives ids, never objects, and is registered with
``transaction.on_commit(..., robust=True)`` so a failing side effect is logged
and never undoes or breaks the committed decision. Slow work leaves the request
as a task: the e-mail (``notifications.tasks.email_users``, with user ids and
the finished text) and the signed sheet (``documents.tasks.sign_document``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction

from cityhall.documents.registry import get_type

logger = logging.getLogger(__name__)


def _reindex(document_id: int) -> None:
    from cityhall.documents.indexing import index_document

    index_document(document_id)


def _index_new(document_ids: list[int]) -> None:
    from cityhall.documents.indexing import index_new_documents

    index_new_documents(document_ids)


def _email(user_ids: list[int], document_id: int, subject: str) -> None:
    from cityhall.documents.models import Document
    from cityhall.notifications.tasks import email_users

    document = Document.objects.filter(pk=document_id).only("number_label", "title").first()
    if document is None:
        return
    email_users.enqueue(
        user_ids=user_ids,
        subject=f"[cityhall] {subject}: {document.number_label} {document.title}",
        body=f"{document.number_label}「{document.title}」 — {subject}\n",
    )


def _notify_in_app(user_ids: list[int], document_id: int, subject: str) -> None:
    from django.urls import NoReverseMatch, reverse

    from cityhall.documents.models import Document
    from cityhall.notifications.services import notify as notify_in_app

    document = Document.objects.filter(pk=document_id).only("number_label", "title").first()
    if document is None:
        return
    try:
        url = reverse("documents:detail", args=[document_id])
    except NoReverseMatch:  # the documents screens are not installed
        url = ""
    notify_in_app(
        recipients=user_ids,
        subject=f"{subject}: {document.number_label} {document.title}",
        url=url,
        target=f"documents.document:{document_id}",
    )


def _decided(document_id: int, doc_type: str) -> None:
    entry = get_type(doc_type)
    if entry is not None and entry.on_decided is not None:
        entry.on_decided(document_id)


def reindex(document_id: int) -> None:
    """Update the document's search entry after commit."""
    transaction.on_commit(lambda: _reindex(document_id), robust=True)


def index_new(document_ids: list[int]) -> None:
    """Add documents created in bulk to the search index after commit, in one go."""
    ids = list(document_ids)
    if ids:
        transaction.on_commit(lambda: _index_new(ids), robust=True)


def notify(user_ids: Iterable[int], document_id: int, subject: str) -> None:
    """Notify the users about the document after commit (通知): in the app (お知らせ) and by e-mail (a queued task)."""
    ids = sorted(set(user_ids))
    if ids:
        transaction.on_commit(lambda: _notify_in_app(ids, document_id, subject), robust=True)
        transaction.on_commit(lambda: _email(ids, document_id, subject), robust=True)


def _sign(document_id: int) -> None:
    from cityhall.documents.tasks import sign_document

    sign_document.enqueue(document_id)


def decided(document_id: int, doc_type: str) -> None:
    """Queue the signed sheet (署名済みPDF) and run the typed document's ``on_decided`` hook after commit."""
    transaction.on_commit(lambda: _sign(document_id), robust=True)
    if doc_type:
        transaction.on_commit(lambda: _decided(document_id, doc_type), robust=True)
