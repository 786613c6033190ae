"""The backup's manifest (目録): every file with its size and SHA-256, checked before a restore."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cityhall.core.errors import ValidationFailed

MANIFEST = "manifest.json"
FORMAT = 1
_CHUNK = 1024 * 1024


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class Manifest:
    """What a backup holds: ``files`` maps a relative path to its size and SHA-256 (and, for a
    certificate, the setting that named it)."""

    created_at: str
    vendor: str
    database: str
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    format: int = FORMAT

    def add(self, root: Path, relative: str, **extra: Any) -> None:
        path = root / relative
        self.files[relative] = {"size": path.stat().st_size, "sha256": sha256_of(path), **extra}

    def write(self, root: Path) -> str:
        """Write ``manifest.json``; its own SHA-256, for the operator's log."""
        body = {
            "format": self.format,
            "created_at": self.created_at,
            "vendor": self.vendor,
            "database": self.database,
            "files": self.files,
        }
        path = root / MANIFEST
        path.write_text(json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        return sha256_of(path)


def read_manifest(root: Path) -> Manifest:
    """The manifest of the backup in ``root``, every file checked against its size and SHA-256."""
    try:
        body = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationFailed(f"{root} にバックアップの目録（{MANIFEST}）を読めません: {exc}", field="dir") from exc
    if body.get("format") != FORMAT:
        raise ValidationFailed(f"バックアップの形式 {body.get('format')} には対応していません。", field="dir")
    manifest = Manifest(body["created_at"], body["vendor"], body["database"], body["files"])
    for relative, entry in manifest.files.items():
        path = root / relative
        if relative.startswith("/") or ".." in Path(relative).parts:
            raise ValidationFailed(f"目録のパス {relative} はバックアップの外を指しています。", field="dir")
        if not path.is_file() or path.stat().st_size != entry["size"] or sha256_of(path) != entry["sha256"]:
            message = f"バックアップのファイル {relative} が欠けているか、目録と一致しません。"
            raise ValidationFailed(message, field="dir")
    return manifest
