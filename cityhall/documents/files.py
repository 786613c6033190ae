"""Checking attachment files (添付ファイルの検査) and extracting their text for search.

Runs after the service has checked that the actor may attach to the document (so nobody can
make the server read or parse a file for a document they may not change) and before it opens
its transaction: size limit, empty files, the type judged from the bytes and matching the
extension, never two types in one file (``_filetypes``), Office and OpenDocument archives
bounded when inflated and without archives inside, PDFs without JavaScript, launch actions or
embedded files (``_pdfcheck``), and the text of PDFs through ``pdftotext`` (poppler-utils) with
a timeout.
"""

from __future__ import annotations

import hashlib
import io
import logging
import shutil
import subprocess
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO

from django.conf import settings

from cityhall.core.errors import ValidationFailed
from cityhall.documents._filetypes import check_archive, leading_type, office_app, second_types

logger = logging.getLogger(__name__)

PDFTOTEXT_TIMEOUT_SECONDS = 30
MAX_EXTRACTED_CHARS = 1_000_000

# extension -> (content type, family)
ALLOWED_TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "ooxml"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ooxml"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ooxml"),
    "odt": ("application/vnd.oasis.opendocument.text", "ooxml"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "ooxml"),
    "odp": ("application/vnd.oasis.opendocument.presentation", "ooxml"),
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


# The leading type (``_filetypes.leading_type``) each family of extensions must have.
_FAMILY_LEADING = {"pdf": "pdf", "ooxml": "zip", "ole": "ole", "png": "png", "jpeg": "jpeg", "gif": "gif"}


def _check_office(name: str, ext: str, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            app, extensions = office_app(name, archive)
            if ext not in extensions:
                raise ValidationFailed(f"「{name}」は拡張子が .{ext} ですが、中身が{app}のファイルです。", field="file")
            check_archive(name, archive, settings.CITYHALL_MAX_ARCHIVE_BYTES)
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError, OSError, RuntimeError) as exc:
        raise ValidationFailed(f"「{name}」は壊れているため読み取れません。", field="file") from exc


def _check_content(name: str, ext: str, family: str, data: bytes) -> None:
    kind = leading_type(data)
    if kind != _FAMILY_LEADING[family]:
        raise ValidationFailed(
            f"「{name}」は拡張子が .{ext} ですが、中身が{_FAMILY_NAMES[family]}ではありません。", field="file"
        )
    others = second_types(kind, data)
    if others:
        raise ValidationFailed(
            f"「{name}」は{_FAMILY_NAMES[family]}と{'・'.join(others)}の二つの種類として読めるため添付できません。",
            field="file",
        )
    if family == "ooxml":
        _check_office(name, ext, data)
    elif family == "pdf":
        # pyHanko is loaded when a PDF is attached, not when a process starts (it costs a fifth of a second).
        from cityhall.documents._pdfcheck import refuse_active_content

        refuse_active_content(name, data)


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


def check_upload_metadata(name: str, size: int | None) -> tuple[str, str]:
    """Check what is known without reading the file (name, extension, declared size): (safe name, extension)."""
    limit = settings.CITYHALL_MAX_UPLOAD_BYTES
    name = _safe_name(name)
    if size is not None and size > limit:
        raise ValidationFailed(f"「{name}」は大きすぎます（上限 {human_limit(limit)}）。", field="file")
    if size == 0:
        raise ValidationFailed(f"「{name}」は空のファイルです。", field="file")
    ext = PurePath(name).suffix.lower().lstrip(".")
    if ext not in ALLOWED_TYPES:
        raise ValidationFailed(
            f"「{name}」は添付できない種類のファイルです（PDF・Office・PNG・JPEG・GIFのみ）。", field="file"
        )
    return name, ext


def check_upload(name: str, stream: IO[bytes], *, size: int | None = None) -> CheckedFile:
    """Read and check one uploaded file; raise ``ValidationFailed`` naming the problem (添付ファイルの検査).

    Call it only after the caller's permission to attach has been checked.
    """
    limit = settings.CITYHALL_MAX_UPLOAD_BYTES
    name, ext = check_upload_metadata(name, size)
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ValidationFailed(f"「{name}」は大きすぎます（上限 {human_limit(limit)}）。", field="file")
    if not data:
        raise ValidationFailed(f"「{name}」は空のファイルです。", field="file")
    content_type, family = ALLOWED_TYPES[ext]
    _check_content(name, ext, family, data)
    text = extract_pdf_text(name, data) if family == "pdf" else ""
    return CheckedFile(
        name=name, data=data, content_type=content_type, sha256=hashlib.sha256(data).hexdigest(), text=text
    )
