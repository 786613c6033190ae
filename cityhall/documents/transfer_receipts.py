"""Receipts in the transfer package (移管パッケージの収受文書): with their record, or as records of their own.

A receipt answered by a transferred record travels in that record's folder (``receipts/NN_<name>``,
its 収受簿 row in the record's ``metadata.json``). A receipt closed on its own (``receipt_closing``)
and selected for transfer is a record of its own in the package: ``records/<folder>/metadata.json``
with its 収受簿 fields, file-plan class, retention and 閲 stamps, and its files under
``records/<folder>/receipts/``; ``<folder>`` is ``2026-0101-R00012`` (R for 収受番号).
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from typing import Any

from django.db.models import QuerySet

from cityhall.documents._package_files import copy_checked, iso
from cityhall.documents.export import file_part
from cityhall.documents.models import Disposition, Document, Receipt, ReceiptFile


def receipt_folder(receipt: Receipt) -> str:
    """The ASCII folder of a receipt transferred on its own: ``2026-0101-R00012``."""
    return f"{receipt.fiscal_year}-{receipt.section.code}-R{receipt.number:05d}"


def copy_receipt_files(
    rows: QuerySet[ReceiptFile], archive: zipfile.ZipFile, files: Any, folder: str
) -> list[dict[str, Any]]:
    """Copy receipts' files into ``records/<folder>/receipts/``, checked against their SHA-256 like attachments."""
    listed: list[dict[str, Any]] = []
    rows = rows.select_related("receipt").order_by("receipt__fiscal_year", "receipt__number", "uploaded_at", "pk")
    for i, row in enumerate(rows, start=1):
        name = f"receipts/{i:02d}_{file_part(row.name)}"
        mismatch = f"収受文書 {row.receipt.number_label} のファイル「{row.name}」が登録時と一致しません。"
        size, digest = copy_checked(row.file, row.sha256, archive, files, folder, name, mismatch)
        listed.append(
            {
                "path": f"records/{folder}/{name}",
                "kind": "receipt",
                "receipt": row.receipt.number_label,
                "name": row.name,
                "content_type": row.content_type,
                "size": size,
                "sha256": digest,
            }
        )
    return listed


def receipt_row(receipt: Receipt) -> dict[str, Any]:
    """A receipt's 収受簿 row as the package holds it."""
    return {
        "number": receipt.number_label,
        "received_on": iso(receipt.received_on),
        "channel": receipt.channel,
        "sender": receipt.sender,
        "sender_number": receipt.sender_number,
        "title": receipt.title,
        "application_number": receipt.application_number,
        "personal_info": receipt.has_personal_info,
    }


def answered_receipts(document: Document) -> list[dict[str, Any]]:
    """The 収受簿 rows of the receipts the record answered (編てつされた収受文書)."""
    return [receipt_row(r) for r in Receipt.objects.filter(answered_by=document).order_by("fiscal_year", "number")]


def _metadata(receipt: Receipt, listing: Document, day: dt.date) -> dict[str, Any]:
    plan = receipt.file_plan_class
    readers = receipt.readers.order_by("position", "pk")
    return {
        "kind": "receipt",
        "id": receipt.pk,
        **receipt_row(receipt),
        "addressee": receipt.addressee,
        "procedure": receipt.procedure,
        "section": {"code": receipt.section.code, "name": receipt.section.name},
        "readers": [{"post": r.post_name, "seen_on": iso(r.seen_at)} for r in readers],
        "file_plan_class": {"code": plan.code, "name": plan.name} if plan is not None else None,
        "closed_on": iso(receipt.closed_on),
        "retention": receipt.get_retention_years_display() if receipt.retention_years is not None else None,
        "expires_on": iso(receipt.expires_on),
        "disposition": Disposition.TRANSFERRED.value,
        "transferred_on": day.isoformat(),
        "disposal_list": listing.number_label,
    }


def write_closed_receipts(
    receipt_ids: tuple[int, ...], listing: Document, archive: zipfile.ZipFile, files: Any, day: dt.date
) -> list[dict[str, Any]]:
    """Each receipt closed on its own into its folder of ``records/``; the manifest's entries."""
    rows = Receipt.objects.filter(pk__in=list(receipt_ids)).select_related("section", "file_plan_class")
    entries = []
    for receipt in rows.order_by("section__code", "fiscal_year", "number"):
        folder = receipt_folder(receipt)
        listed = copy_receipt_files(ReceiptFile.objects.filter(receipt=receipt), archive, files, folder)
        metadata = {**_metadata(receipt, listing, day), "files": listed}
        archive.writestr(f"records/{folder}/metadata.json", json.dumps(metadata, ensure_ascii=False, indent=2))
        entries.append({"folder": folder, "number": receipt.number_label, "kind": "receipt", "files": listed})
    return entries
