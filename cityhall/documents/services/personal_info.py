"""The record of who read a document holding personal information (個人情報の閲覧記録).

Every screen or API answer that shows such a document, or hands out one of its
files, calls :func:`personal_info_access_record`, whichever app shows it (a
payment order's page shows its document's payees as much as the document page does).
"""

from __future__ import annotations

from typing import Literal

from django.db import transaction

from cityhall.accounts.models import User
from cityhall.core.audit import record
from cityhall.core.context import current_access
from cityhall.documents.models import Document
from cityhall.documents.remote import classification

AccessKind = Literal["view", "download"]


def personal_info_access_record(*, actor: User, document: Document, what: AccessKind) -> None:
    """Audit a view or download (``what``) of a document marked 個人情報あり (or 秘, from outside), classified."""
    remote = not current_access().is_office
    if not (document.has_personal_info or (remote and document.is_confidential)):
        return
    after = {"number": document.number_label, "classification": classification(document), "remote": remote}
    with transaction.atomic():
        record(actor=actor, action=f"documents.document.{what}", obj=document, after=after)
