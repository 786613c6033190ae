"""What an attached file is, judged from its bytes (中身による種類の判定), and its archive limits.

No library in the lock judges types and polyglots together (python-magic needs libmagic and
answers one type only), so the few signatures we accept are written here:

- the leading signature (magic bytes) names the one type a file may be;
- a second type in the same bytes makes it a polyglot, refused: a PDF header in the first
  1,024 bytes (where readers look for it), a ZIP central directory at the end (where ZIP
  readers look), or HTML markup that a browser would run;
- an Office or OpenDocument file is a ZIP whose parts say which application it belongs to;
  its parts are inflated in a bounded stream (never trusting the sizes it declares) and none
  may itself be an archive.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from cityhall.core.errors import ValidationFailed

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
GIF_MAGICS = (b"GIF87a", b"GIF89a")
LEADING: tuple[tuple[str, bytes], ...] = (
    ("pdf", PDF_MAGIC),
    ("zip", ZIP_MAGIC),
    ("ole", OLE_MAGIC),
    ("png", PNG_MAGIC),
    ("jpeg", JPEG_MAGIC),
    *(("gif", magic) for magic in GIF_MAGICS),
)
# Signatures of archives and compressed streams that may not sit inside an Office file.
ARCHIVE_MAGICS = (
    ZIP_MAGIC,
    b"PK\x05\x06",
    OLE_MAGIC,
    b"\x1f\x8b",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\xfd7zXZ\x00",
    b"MSCF",
    b"\x28\xb5\x2f\xfd",
)
_BZIP2 = re.compile(rb"BZh[1-9]")
_HTML = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed)[\s>/]", re.IGNORECASE)
MAX_ARCHIVE_ENTRIES = 10_000
_CHUNK = 1024 * 1024
# OOXML: the folder of the main part -> the application named in messages and its extensions.
OOXML_APPS = {"word/": ("Word", {"docx"}), "xl/": ("Excel", {"xlsx"}), "ppt/": ("PowerPoint", {"pptx"})}
ODF_APPS = {
    "application/vnd.oasis.opendocument.text": ("OpenDocument文書", {"odt"}),
    "application/vnd.oasis.opendocument.spreadsheet": ("OpenDocument表計算", {"ods"}),
    "application/vnd.oasis.opendocument.presentation": ("OpenDocumentプレゼンテーション", {"odp"}),
}


def leading_type(data: bytes) -> str | None:
    """The type named by the file's first bytes: pdf, zip, ole, png, jpeg or gif (None for anything else)."""
    return next((kind for kind, magic in LEADING if data.startswith(magic)), None)


def _is_zip(data: bytes) -> bool:
    if b"PK\x05\x06" not in data[-(65_535 + 22) :]:
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return bool(archive.infolist())
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, RuntimeError):
        return False


def second_types(kind: str, data: bytes) -> list[str]:
    """Other types the same bytes also are (ポリグロット): PDF, ZIP or HTML."""
    found = []
    if kind != "pdf" and PDF_MAGIC in data[:1024]:
        found.append("PDF")
    if kind != "zip" and _is_zip(data):
        found.append("ZIP")
    # Images are searched whole (comments and trailers hide markup); other types at the head.
    searched = data if kind in ("png", "jpeg", "gif") else data[:1024]
    if _HTML.search(searched):
        found.append("HTML")
    return found


def _is_archive(head: bytes) -> bool:
    return head.startswith(ARCHIVE_MAGICS) or bool(_BZIP2.match(head))


def _corrupt(name: str) -> ValidationFailed:
    return ValidationFailed(f"「{name}」は壊れているため読み取れません。", field="file")


def office_app(name: str, archive: zipfile.ZipFile) -> tuple[str, set[str]]:
    """The application an Office or OpenDocument archive belongs to, from its parts: (名前, extensions)."""
    names = archive.namelist()
    if names and names[0] == "mimetype":
        mimetype = archive.read("mimetype").decode("ascii", errors="replace").strip()
        if mimetype in ODF_APPS:
            return ODF_APPS[mimetype]
    if "[Content_Types].xml" in names:
        for folder, app in OOXML_APPS.items():
            if any(entry.startswith(folder) for entry in names):
                return app
    raise ValidationFailed(f"「{name}」はOfficeファイルではありません。", field="file")


def check_archive(name: str, archive: zipfile.ZipFile, limit: int) -> None:
    """Inflate every part once, counting bytes: refuse above ``limit`` in all or an archive inside."""
    too_big = ValidationFailed(
        f"「{name}」は展開後の大きさが上限（{limit // (1024 * 1024)}MB）を超えるため添付できません。", field="file"
    )
    infos = archive.infolist()
    if len(infos) > MAX_ARCHIVE_ENTRIES:
        raise ValidationFailed(f"「{name}」は中のファイルが多すぎるため添付できません。", field="file")
    if sum(info.file_size for info in infos) > limit:
        raise too_big
    total = 0
    try:
        for info in infos:
            with archive.open(info) as part:
                head = part.read(16)
                if _is_archive(head):
                    raise ValidationFailed(
                        f"「{name}」の中に別の圧縮ファイル（{info.filename}）が含まれているため添付できません。",
                        field="file",
                    )
                total += len(head)
                while chunk := part.read(_CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise too_big
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise _corrupt(name) from exc
