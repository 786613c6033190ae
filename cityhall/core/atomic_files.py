"""Files that are either whole or absent (原子的な書き込み), after a crash as well as after an error.

A file is written under a temporary name beside its final one, flushed to disk
(``fsync``), then renamed over the final name (``os.replace``, atomic on POSIX
and Windows) and the directory flushed, so a reader, or the next run after a
``kill -9``, finds the old file, the new file or none, never half of one.
Leftover temporary files (``.NAME.*.part``) of a killed writer are removed by
the next write of the same name. An object store (S3) is atomic per object
already. The standard library has what this needs; no package does it better
for both a path and a Django storage.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import Storage


def _temporary_names(path: Path) -> list[Path]:
    return list(path.parent.glob(f".{path.name}.*.part"))


def _sync_directory(directory: Path) -> None:
    if os.name != "posix":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` whole or not at all; the parent directory must exist."""
    for stale in _temporary_names(path):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        with open(temporary, "xb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    _sync_directory(path.parent)


def store_atomically(storage: Storage, name: str, content: bytes) -> None:
    """Put ``content`` in ``storage`` under exactly ``name``, replacing what is there, whole or not at all."""
    try:
        local = Path(storage.path(name))
    except NotImplementedError:  # an object store: one PUT is atomic
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, ContentFile(content))
        if saved != name:
            raise OSError(f"storage saved {name!r} as {saved!r}") from None
        return
    local.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(local, content)
