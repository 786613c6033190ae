"""Export of decided records for transfer to archives and audits (文書管理簿・原議の書き出し).

``export_records`` writes every decided record (決裁済・完結) of a fiscal year,
optionally of one section, to a directory:

* ``<folder>/signed.pdf``: the signed approval sheet (署名済みPDF); when the
  stored one is missing it is generated and signed now, synchronously;
* ``<folder>/attachments/NN_<name>``: the attachments, numbered in upload order;
* ``register.csv``: the document register (文書管理簿), one row per record,
  UTF-8 with BOM and CRLF line endings so that Excel opens it as is, Japanese
  headers, dates in ISO 8601 (YYYY-MM-DD: unambiguous, sortable and read as
  dates by Excel; the 和暦 appears on the signed sheet itself), and the SHA-256
  of every file written;
* ``files.csv``: one row per file written (folder, file, size, SHA-256).

``<folder>`` is ``<fiscal year>-<section code>-<number>`` (plus ``-<sub-number>``)
in ASCII, so the tree survives any archive tool; the register gives the
document number (e.g. 「緑総第12号」) for each folder. Paper records (紙決裁)
have no signed PDF; their row names the place the paper original is kept.
One audit entry (action ``documents.export``) records the act.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from cityhall.core.audit import record
from cityhall.core.errors import ValidationFailed
from cityhall.core.exports import SafeCsvWriter
from cityhall.documents.models import DECIDED_STATUSES, Document, FilePlanClass, Medium
from cityhall.documents.sheet import sign_decided_document
from cityhall.org.models import OrgUnit

REGISTER_HEADERS = (
    "年度",
    "文書番号",
    "件名",
    "大分類",
    "中分類",
    "小分類",
    "課",
    "起案者",
    "起案日",
    "決裁日",
    "施行日",
    "完結日",
    "決裁区分",
    "決裁者",
    "代決",
    "保存期間",
    "保存期間満了日",
    "満了時の措置",
    "媒体",
    "保管場所",
    "秘",
    "個人情報",
    "状態",
    "廃棄・移管",
    "フォルダ",
    "署名済みPDF",
    "署名済みPDFのSHA-256",
    "添付ファイル",
    "添付ファイルのSHA-256",
)
FILES_HEADERS = ("フォルダ", "ファイル", "サイズ", "SHA-256")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass
class ExportResult:
    """What an export wrote (書き出し結果)."""

    output: Path
    records: int = 0
    files: int = 0
    signed_now: list[int] = field(default_factory=list)
    mismatched: list[int] = field(default_factory=list)


def folder_name(document: Document) -> str:
    """The ASCII folder of a record: ``2026-0101-00012`` (``-02`` for a sub-number)."""
    base = f"{document.fiscal_year}-{document.section.code}-{document.number:05d}"
    return f"{base}-{document.sub_number:02d}" if document.sub_number else base


def file_part(name: str) -> str:
    """A stored file's name made safe as part of a path in any archive tool (reserved characters become ``_``)."""
    return _UNSAFE.sub("_", name)


