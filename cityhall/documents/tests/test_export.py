"""Export of decided records (文書管理簿・原議の書き出し): files, register CSV, signatures, audit."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cityhall.core.audit.models import AuditEntry
from cityhall.documents import services
from cityhall.documents.export import REGISTER_HEADERS, export_records, folder_name
from cityhall.documents.sheet import sign_decided_document
from cityhall.signing.verify import verify_pdf
from cityhall.testing.documents import pdf_bytes, upload


@pytest.fixture
def decided(city, draft):
    def make(title: str, attach: bytes | None = None):
        doc = draft(title=title)
        if attach is not None:
            services.attachment_add(
                actor=city.drafter, document=doc, expected_version=doc.version, **upload("資料.pdf", attach)
            )
            doc.refresh_from_db()
        doc = services.submit(actor=city.drafter, document=doc, expected_version=doc.version)
        doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
        return services.approve(actor=city.kacho, document=doc, expected_version=doc.version)

    return make


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def test_export_writes_signed_pdfs_attachments_and_an_excel_ready_register(city, decided, city_signing, tmp_path):
    attachment = pdf_bytes("添付の資料")
    first = decided("庁舎の清掃委託について", attach=attachment)
    assert sign_decided_document(first.pk)  # signed by the worker earlier
    second = decided("会議室の利用について")  # not yet signed: the export signs it
    services.draft_create(actor=city.drafter, title="起案中の文書", matter_kind=city.kinds["general"])
    paper = services.paper_decision_register(
        actor=city.kacho,
        title="紙で決裁した契約",
        matter_kind=city.kinds["general"],
        paper_reason="システム導入前",
        decided_on=timezone.localdate(),
        decided_by=city.kacho,
        file_plan_class=city.plan,
        location="総務課書庫 A-3",
    )
    out = tmp_path / "export"
    call_command("export_records", "--fiscal-year", str(first.fiscal_year), "--output", str(out), stdout=io.StringIO())

    raw = (out / "register.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == 4 and raw.count(b"\n") == 4  # header + 3 records, CRLF only
    rows = _rows(out / "register.csv")
    assert tuple(rows[0]) == REGISTER_HEADERS
    by_number = {r["文書番号"]: r for r in rows}
    assert set(by_number) == {first.number_label, second.number_label, paper.number_label}
    row = by_number[first.number_label]
    assert row["件名"] == "庁舎の清掃委託について"
    assert (row["大分類"], row["中分類"], row["小分類"]) == ("総務", "文書", "文書管理")
    assert row["決裁日"] == timezone.localdate().isoformat()
    assert row["媒体"] == "電子" and row["決裁区分"] == "課長専決"

    for doc in (first, second):
        r = by_number[doc.number_label]
        pdf = (out / r["署名済みPDF"]).read_bytes()
        assert r["署名済みPDF"] == f"{folder_name(doc)}/signed.pdf"
        assert hashlib.sha256(pdf).hexdigest() == r["署名済みPDFのSHA-256"]
        report = verify_pdf(pdf)
        assert report.signed and report.intact, report.message
    attached = out / folder_name(first) / "attachments" / "01_資料.pdf"
    assert attached.read_bytes() == attachment
    assert row["添付ファイルのSHA-256"] == hashlib.sha256(attachment).hexdigest()
    assert by_number[paper.number_label]["署名済みPDF"] == ""
    assert by_number[paper.number_label]["保管場所"] == "総務課書庫 A-3"

    files = _rows(out / "files.csv")
    assert len(files) == 3  # two signed PDFs and one attachment
    entry = AuditEntry.objects.get(action="documents.export")
    after = json.loads(entry.after)
    assert (after["records"], after["files"], after["signed_now"]) == (3, 3, [second.pk])
    assert after["register_sha256"] == hashlib.sha256(raw).hexdigest()


def test_export_by_section_and_unknown_section(city, decided, city_signing, tmp_path):
    doc = decided("財政課には無い文書")
    call_command(
        "export_records",
        "--fiscal-year",
        str(doc.fiscal_year),
        "--section",
        city.units.zaisei.code,
        "--output",
        str(tmp_path / "zaisei"),
        stdout=io.StringIO(),
    )
    assert len(_rows(tmp_path / "zaisei" / "register.csv")) == 0
    with pytest.raises(CommandError, match="課コード"):
        call_command("export_records", "--fiscal-year", "2026", "--section", "9999", "--output", str(tmp_path / "x"))
    assert AuditEntry.objects.filter(action="documents.export").count() == 1
    doc.refresh_from_db()
    assert doc.status == "decided"


def test_a_title_that_starts_a_formula_is_text_in_the_register(city, decided, city_signing, tmp_path):
    title = '=HYPERLINK("http://example.com","開く")'
    doc = decided(title)
    export_records(actor="test", fiscal_year=doc.fiscal_year, output=tmp_path)
    with (tmp_path / "register.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert "'" + title in rows[1] and title not in rows[1]
