"""Checking attachment files (添付ファイルの検査) and extracting their text for search.

Runs before the service opens its transaction: size limit, empty files, the
type judged from the bytes (a file named ``.pdf`` must start with ``%PDF-``,
Office files are ZIP or OLE containers, images PNG/JPEG/GIF), and the text of
PDFs through ``pdftotext`` (poppler-utils) with a timeout.
"""

from __future__ import annotations

import hashlib
import io
import logging
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO

from django.conf import settings

from cityhall.core.errors import ValidationFailed

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
GIF_MAGICS = (b"GIF87a", b"GIF89a")
PDFTOTEXT_TIMEOUT_SECONDS = 30
MAX_EXTRACTED_CHARS = 1_000_000

# extension -> (content type, family)
ALLOWED_TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "ooxml"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ooxml"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ooxml"),
    "doc": ("application/msword", "ole"),
    "xls": ("application/vnd.ms-excel", "ole"),
    "ppt": ("application/vnd.ms-powerpoint", "ole"),
    "png": ("image/png", "png"),
    "jpg": ("image/jpeg", "jpeg"),
    "jpeg": ("image/jpeg", "jpeg"),
    "gif": ("image/gif", "gif"),
}
_FAMILY_NAMES = {
    "pdf": "PDF",
    "ooxml": "Office",
    "ole": "Office",
    "png": "PNG画像",
    "jpeg": "JPEG画像",
    "gif": "GIF画像",
}


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks: its bytes, type, hash and extracted text."""

    name: str
    data: bytes
    content_type: str
    sha256: str
    text: str

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)


def human_limit(size: int) -> str:
    """A size limit for messages, e.g. 「50MB」."""
    return f"{size // (1024 * 1024)}MB" if size >= 1024 * 1024 else f"{size:,}バイト"


def _safe_name(name: str) -> str:
    base = PurePath(name.replace("\\", "/")).name.strip()
    return base[:200] or "file"


def _family_matches(family: str, data: bytes) -> bool:
    if family == "pdf":
        return data.startswith(PDF_MAGIC)
    if family == "ooxml":
        return data.startswith(ZIP_MAGIC)
    if family == "ole":
        return data.startswith(OLE_MAGIC)
    if family == "png":
        return data.startswith(PNG_MAGIC)
    if family == "jpeg":
        return data.startswith(JPEG_MAGIC)
    return data.startswith(GIF_MAGICS)


def _check_ooxml(name: str, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "[Content_Types].xml" not in archive.namelist():
                raise ValidationFailed(f"「{name}」はOfficeファイルではありません。", field="file")
    except zipfile.BadZipFile as exc:
        raise ValidationFailed(f"「{name}」は壊れているため読み取れません。", field="file") from exc


def extract_pdf_text(name: str, data: bytes) -> str:
    """The text of a PDF via ``pdftotext``; a PDF it cannot read is refused as corrupt.

    Without poppler-utils installed the text is left empty (and logged), so the
    file is still accepted but not found by its contents.
    """
    exe = shutil.which("pdftotext")
    if exe is None:
        logger.warning("pdftotext not found: PDF text is not extracted (install poppler-utils)")
        if b"%%EOF" not in data[-2048:]:
            raise ValidationFailed(f"「{name}」は壊れているため読み取れません。", field="file")
        return ""
    with tempfile.TemporaryDirectory(prefix="cityhall-pdf-") as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(data)
        try:
            result = subprocess.run(  # noqa: S603 - fixed executable, no shell, our own temp path
                [exe, "-q", "-enc", "UTF-8", str(source), "-"],
                capture_output=True,
                timeout=PDFTOTEXT_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ValidationFailed(f"「{name}」の読み取りに時間がかかりすぎます。", field="file") from exc
    if result.returncode != 0:
        raise ValidationFailed(f"「{name}」は壊れているため読み取れません。", field="file")
    text = result.stdout.decode("utf-8", errors="replace").replace("\x0c", "\n")
    return text[:MAX_EXTRACTED_CHARS]


def check_upload(name: str, stream: IO[bytes], *, size: int | None = None) -> CheckedFile:
    """Read and check one uploaded file; raise ``ValidationFailed`` naming the problem (添付ファイルの検査)."""
    limit = settings.CITYHALL_MAX_UPLOAD_BYTES
    name = _safe_name(name)
    if size is not None and size > limit:
        raise ValidationFailed(f"「{name}」は大きすぎます（上限 {human_limit(limit)}）。", field="file")
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ValidationFailed(f"「{name}」は大きすぎます（上限 {human_limit(limit)}）。", field="file")
    if not data:
        raise ValidationFailed(f"「{name}」は空のファイルです。", field="file")
    ext = PurePath(name).suffix.lower().lstrip(".")
    if ext not in ALLOWED_TYPES:
        raise ValidationFailed(
            f"「{name}」は添付できない種類のファイルです（PDF・Office・PNG・JPEG・GIFのみ）。", field="file"
        )
    content_type, family = ALLOWED_TYPES[ext]
    if not _family_matches(family, data):
        raise ValidationFailed(
            f"「{name}」は拡張子が .{ext} ですが、中身が{_FAMILY_NAMES[family]}ではありません。", field="file"
        )
    text = ""
    if family == "ooxml":
        _check_ooxml(name, data)
    elif family == "pdf":
        text = extract_pdf_text(name, data)
    return CheckedFile(
        name=name, data=data, content_type=content_type, sha256=hashlib.sha256(data).hexdigest(), text=text
    )
