"""The ZIP of attachments an online application service exports (申請の添付ファイル), read without trusting it.

An export is read only through :class:`AttachmentArchive`, which refuses the whole archive before a
byte is inflated when its directory is unsafe, and inflates each file in a bounded stream:

- size: the archive itself at most ``MAX_ZIP_BYTES``; at most ``MAX_ENTRIES`` entries; the sizes it
  declares at most ``MAX_TOTAL_BYTES`` in all; each file at most ``CITYHALL_MAX_UPLOAD_BYTES`` (the
  attachment limit) and never more than ``MAX_RATIO`` times its compressed size once past 1 MB, counted
  while inflating (the declared sizes may lie), with the whole archive's inflated bytes counted too;
- names: decoded as UTF-8 (the flag the archiver sets, or bytes that are valid UTF-8) or else as
  cp932 (Windows' Japanese archivers write no flag); a name that is neither is refused; backslashes
  read as folders; an absolute path, a drive letter, a ``..`` part, control characters, a link or
  two entries with the same name (after NFC) refuse the archive; names are compared in NFC;
- encrypted entries are refused (we cannot check what we cannot read).

What a file is (PDF, Office, image) is then judged by ``files.check_upload`` like any attachment.
"""

from __future__ import annotations

import stat
import unicodedata
import zipfile
import zlib
from typing import IO

from django.conf import settings

from cityhall.core.errors import ValidationFailed
from cityhall.core.text import unsafe_character
from cityhall.documents.files import human_limit

MAX_ZIP_BYTES = 1024 * 1024 * 1024
"""The largest ZIP of attachments taken in one import (1 GB)."""
MAX_ENTRIES = 5_000
"""The most entries (files and folders) in one ZIP."""
MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024
"""The most bytes all the ZIP's files may hold once inflated (4 GB)."""
MAX_RATIO = 100
"""The most a file past ``RATIO_FLOOR`` may inflate relative to its compressed size (zip bombs inflate 1,000 times)."""
RATIO_FLOOR = 1024 * 1024
_CHUNK = 1024 * 1024
FIELD = "archive"


def _refused(message: str) -> ValidationFailed:
    return ValidationFailed(f"添付ファイルのZIP: {message}", field=FIELD)


def _decoded(info: zipfile.ZipInfo) -> str:
    """The entry's name as the archiver meant it: UTF-8 when flagged or valid, else cp932."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:  # zipfile decoded it another way already
        return info.filename
    for encoding in ("utf-8", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _refused("ファイル名をUTF-8としてもShift_JIS（cp932）としても読めない項目があります。")


def normalized_name(name: str) -> str:
    """A file name as rows and entries are compared: NFC, folders with ``/``, no leading ``./``, no spaces around."""
    name = unicodedata.normalize("NFC", name.strip()).replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return name


def _safe(name: str) -> str:
    """The normalized name of an entry, or the archive refused for a name that could leave its folder."""
    bad = unsafe_character(name, multiline=False)
    if bad is not None:
        raise _refused(f"「{name[:60]}」の名前に使えない文字（U+{ord(bad):04X}）があります。")
    name = normalized_name(name)
    parts = name.rstrip("/").split("/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":") or ".." in parts or "" in parts:
        raise _refused(f"「{name[:60]}」はZIPの外を指す名前のため、このZIPは取り込めません。")
    return name


class AttachmentArchive:
    """The files of an exported ZIP by normalized name, each inflated within the limits (``read``)."""

    def __init__(self, source: IO[bytes], *, size: int | None = None) -> None:
        if size is not None and size > MAX_ZIP_BYTES:
            raise _refused(f"大きすぎます（上限 {human_limit(MAX_ZIP_BYTES)}）。分けて取り込んでください。")
        try:
            self._zip = zipfile.ZipFile(source)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zlib.error, ValueError, EOFError, OSError) as exc:
            raise _refused("ZIPファイルとして読めません。") from exc
        if len(infos) > MAX_ENTRIES:
            raise _refused(f"中のファイルが多すぎます（{len(infos):,}件。上限 {MAX_ENTRIES:,}件）。")
        if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
            raise _refused(f"展開後の大きさが上限（{human_limit(MAX_TOTAL_BYTES)}）を超えます。")
        self.entries: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = _safe(_decoded(info))
            if stat.S_ISLNK(info.external_attr >> 16):
                raise _refused(f"「{name[:60]}」はリンクのため、このZIPは取り込めません。")
            if info.is_dir() or name.endswith("/"):
                continue
            if info.flag_bits & 0x1:
                raise _refused(f"「{name[:60]}」は暗号化されているため読めません。暗号化せずに書き出してください。")
            if name in self.entries:
                raise _refused(f"「{name[:60]}」という名前のファイルが二つあります。")
            self.entries[name] = info
        self._inflated = 0

    def __contains__(self, name: str) -> bool:
        return normalized_name(name) in self.entries

    def read(self, name: str) -> bytes:
        """The inflated bytes of one file; ``ValidationFailed`` naming the file when it breaks a limit or is corrupt."""
        key = normalized_name(name)
        info = self.entries[key]
        limit = settings.CITYHALL_MAX_UPLOAD_BYTES
        too_big = ValidationFailed(f"「{key}」は大きすぎます（上限 {human_limit(limit)}）。", field="file")
        if info.file_size > limit:
            raise too_big
        bomb = ValidationFailed(
            f"「{key}」は圧縮率が異常に高いため取り込めません（圧縮後の{MAX_RATIO}倍を超えます）。", field="file"
        )
        ceiling = max(RATIO_FLOOR, info.compress_size * MAX_RATIO)
        if info.file_size > ceiling:
            raise bomb
        chunks, total = [], 0
        try:
            with self._zip.open(info) as part:
                while chunk := part.read(_CHUNK):
                    total += len(chunk)
                    self._inflated += len(chunk)
                    if total > limit:
                        raise too_big
                    if total > ceiling:
                        raise bomb
                    if self._inflated > MAX_TOTAL_BYTES:
                        raise _refused(f"展開後の大きさが上限（{human_limit(MAX_TOTAL_BYTES)}）を超えます。")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as exc:
            raise ValidationFailed(f"「{key}」は壊れているため読み取れません。", field="file") from exc
        return b"".join(chunks)

    def rewind(self) -> None:
        """Start counting the inflated bytes again, to read the same files a second time (when storing them)."""
        self._inflated = 0

    def close(self) -> None:
        """Close the archive."""
        self._zip.close()
