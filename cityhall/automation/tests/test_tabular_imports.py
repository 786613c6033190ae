"""Supplier CSV (Shift_JIS) and Excel invoices imported with the supplier's stored layout (読み取り形式)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from cityhall.automation.models import ImportedInvoice, InvoiceKind, SupplierMapping
from cityhall.automation.services.defaults import supplier_default_set, supplier_mapping_set
from cityhall.automation.services.imports import InvoiceFile, import_invoices, read_original
from cityhall.core.errors import ValidationFailed
from cityhall.finance.models import PaymentOrder
from cityhall.testing.finance import make_demo_creditor
from cityhall.testing.web import client_for

pytestmark = pytest.mark.django_db

LAYOUT = {
    "invoice_number": "請求書番号",
    "issue_date": "請求日",
    "description": "品名",
    "net_amount": "金額",
    "tax_rate": "税率",
    "payee_account": "振込先",
    "group_by_invoice_number": True,
}
HEADER: list[object] = ["請求書番号", "請求日", "品名", "金額", "税率", "振込先"]


def _rows(day: dt.date) -> list[list[object]]:
    issued = f"{day:%Y/%m/%d}"
    return [
        HEADER,
        ["K-1", issued, "電気料金（基本）", "１０，０００", "10%", "0001:001:1:1234567"],
        ["K-1", issued, "再エネ賦課金", "2000", "10", "0001:001:1:1234567"],
        ["K-2", issued, "水道料金", "3,000", "8", "0001:001:1:1234567"],
        ["K-3", issued, "ガス料金", "12a0", "10", "0001:001:1:1234567"],
    ]


def _csv(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("cp932")


@pytest.fixture
def layout(budget):
    supplier_default_set(actor=budget.staff, creditor=budget.creditor, line=budget.line)
    return supplier_mapping_set(actor=budget.staff, creditor=budget.creditor, mapping=LAYOUT)


def test_a_shift_jis_csv_gives_one_order_and_names_the_bad_row(city, budget, layout, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    day = dt.date.today() - dt.timedelta(days=1)
    file = InvoiceFile("請求_11月.csv", _csv(_rows(day)))
    report = import_invoices(actor=city.drafter, files=[file], mapping=layout)
    assert [(o.invoice.invoice_number if o.invoice else None, o.accepted) for o in report.outcomes] == [
        ("K-1", True),
        ("K-2", True),
        (None, False),
    ]
    assert "「金額」" in report.outcomes[2].reasons[0].message and "5行目" in report.outcomes[2].reasons[0].message
    order = PaymentOrder.objects.get()  # one supplier, one line, one date: one 兼 order for both invoices
    assert order.total_amount == 13_200 + 3_240
    rows = ImportedInvoice.objects.filter(accepted=True)
    assert {r.kind for r in rows} == {InvoiceKind.CSV} and {r.minutes_saved for r in rows} == {4}
    assert read_original(rows[0], 10_000) == file.data  # the file itself, kept once
    shown = client_for(city.drafter).get(reverse("automation:original", args=[rows[0].pk])).content.decode()
    assert "K-1," in shown and "電気料金（基本）" in shown  # Shift_JIS shown as the text it is


def test_an_excel_file_reads_the_same_and_a_csv_without_a_layout_is_refused(city, budget, layout, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    book = Workbook()
    for row in _rows(dt.date.today() - dt.timedelta(days=1))[:3]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    report = import_invoices(actor=city.drafter, files=[InvoiceFile("請求.xlsx", out.getvalue())], mapping=layout)
    assert [o.accepted for o in report.outcomes] == [True]
    kept = ImportedInvoice.objects.get(accepted=True)
    shown = client_for(city.drafter).get(reverse("automation:original", args=[kept.pk])).content.decode()
    assert "K-1\t" in shown and "電気料金（基本）" in shown  # the sheet's cells, not the zip's bytes
    unmapped = import_invoices(actor=city.drafter, files=[InvoiceFile("b.csv", b"a,b\r\n1,2\r\n")], dry_run=True)
    assert unmapped.outcomes[0].reasons[0].field == "supplier"  # no 登録番号 of a supplier with a layout in it


def test_a_layout_that_cannot_be_used_is_refused_and_the_command_takes_a_supplier(
    city, budget, layout, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises(ValidationFailed):
        supplier_mapping_set(actor=budget.staff, creditor=budget.creditor, mapping={"invoice_number": "番号"})
    assert SupplierMapping.objects.get().mapping["net_amount"] == "金額"
    path = tmp_path / "in.csv"
    path.write_bytes(_csv(_rows(dt.date.today() - dt.timedelta(days=1))[:2]))
    out = tmp_path / "r.json"
    call_command(
        "import_invoices", str(path), "--user", city.drafter.username, "--supplier", budget.creditor.code,
        "--report", str(out), "--dry-run", stdout=io.StringIO(),
    )  # fmt: skip
    invoices = json.loads(out.read_text(encoding="utf-8"))["invoices"]
    assert [i["accepted"] for i in invoices] == [True], invoices[0]["reasons"]
    assert not PaymentOrder.objects.exists()


def test_the_layout_screen_previews_a_sample_before_saving(city, budget):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from cityhall.testing.web import client_for

    staff = client_for(budget.staff)
    assert client_for(city.drafter).get(reverse("automation:layouts")).status_code == 404
    url = reverse("automation:layout_edit", args=[budget.creditor.pk])
    assert staff.get(url).status_code == 200
    columns = {
        "invoice_number": "請求書番号",
        "issue_date": "請求日",
        "net_amount": "金額",
        "tax_rate": "税率",
        "payee_account": "振込先",
        "description": "品名",
        "header_row": "1",
        "group_by_invoice_number": "on",
    }
    sample = SimpleUploadedFile("見本.csv", _csv(_rows(dt.date.today() - dt.timedelta(days=1))))
    page = staff.post(url, columns | {"preview": "1", "sample": sample}).content.decode()
    assert "電気料金（基本）" in page and "K-1" in page and "13,200円" in page and "「金額」" in page
    assert not SupplierMapping.objects.exists()
    bad = staff.post(url, columns | {"net_amount": "", "save": "1"})
    assert bad.status_code == 400 and not SupplierMapping.objects.exists()
    assert staff.post(url, columns | {"save": "1"}).status_code == 302
    assert SupplierMapping.objects.get(creditor=budget.creditor).mapping["group_by_invoice_number"] is True


def test_a_mixed_upload_reads_each_file_with_the_layout_of_the_supplier_it_names(
    city, budget, layout, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    printer = make_demo_creditor(budget, "D0014")  # 株式会社みどり野印刷
    account = printer.bank_accounts.get()
    supplier_default_set(actor=budget.staff, creditor=printer, line=budget.line)
    printed = {"invoice_number": "伝票番号", "issue_date": "発行日", "gross_amount": "税込金額", "header_row": 3}
    supplier_mapping_set(actor=budget.staff, creditor=printer, mapping=printed | {"payee_account": "振込先"})
    day = dt.date.today() - dt.timedelta(days=1)
    book = Workbook()
    book.active.append([f"請求明細書　株式会社みどり野印刷　登録番号：{printer.invoice_registration_number}"])
    book.active.append([])
    book.active.append(["伝票番号", "発行日", "税込金額", "振込先"])
    book.active.append(["P-1", day, 55_000, f"{account.bank_code}:{account.branch_code}:1:{account.account_number}"])
    out = io.BytesIO()
    book.save(out)
    yamada = budget.creditor.invoice_registration_number
    named = [[*row, "登録番号" if n == 0 else yamada] for n, row in enumerate(_rows(day)[:3])]
    both: list[list[object]] = [[f"{yamada} {printer.invoice_registration_number}"], *_rows(day)[:2]]
    files = [
        InvoiceFile("yamada.csv", _csv(named)),
        InvoiceFile("printer.xlsx", out.getvalue()),
        InvoiceFile("nobody.csv", _csv(_rows(day)[:2])),
        InvoiceFile("both.csv", _csv(both)),
    ]
    report = import_invoices(actor=city.drafter, files=files, dry_run=True)  # no layout chosen
    accepted = [(o.file.name, o.invoice.invoice_number, o.match.creditor) for o in report.outcomes if o.accepted]  # type: ignore[union-attr]
    assert accepted == [("yamada.csv", "K-1", budget.creditor), ("printer.xlsx", "P-1", printer)]
    refused = {o.file.name: o.reasons[0] for o in report.outcomes if not o.accepted}
    assert set(refused) == {"nobody.csv", "both.csv"} and {r.field for r in refused.values()} == {"supplier"}
    assert "株式会社ヤマダ商事" in refused["both.csv"].message and "株式会社みどり野印刷" in refused["both.csv"].message
