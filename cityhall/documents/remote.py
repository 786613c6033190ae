"""A document's files from a remote session (庁外からのファイル): what the remote-access policy allows.

The policy's decision is ``core.remote_policy``; this module names the classes a document's files
belong to (添付ファイル always, 個人情報 when marked 個人情報あり, 秘 when marked 秘) and takes the
strictest mode over them. ``SEE`` serves the original as in the office; ``MASKED`` refuses the
original (download, inline view, signed PDF) and offers the watermarked rendered view instead;
``NONE`` refuses every file. Every remote view of a classified document's file is recorded with its
classification (``remote_view_record``).
"""

from __future__ import annotations

from django.db import transaction

from cityhall.accounts.models import User
from cityhall.core.audit import record
from cityhall.core.context import current_access
from cityhall.core.errors import ApplicationError
from cityhall.core.remote_policy import DataClass, Mode, classification_labels, remote_mode_of
from cityhall.documents.models import Attachment, Document

REMOTE_VIEW = "documents.attachment.remote_view"
MASKED_REFUSED = (
    "リモートアクセスの方針により、個人情報・秘を含む文書のファイルは庁外（リモート）からは原本をダウンロードできません。"
    "文書の画面の「透かし入りで表示」で閲覧してください。"
)
NONE_REFUSED = (
    "リモートアクセスの方針により、この文書のファイルは庁外（リモート）からは表示できません。"
    "庁内のネットワークから利用してください。"
)


class RemoteFileRefused(ApplicationError):
    """A file the policy keeps from remote sessions (403, with the reason and what to do instead)."""

    status_code = 403


def file_classes(document: Document) -> list[DataClass]:
    """The data classes of a document's files (添付ファイル, 個人情報, 秘)."""
    classes = [DataClass.ATTACHMENT]
    if document.has_personal_info:
        classes.append(DataClass.PERSONAL)
    if document.is_confidential:
        classes.append(DataClass.SECRET)
    return classes


def files_mode(user: User, document: Document) -> Mode:
    """How ``user`` may have the document's files from where the request comes (SEE in the office)."""
    return remote_mode_of(user, file_classes(document))


def refuse_original(user: User, document: Document) -> None:
    """Raise ``RemoteFileRefused`` unless the policy lets ``user`` have the original files from here."""
    mode = files_mode(user, document)
    if mode is Mode.MASKED:
        raise RemoteFileRefused(MASKED_REFUSED)
    if mode is Mode.NONE:
        raise RemoteFileRefused(NONE_REFUSED)


def classification(document: Document) -> list[str]:
    """The classification recorded with a remote view (「個人情報」「秘」), without the general class."""
    return classification_labels(c for c in file_classes(document) if c is not DataClass.ATTACHMENT)


def remote_view_record(*, actor: User, attachment: Attachment, pages: int) -> None:
    """Audit a remote, watermarked view of an attachment with the document's classification (庁外での閲覧)."""
    document = attachment.document
    with transaction.atomic():
        record(
            actor=actor,
            action=REMOTE_VIEW,
            obj=attachment,
            after={
                "number": document.number_label,
                "document": document.pk,
                "classification": classification(document),
                "pages": pages,
                "remote": not current_access().is_office,
            },
        )
