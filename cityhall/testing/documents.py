"""Drafts and attachments for the documents tests (起案と添付ファイル)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from fpdf import FPDF

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
