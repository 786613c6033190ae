"""Writing stored files into a transfer package (移管パッケージ), hashed on the way: shared by records and receipts."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from typing import IO, Any

from django.utils import timezone

from cityhall.core.errors import ValidationFailed

CHUNK = 1024 * 1024


def iso(value: dt.date | dt.datetime | None) -> str | None:
    """A date (or the local date of a time) as ISO 8601, or None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def copy(source: IO[bytes], archive: zipfile.ZipFile, arcname: str) -> tuple[int, str]:
    """Copy a stored file into the archive, hashing it on the way: (size, SHA-256)."""
    digest, size = hashlib.sha256(), 0
    with archive.open(arcname, "w", force_zip64=True) as target:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
    return size, digest.hexdigest()


def copy_checked(
    stored: Any, sha256: str, archive: zipfile.ZipFile, files: Any, folder: str, name: str, mismatch: str
) -> tuple[int, str]:
    """Copy a stored file into the record's folder, refusing one that no longer matches its recorded hash."""
    with stored.open("rb") as source:
        size, digest = copy(source, archive, f"records/{folder}/{name}")
    if digest != sha256:
        raise ValidationFailed(mismatch)
    files.writerow([folder, name, size, digest])
    return size, digest
