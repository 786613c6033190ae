"""Active content in an attached PDF (PDFの能動的な内容): JavaScript, launch actions, embedded files.

An attachment is opened by staff in their PDF viewer, so a PDF that runs script on opening
(``/OpenAction`` with ``/JS``), on events (``/AA`` additional actions), starts a program
(``/Launch``) or carries files inside it (``/EmbeddedFiles``, ``/EF``) is refused: refusing is
simpler and safer than rewriting it. The file is parsed with pyHanko's reader (already used for
signatures), which resolves compressed object streams and ``#``-escaped names, and every object
reachable from the catalogue and the trailer is walked once; the walk is bounded so that a file
cannot keep the server busy.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.crypt import AuthStatus
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader

from cityhall.core.errors import ValidationFailed

MAX_OBJECTS = 200_000

# key or action type -> the reason shown to the user
_JAVASCRIPT = "スクリプト（JavaScript）"
_AUTOMATIC = "自動で実行される動作（追加アクション）"
_LAUNCH = "外部のプログラムを起動する動作"
_EMBEDDED = "埋め込みファイル"
_FORBIDDEN_KEYS = {
    "/JS": _JAVASCRIPT,
    "/JavaScript": _JAVASCRIPT,
    "/AA": _AUTOMATIC,
    "/EmbeddedFiles": _EMBEDDED,
    "/EmbeddedFile": _EMBEDDED,
    "/EF": _EMBEDDED,
}
_FORBIDDEN_ACTIONS = {"/JavaScript": _JAVASCRIPT, "/Launch": _LAUNCH, "/GoToE": _EMBEDDED}


def _children(obj: generic.PdfObject) -> Iterator[generic.PdfObject]:
    if isinstance(obj, generic.DictionaryObject):
        yield from obj.values()
    elif isinstance(obj, generic.ArrayObject):
        yield from obj


def _reason(obj: generic.PdfObject) -> str | None:
    if not isinstance(obj, generic.DictionaryObject):
        return None
    for key in obj:
        if key in _FORBIDDEN_KEYS:
            return _FORBIDDEN_KEYS[key]
    for key in ("/S", "/Type"):
        value = obj.get(key)
        if isinstance(value, generic.NameObject) and value in _FORBIDDEN_ACTIONS:
            return _FORBIDDEN_ACTIONS[value]
    if obj.get("/Type") == "/EmbeddedFile":
        return _EMBEDDED
    return None


def _walk(reader: PdfFileReader) -> str | None:
    seen: set[tuple[int, int]] = set()
    stack: list[generic.PdfObject] = [reader.trailer, reader.root]
    count = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, generic.IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            obj = obj.get_object()
        count += 1
        if count > MAX_OBJECTS:
            return "多すぎるオブジェクト"
        reason = _reason(obj)
        if reason:
            return reason
        stack.extend(_children(obj))
    return None


def active_content(data: bytes) -> str | None:
    """The kind of active content found in a PDF, or None; raises ``PdfError`` for an unreadable file."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    if reader.encrypted and reader.decrypt(b"").status == AuthStatus.FAILED:
        raise PdfError("encrypted with a user password")
    return _walk(reader)


def refuse_active_content(name: str, data: bytes) -> None:
    """Refuse a PDF with JavaScript, a launch action or embedded files (PDFの能動的な内容の拒否)."""
    try:
        reason = active_content(data)
    except (  # pyHanko's reader on hostile bytes: every way it can fail is "cannot read"
        PdfError,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        NotImplementedError,
        RecursionError,
        zlib.error,
    ) as exc:
        raise ValidationFailed(f"「{name}」は壊れているか暗号化されているため読み取れません。", field="file") from exc
    if reason:
        raise ValidationFailed(
            f"「{name}」には{reason}が含まれているため添付できません。"
            "印刷用のPDFとして保存し直してから添付してください。",
            field="file",
        )
