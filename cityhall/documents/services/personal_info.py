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
from cityhall.documents.models import Document

AccessKind = Literal["view", "download"]


def personal_info_access_record(*, actor: User, document: Document, what: AccessKind) -> None:
    """Audit a view or download (``what``) of ``document`` when it is marked 個人情報あり; otherwise do nothing."""
    if not document.has_personal_info:
        return
    with transaction.atomic():
        record(actor=actor, action=f"documents.document.{what}", obj=document, after={"number": document.number_label})
