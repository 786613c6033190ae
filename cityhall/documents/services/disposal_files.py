"""The stored files a disposal takes away (廃棄するファイル): queued in the carrying-out transaction.

Shared by the records' and the receipts' disposal (``disposal_carry_out``, ``disposal_receipts``): the
names go into ``PendingFileDeletion`` rows, deleted from storage after the commit; the SHA-256 of each
owner's files go into its audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from cityhall.core.bulk import insert_rows
from cityhall.documents.models import Document, PendingFileDeletion


def queue_deletions(listing: Document, names: Sequence[str], now: dt.datetime) -> int:
    """Write the names of stored files to delete after the commit; the number queued."""
    insert_rows(
        PendingFileDeletion, ({"name": name, "disposal_list_id": listing.pk, "created_at": now} for name in names)
    )
    return len(names)


def hashes_by_owner(rows: Iterable[tuple[int, str, str]]) -> dict[int, list[str]]:
    """The SHA-256 of each owner's files from ``(owner id, name, sha256)`` rows, in their order."""
    hashes: dict[int, list[str]] = {}
    for owner, _name, sha in rows:
        hashes.setdefault(owner, []).append(sha)
    return hashes
