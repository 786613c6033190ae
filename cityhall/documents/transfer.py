"""The transfer package (移管パッケージ) of a decided disposal list: its 歴史公文書 in one ZIP.

When a list is carried out (``services.disposal_carry_out``), the records selected for transfer
(移管) are written into one ZIP stored through Django's storage API (local disk or S3) beside the
list (``DisposalList.package``, with its SHA-256 and size). The layout, documented for the
archives in ``docs/transfer-package.md``::

    README.txt                          what the package is and how to check it (Japanese)
    manifest.json                       the list, the municipality and every record with its files
    register.csv                        the register rows (文書管理簿) of the records, as ``export_records`` writes them
    files.csv                           one row per file: folder, file, size, SHA-256
    records/<folder>/metadata.json      the record's register fields and files
    records/<folder>/signed.pdf         the signed approval sheet (署名済みPDF); none for a paper original
    records/<folder>/attachments/NN_<name>   the attachments, numbered in upload order
    records/<folder>/receipts/NN_<name>      the files of the receipts the record answered (収受文書)
    records/<rfolder>/metadata.json     a receipt closed on its own (``transfer_receipts``), its files in receipts/

``<folder>`` is ``export.folder_name`` (``2026-0101-00012``). Text files are UTF-8 (CSV with BOM
and CRLF, for Excel), dates ISO 8601. A record whose signed sheet was never made (the worker was
late) is signed now, as ``export_records`` does; a stored file whose SHA-256 differs from the one
recorded when it was attached refuses the package (the archives must receive what was decided).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from cityhall.core.errors import ValidationFailed
from cityhall.documents._package_files import CHUNK, copy, copy_checked, iso
from cityhall.documents.export import REGISTER_HEADERS, file_part, folder_name, register_row
from cityhall.documents.models import Attachment, Disposition, Document, Medium, ReceiptFile
from cityhall.documents.sheet import sign_decided_document
from cityhall.documents.transfer_receipts import answered_receipts, copy_receipt_files, write_closed_receipts

PACKAGE_FORMAT = "cityhall-transfer/1"
FILES_HEADERS = ("フォルダ", "ファイル", "サイズ", "SHA-256")
README = """移管パッケージ（{list_number}）

{municipality}の廃棄・移管リスト「{list_title}」（{decided}決裁）により、
歴史公文書として移管する文書{count}件とそのファイルです。

  manifest.json      リスト・文書・ファイルの一覧（機械可読）
  register.csv       文書管理簿（文書ごとに1行、UTF-8 BOM付き）
  files.csv          ファイルごとのサイズとSHA-256
  records/<フォルダ>/metadata.json      文書の管理簿項目とファイル
  records/<フォルダ>/signed.pdf         電子署名付きの原議（紙の原議はなし、保管場所は管理簿に記載）
  records/<フォルダ>/attachments/       添付ファイル（登録順の番号付き）
  records/<フォルダ>/receipts/          この文書で回答した収受文書のファイル（収受番号順）
  records/<年度-課-R番号>/              単独で完結した収受文書（metadata.json と receipts/ のファイル）

各ファイルのSHA-256を files.csv と照合してください。署名済みPDFの電子署名は
PDF閲覧ソフトまたは manage.py verify_pdf で検証できます。
"""


@dataclass(frozen=True)
class Package:
    """A stored transfer package: its storage name, SHA-256, size and the records it holds."""

    name: str
    sha256: str
    size: int
    records: tuple[int, ...]
    receipts: tuple[int, ...] = ()


def _signed_pdf(document: Document) -> Any:
    """The record's signed sheet, made now when it is missing; None for a paper original (紙の原議)."""
    if document.medium == Medium.PAPER:
        return None
    if not document.signed_pdf:
        sign_decided_document(document.pk)
        document.refresh_from_db(fields=["signed_pdf", "signed_pdf_sha256"])
    return document.signed_pdf or None


def _record_files(
    document: Document, archive: zipfile.ZipFile, files: Any
) -> tuple[dict[str, Any], str, str, list[str], list[str]]:
    folder = folder_name(document)
    base = f"records/{folder}"
    listed: list[dict[str, Any]] = []
    pdf_name = pdf_sha = ""
    signed = _signed_pdf(document)
    if signed is not None:
        with signed.open("rb") as source:
            size, pdf_sha = copy(source, archive, f"{base}/signed.pdf")
        if document.signed_pdf_sha256 and pdf_sha != document.signed_pdf_sha256:
            raise ValidationFailed(f"{document.number_label} の署名済みPDFが記録されたハッシュと一致しません。")
        pdf_name = f"{folder}/signed.pdf"
        files.writerow([folder, "signed.pdf", size, pdf_sha])
        listed.append({"path": f"{base}/signed.pdf", "kind": "signed_pdf", "size": size, "sha256": pdf_sha})
    names, hashes = [], []
    attachments = Attachment.objects.filter(document=document).order_by("uploaded_at", "pk")
    for i, attachment in enumerate(attachments, start=1):
        name = f"attachments/{i:02d}_{file_part(attachment.name)}"
        mismatch = f"{document.number_label} の添付ファイル「{attachment.name}」が登録時と一致しません。"
        size, digest = copy_checked(attachment.file, attachment.sha256, archive, files, folder, name, mismatch)
        names.append(name)
        hashes.append(digest)
        listed.append(
            {
                "path": f"{base}/{name}",
                "kind": "attachment",
                "name": attachment.name,
                "content_type": attachment.content_type,
                "added_after_decision": attachment.added_after_decision,
                "size": size,
                "sha256": digest,
            }
        )
    listed += copy_receipt_files(ReceiptFile.objects.filter(receipt__answered_by=document), archive, files, folder)
    return {"folder": folder, "files": listed}, pdf_name, pdf_sha, names, hashes


