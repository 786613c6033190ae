"""Stored files (添付・署名済みPDF・振込データ) and the city's certificates, copied out and put back."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files.storage import Storage, default_storage

from cityhall.core.atomic_files import store_atomically, write_atomically
from cityhall.core.errors import Conflict

MEDIA = "media"
CERTS = "certs"
#: The settings that name certificate and key files (電子署名の証明書・鍵), one path or a list.
CERT_SETTINGS = (
    "CITYHALL_SIGNING_KEY_FILE",
    "CITYHALL_SIGNING_CERT_FILE",
    "CITYHALL_SIGNING_P12",
    "CITYHALL_SIGNING_CHAIN_FILES",
    "CITYHALL_SIGNING_TRUST_ROOTS",
    "CITYHALL_SIGNING_CRL_FILES",
    "CITYHALL_SIGNING_DEMO_FILES",  # the demo CA and TSA: the demo's signatures chain to that CA
)


def stored_names(storage: Storage = default_storage, folder: str = "") -> Iterator[str]:
    """Every file in the storage, by name; temporary files of a killed writer (``.NAME.*.part``) left out."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        if not name.startswith("."):
            yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


def copy_media(directory: Path) -> list[str]:
    """Copy every stored file under ``directory/media``; their relative paths in the backup."""
    copied = []
    for name in stored_names():
        target = directory / MEDIA / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source:
            target.write_bytes(source.read())
        copied.append(f"{MEDIA}/{name}")
    return copied


def _configured(setting: str) -> list[Path]:
    value = getattr(settings, setting, "") or ""
    values = value if isinstance(value, list | tuple) else [value]
    return [Path(v) for v in values if str(v)]


def copy_certs(directory: Path) -> dict[str, dict[str, object]]:
    """Copy the certificate files the settings name and that exist; relative path → setting, index, path."""
    copied: dict[str, dict[str, object]] = {}
    for setting in CERT_SETTINGS:
        for index, path in enumerate(_configured(setting)):
            if not path.is_file():
                continue
            relative = f"{CERTS}/{setting}/{index}-{path.name}"
            target = directory / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
            os.chmod(target, 0o600)
            copied[relative] = {"setting": setting, "index": index, "path": str(path)}
    return copied


def restore_media(directory: Path, relatives: list[str], *, force: bool) -> int:
    """Put the stored files back under their names; a different file already there is refused unless forced."""
    for relative in relatives:
        name = relative.removeprefix(f"{MEDIA}/")
        content = (directory / relative).read_bytes()
        if default_storage.exists(name) and not force:
            with default_storage.open(name, "rb") as present:
                if present.read() != content:
                    raise Conflict(f"保存先に別の内容のファイル {name} があります（上書きするには --force）。")
        store_atomically(default_storage, name, content)
    return len(relatives)


def restore_cert(directory: Path, relative: str, entry: dict[str, object], *, force: bool) -> Path:
    """Put a certificate file back where the setting names it now (else where it was), readable by the owner."""
    now = _configured(str(entry["setting"]))
    index = int(str(entry["index"]))
    path = now[index] if index < len(now) else Path(str(entry["path"]))
    content = (directory / relative).read_bytes()
    if path.exists() and path.read_bytes() != content and not force:
        raise Conflict(f"{path} に別の証明書・鍵があります（上書きするには --force）。")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, content)
    os.chmod(path, 0o600)
    return path
