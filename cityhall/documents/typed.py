"""What a typed document's own services use of the documents app (型付き文書のための公開インターフェース).

A typed document (支出負担行為, 支出命令, 照会 …) keeps its data in its own app and
its decision on one ``Document``. Its services draft, change and lock that
document only through these functions, inside their own transaction:

* ``draft_insert`` drafts the document (numbering, section, audit) in the caller's transaction;
* ``lock_editable_document`` locks it while its drafter may still change it (起案中・差戻し);
* ``update_document_in_transaction`` keeps its title, body and amount in step with the typed data;
* ``reindex`` refreshes its search entry after commit; ``index_new`` adds many documents drafted with
  ``draft_insert(index=False)`` to the index in one go after commit.

Hooks the engine calls (``validate_submit``, ``validate_decide``, ``on_decided``)
and the screens call (``content``, ``content_viewed``) are registered through
``cityhall.documents.registry``; ``content`` answers with the dataclasses of
``cityhall.documents.content``, re-exported here (``TypedContent``, ``ContentSection``,
``ContentRow``, ``ContentTable``). Nothing here imports a typed-document app.
"""

from __future__ import annotations

from typing import Any

from cityhall.accounts.models import User
from cityhall.core.audit import snapshot
from cityhall.core.errors import Conflict, PermissionDenied, clean
from cityhall.documents.content import ContentRow, ContentSection, ContentTable, TypedContent
from cityhall.documents.models import EDITABLE_STATUSES, Document
from cityhall.documents.services._common import NOT_FOUND_MESSAGE, audit, bump, lock_document
from cityhall.documents.services._effects import index_new, reindex
from cityhall.documents.services.drafting import draft_insert

__all__ = [
    "KEEP",
    "ContentRow",
    "ContentSection",
    "ContentTable",
    "TypedContent",
    "draft_insert",
    "index_new",
    "lock_editable_document",
    "reindex",
    "update_document_in_transaction",
]


class _Keep:
    """Marker for an argument not given to an update (変更しない)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()
"""The default of an update's optional arguments: the value stays as it is (``None`` may mean "clear")."""


def lock_editable_document(actor: User, document_id: int) -> Document:
    """The typed document, locked, while its drafter may still change it (起案中・差戻し)."""
    document = lock_document(document_id)
    if document.drafter_id != actor.pk:
        raise PermissionDenied(NOT_FOUND_MESSAGE)
    if document.status not in EDITABLE_STATUSES:
        raise Conflict(f"{document.get_status_display()}の文書は修正できません。")
    return document


def update_document_in_transaction(actor: User, document: Document, **changes: Any) -> None:
    """Keep a typed document's title, body and amount in step with its data (起案の修正).

    The same steps as ``services.draft_update`` (new version, audit entry, search index)
    but inside the caller's transaction, which already holds the document lock;
    ``draft_update`` opens a durable transaction of its own.
    """
    changed = [name for name, value in changes.items() if getattr(document, name) != value]
    if not changed:
        return
    before = snapshot(document)
    for name in changed:
        setattr(document, name, changes[name])
    clean(document)
    bump(document, changed)
    audit(actor, "document.update", document, before)
    reindex(document.pk)
