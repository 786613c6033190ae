"""Drafts and attachments for the documents tests (起案と添付ファイル)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any

from fpdf import FPDF
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from cityhall.accounts.models import User
from cityhall.documents import services
from cityhall.documents.models import Document
from cityhall.org.models import OrgUnit
from cityhall.signing.fonts import GOTHIC, font_path


def draft_document(
    city: SimpleNamespace, *, by: User | None = None, kind: str = "general", amount: int | None = None, **kw: Any
) -> Document:
    """A draft (起案) by ``drafter`` or ``by``: ``draft_document(city, amount=800_000, kind="spending")``."""
    return services.draft_create(
        actor=by or city.drafter,
        title=kw.pop("title", "公用車の修繕について"),
        body=kw.pop("body", "公用車の修繕を次のとおり行う。"),
        matter_kind=city.kinds[kind],
        amount=amount,
        file_plan_class=kw.pop("file_plan_class", city.plan),
        **kw,
    )


def submitted_document(
    city: SimpleNamespace,
    *,
    by: User | None = None,
    consult_units: Sequence[OrgUnit] = (),
    extra_reviewers: Sequence[User] = (),
    **kw: Any,
) -> Document:
    """A draft submitted on its route (回議中), with 合議 units and extra reviewers if given."""
    doc = draft_document(city, by=by, **kw)
    return services.submit(
        actor=by or city.drafter,
        document=doc,
        expected_version=doc.version,
        consult_units=consult_units,
        extra_reviewers=extra_reviewers,
    )


def pdf_bytes(text: str = "添付資料の本文") -> bytes:
    """A real one-page PDF with Japanese text (fpdf2 with the bundled IPAex font)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("gothic", fname=str(font_path(GOTHIC)))
    pdf.set_font("gothic", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def upload(name: str, data: bytes) -> dict[str, Any]:
    """Keyword arguments for ``attachment_add``: the file's name, its bytes as a stream, its size."""
    return {"name": name, "stream": io.BytesIO(data), "size": len(data)}


def _pdf_value(value: Any) -> generic.PdfObject:
    if isinstance(value, Mapping):
        return generic.DictionaryObject({generic.NameObject(k): _pdf_value(v) for k, v in value.items()})
    if isinstance(value, list):
        return generic.ArrayObject([_pdf_value(v) for v in value])
    if isinstance(value, bytes):
        return generic.StreamObject(stream_data=value)
    if isinstance(value, str) and value.startswith("/"):
        return generic.NameObject(value)
    return generic.TextStringObject(str(value))


def pdf_with_catalog(entries: Mapping[str, Any], text: str = "添付資料の本文") -> bytes:
    """A real PDF whose catalogue gains ``entries`` in an incremental update (pyHanko's writer).

    Dicts become PDF dictionaries written as separate objects, ``"/Name"`` strings names, bytes
    streams: ``pdf_with_catalog({"/OpenAction": {"/S": "/JavaScript", "/JS": "app.alert(1)"}})``.
    """
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes(text)))
    for key, value in entries.items():
        made = _pdf_value(value)
        writer.root[generic.NameObject(key)] = writer.add_object(made) if isinstance(value, Mapping) else made
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bytes(entries: Mapping[str, bytes], *, first: Mapping[str, bytes] | None = None) -> bytes:
    """A real ZIP archive (deflated) of ``first`` then ``entries``; an Office file needs ``[Content_Types].xml``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in {**(first or {}), **entries}.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes(extra: Mapping[str, bytes] | None = None) -> bytes:
    """A minimal Word file (.docx, OOXML) with ``extra`` entries added."""
    parts = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    return zip_bytes({**parts, **(extra or {})})


def inflating_docx(inflated_bytes: int) -> bytes:
    """A real .docx whose one part inflates to ``inflated_bytes`` of zeros (a compression bomb)."""
    buffer = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            left = inflated_bytes
            while left > 0:
                part.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
    return buffer.getvalue()