def record_metadata(document: Document, listing: Document) -> dict[str, Any]:
    """The register fields of a transferred record (文書管理簿の項目), as ``metadata.json`` holds them."""
    plan = document.file_plan_class
    return {
        "id": document.pk,
        "number": document.number_label,
        "old_number": document.old_number,
        "fiscal_year": document.fiscal_year,
        "title": document.title,
        "file_plan_class": {"code": plan.code, "name": plan.name} if plan is not None else None,
        "section": {"code": document.section.code, "name": document.section.name},
        "drafter": document.drafter.full_name,
        "drafted_on": iso(document.drafted_on),
        "decided_on": iso(document.decided_at),
        "decision_label": document.decision_label,
        "decided_by": document.decided_by.full_name if document.decided_by else document.old_decider,
        "decided_by_proxy": document.decided_by_proxy,
        "issued_on": iso(document.issued_on),
        "closed_on": iso(document.closed_on),
        "retention": document.get_retention_years_display(),
        "expires_on": iso(document.expires_on),
        "medium": document.medium,
        "location": document.location,
        "confidential": document.is_confidential,
        "personal_info": document.has_personal_info,
        "body": document.body,
        "receipts": answered_receipts(document),
        "disposition": Disposition.TRANSFERRED.value,
        "transferred_on": iso(document.disposed_on),
        "disposal_list": listing.number_label,
    }


def _records(ids: Sequence[int]) -> list[Document]:
    rows = Document.objects.filter(pk__in=list(ids)).select_related(
        "section__municipality", "drafter", "decided_by", "file_plan_class__parent__parent", "matter_kind"
    )
    return list(rows.order_by("section__code", "fiscal_year", "number", "sub_number"))


def build_package(
    listing: Document, record_ids: Sequence[int], *, receipt_ids: Sequence[int] = (), day: dt.date
) -> Package:
    """Write the transfer package of ``record_ids`` and ``receipt_ids`` (移管する歴史公文書) to storage.

    ``receipt_ids`` are receipts closed on their own (``transfer_receipts``); returns what was stored.
    The records appear as they will be once transferred (移管済 on ``day``). Nothing is written to
    the database: the carry-out stores the package's name and hash in its transaction, and deletes
    the stored file when that transaction fails.
    """
    records = _records(record_ids)
    with tempfile.TemporaryFile(prefix="cityhall-transfer-") as spool:
        register_text, files_text = io.StringIO(), io.StringIO()
        register = csv.writer(register_text, lineterminator="\r\n")
        files = csv.writer(files_text, lineterminator="\r\n")
        register.writerow(REGISTER_HEADERS)
        files.writerow(FILES_HEADERS)
        manifest_records = []
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            for document in records:
                document.disposition, document.disposed_on = Disposition.TRANSFERRED, day
                entry, pdf_name, pdf_sha, names, hashes = _record_files(document, archive, files)
                metadata = {**record_metadata(document, listing), "files": entry["files"]}
                archive.writestr(
                    f"records/{entry['folder']}/metadata.json", json.dumps(metadata, ensure_ascii=False, indent=2)
                )
                register.writerow(register_row(document, entry["folder"], pdf_name, pdf_sha, names, hashes))
                manifest_records.append({"folder": entry["folder"], "number": document.number_label, **entry})
            manifest_records += write_closed_receipts(tuple(receipt_ids), listing, archive, files, day)
            municipality = listing.section.municipality
            manifest = {
                "format": PACKAGE_FORMAT,
                "created_at": timezone.localtime().isoformat(timespec="seconds"),
                "municipality": {"code": municipality.code, "name": municipality.name},
                "disposal_list": {
                    "id": listing.pk,
                    "number": listing.number_label,
                    "title": listing.title,
                    "decided_on": iso(listing.decided_at),
                    "decision_label": listing.decision_label,
                    "transferred_on": day.isoformat(),
                },
                "records": manifest_records,
            }
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
            archive.writestr("register.csv", "\ufeff" + register_text.getvalue())
            archive.writestr("files.csv", "\ufeff" + files_text.getvalue())
            decided = iso(listing.decided_at) or ""
            archive.writestr(
                "README.txt",
                README.format(
                    list_number=listing.number_label,
                    municipality=municipality.name,
                    list_title=listing.title,
                    decided=decided,
                    count=len(records) + len(receipt_ids),
                ),
            )
        spool.seek(0)
        digest, size = hashlib.sha256(), 0
        while chunk := spool.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
        spool.seek(0)
        target = f"documents/transfers/{listing.fiscal_year}-{listing.section.code}-{listing.number:05d}.zip"
        stored = default_storage.save(target, File(spool, name=target))
    return Package(
        name=stored,
        sha256=digest.hexdigest(),
        size=size,
        records=tuple(d.pk for d in records),
        receipts=tuple(receipt_ids),
    )