def _iso(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return str(value.isoformat())


def _plan_levels(plan: FilePlanClass | None) -> list[str]:
    names: list[str] = []
    while plan is not None:
        names.insert(0, plan.name)
        plan = plan.parent
    return [*names, "", "", ""][:3]


def _write(path: Path, data: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def _records(fiscal_year: int, section: OrgUnit | None) -> Iterable[Document]:
    rows = Document.objects.filter(fiscal_year=fiscal_year, status__in=DECIDED_STATUSES)
    if section is not None:
        rows = rows.filter(section=section)
    return rows.select_related(
        "section__municipality", "drafter", "decided_by", "file_plan_class__parent__parent", "matter_kind"
    ).order_by("section__code", "number", "sub_number")


def _signed_pdf(document: Document, result: ExportResult) -> bytes | None:
    if document.medium == Medium.PAPER:
        return None
    if not document.signed_pdf and sign_decided_document(document.pk):
        result.signed_now.append(document.pk)
        document.refresh_from_db(fields=["signed_pdf", "signed_pdf_sha256"])
    if not document.signed_pdf:
        return None
    with document.signed_pdf.open("rb") as handle:
        return bytes(handle.read())


def register_row(
    document: Document, folder: str, pdf_name: str, pdf_sha: str, names: list[str], hashes: list[str]
) -> list[str]:
    """One row of ``register.csv`` (文書管理簿) for a record and the files written for it (``REGISTER_HEADERS``)."""
    major, middle, minor = _plan_levels(document.file_plan_class)
    return [
        str(document.fiscal_year),
        document.number_label,
        document.title,
        major,
        middle,
        minor,
        document.section.name,
        document.drafter.full_name,
        _iso(document.drafted_on),
        _iso(document.decided_at),
        _iso(document.issued_on),
        _iso(document.closed_on),
        document.decision_label,
        document.decided_by.full_name if document.decided_by else "",
        "代決" if document.decided_by_proxy else "",
        document.get_retention_years_display(),
        _iso(document.expires_on),
        document.get_expiry_action_display(),
        document.get_medium_display(),
        document.location,
        "秘" if document.is_confidential else "",
        "あり" if document.has_personal_info else "なし",
        document.get_status_display(),
        f"{document.get_disposition_display()} {_iso(document.disposed_on)}".strip() if document.disposition else "",
        folder,
        pdf_name,
        pdf_sha,
        "; ".join(names),
        "; ".join(hashes),
    ]


def _export_one(document: Document, out: Path, files: Any, result: ExportResult) -> list[str]:
    folder = folder_name(document)
    pdf_name = pdf_sha = ""
    data = _signed_pdf(document, result)
    if data is not None:
        pdf_name = f"{folder}/signed.pdf"
        pdf_sha = _write(out / pdf_name, data)
        if document.signed_pdf_sha256 and pdf_sha != document.signed_pdf_sha256:
            result.mismatched.append(document.pk)
        files.writerow([folder, "signed.pdf", len(data), pdf_sha])
        result.files += 1
    names, hashes = [], []
    for i, attachment in enumerate(document.attachments.order_by("uploaded_at", "pk"), start=1):
        with attachment.file.open("rb") as handle:
            blob = bytes(handle.read())
        name = f"attachments/{i:02d}_{file_part(attachment.name)}"
        digest = _write(out / folder / name, blob)
        if digest != attachment.sha256:
            result.mismatched.append(document.pk)
        files.writerow([folder, name, len(blob), digest])
        names.append(name)
        hashes.append(digest)
        result.files += 1
    return register_row(document, folder, pdf_name, pdf_sha, names, hashes)


def export_records(
    *, actor: Any, fiscal_year: int, output: Path | str, section_code: str | None = None
) -> ExportResult:
    """Write the decided records of a fiscal year with their files and the register CSV (文書管理簿の書き出し).

    ``actor`` is the user or a label (e.g. ``"manage.py export_records"``) for the audit entry.
    """
    section = None
    if section_code:
        section = OrgUnit.objects.filter(code=section_code).first()
        if section is None:
            raise ValidationFailed(f"課コード {section_code} の課が見つかりません。", field="section")
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    result = ExportResult(output=out)
    with (
        (out / "register.csv").open("w", encoding="utf-8-sig", newline="") as reg_file,
        (out / "files.csv").open("w", encoding="utf-8-sig", newline="") as files_file,
    ):
        register = SafeCsvWriter(reg_file, lineterminator="\r\n")
        files = SafeCsvWriter(files_file, lineterminator="\r\n")
        register.writerow(REGISTER_HEADERS)
        files.writerow(FILES_HEADERS)
        for document in _records(fiscal_year, section):
            register.writerow(_export_one(document, out, files, result))
            result.records += 1
    register_sha = hashlib.sha256((out / "register.csv").read_bytes()).hexdigest()
    with transaction.atomic(durable=True):
        record(
            actor=actor,
            action="documents.export",
            object_type="documents",
            after={
                "fiscal_year": fiscal_year,
                "section": section_code or "",
                "records": result.records,
                "files": result.files,
                "signed_now": result.signed_now,
                "mismatched": result.mismatched,
                "register_sha256": register_sha,
                "output": str(out.resolve()),
            },
        )
    return result
