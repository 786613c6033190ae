"""Invoices to payment orders (請求書の取込): matched, drafted as one unit, refused with their reasons."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest
from django.core.management import call_command

from cityhall.automation.einvoice.samples import Item, jp_pint_xml
from cityhall.automation.models import ImportedInvoice, InvoiceImport
from cityhall.automation.services.defaults import supplier_default_set
from cityhall.automation.services.imports import InvoiceFile, import_invoices, read_original
from cityhall.core.audit.models import AuditEntry
from cityhall.core.bulk import insert_rows
from cityhall.documents.models import Document
from cityhall.finance import services
from cityhall.finance.models import OrderKind, PaymentOrder
from cityhall.testing.engine import decide

pytestmark = pytest.mark.django_db

YAMADA = "T7000012050002"
ACCOUNT = "0001:001:1:1234567"


def _invoice(number: str, *items: Item, **kw) -> InvoiceFile:
    data = jp_pint_xml(
        number=number,
        registration_number=kw.pop("registration_number", YAMADA),
        items=items or (Item("コピー用紙", 100_000),),
        payee_account=kw.pop("account", ACCOUNT),
        **kw,
    )
    return InvoiceFile(f"{number}.xml", data)


@pytest.fixture
def contract(budget, encumber):
    enc = encumber(amount=800_000, contract_number="R8-総-001", contract_date=dt.date.today())
    decide(enc)
    return enc


@pytest.fixture
def default_line(budget):
    return supplier_default_set(actor=budget.staff, creditor=budget.creditor, line=budget.line)


def test_an_invoice_naming_its_contract_becomes_a_linked_order(city, budget, contract, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = import_invoices(actor=city.drafter, files=[_invoice("A-1", order_reference="R8-総-001")])
    (outcome,) = report.outcomes
    assert outcome.accepted and outcome.reasons == [] and outcome.order_id is not None
    order = PaymentOrder.objects.get(pk=outcome.order_id)
    assert (order.kind, order.encumbrance_id, order.total_amount) == (OrderKind.LINKED, contract.pk, 110_000)
    row = ImportedInvoice.objects.get(order=order)
    assert (row.invoice_number, row.registration_number, row.payable, row.minutes_saved) == ("A-1", YAMADA, 110_000, 6)
    assert read_original(row, 100).startswith(b"<?xml")
    assert AuditEntry.objects.filter(action="automation.import.create", object_id=str(report.import_id)).exists()
    assert AuditEntry.objects.filter(action="finance.payment_order.create", object_id=str(order.pk)).exists()


def test_mixed_rates_on_the_default_line_make_one_line_per_rate(city, budget, default_line, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    file = _invoice("B-7", Item("トナー", 20_000, 10), Item("お茶", 3_000, 8))
    (outcome,) = import_invoices(actor=city.drafter, files=[file]).outcomes
    assert outcome.order_id is not None, outcome.reasons
    order = PaymentOrder.objects.get(pk=outcome.order_id)
    assert order.kind == OrderKind.COMBINED and order.line_id == budget.line.pk
    assert sorted(order.lines.values_list("tax_rate", "amount", "tax_amount")) == [(8, 3_240, 240), (10, 22_000, 2_000)]


def test_refusals_carry_their_reasons_and_do_not_block_the_others(city, budget, default_line, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    files = [
        _invoice("C-1"),
        _invoice("C-1"),  # the same invoice twice in one upload
        _invoice("C-2", payable_delta=1),  # a wrong total
        _invoice("C-3", registration_number="T1000000000001"),  # not in the creditor master
        _invoice("C-4", holder_name="ｽｽﾞｷﾀﾛｳ"),  # a holder name that differs from the master
        _invoice("C-5", account="0001:001:1:7654321"),  # an account the creditor does not have
        InvoiceFile("notes.xml", b"%PDF-1.7 not xml"),
    ]
    report = import_invoices(actor=city.drafter, files=files)
    accepted = [o.file.name for o in report.outcomes if o.accepted]
    assert accepted == ["C-1.xml"]
    fields = {o.file.name: [r.field for r in o.reasons] for o in report.outcomes if not o.accepted}
    assert fields["C-3.xml"] == ["registration_number"]
    assert fields["C-4.xml"] == ["payee_account"] and fields["C-5.xml"] == ["payee_account"]
    messages = {o.file.name: " ".join(r.message for r in o.reasons) for o in report.outcomes if not o.accepted}
    assert "口座名義が債権者マスタと異なります" in messages["C-4.xml"]
    assert messages["notes.xml"] and all(m for m in messages.values())
    assert PaymentOrder.objects.count() == 1
    assert ImportedInvoice.objects.filter(accepted=False).count() == len(files) - 1


def test_a_second_run_creates_no_duplicate_and_a_dry_run_writes_nothing(city, budget, default_line, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    files = [_invoice("D-1"), _invoice("D-2")]
    dry = import_invoices(actor=city.drafter, files=files, dry_run=True)
    assert [o.accepted for o in dry.outcomes] == [True, True] and dry.import_id is None
    assert not (PaymentOrder.objects.exists() or Document.objects.exists() or InvoiceImport.objects.exists())
    first = import_invoices(actor=city.drafter, files=files)
    again = import_invoices(actor=city.drafter, files=files)
    assert [o.accepted for o in again.outcomes] == [False, False]
    assert "以前の取込で受け付け済み" in again.outcomes[0].reasons[0].message
    # One supplier, one line, one payment date: one 支出負担行為兼支出命令 carries both invoices.
    order = PaymentOrder.objects.get()
    assert {o.order_id for o in first.outcomes} == {order.pk} and order.lines.count() == 2
    assert order.kind == OrderKind.COMBINED and order.total_amount == 220_000


def test_invoices_of_several_suppliers_on_one_line_make_one_collective_order(
    city, budget, default_line, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    other = services.creditor_create(
        actor=budget.staff,
        code="100003",
        name="株式会社ミドリ文具",
        kana="ミドリブング",
        address="東京都府中市",
        invoice_registration_number="T6000012050003",
        bank_account=services.BankAccountInput("0001", "001", "1", "7777777", "カ)ミドリブング"),
    ).creditor
    supplier_default_set(actor=budget.staff, creditor=other, line=budget.line)
    files = [_invoice("G-1"), _invoice("G-2", registration_number="T6000012050003", account="0001:001:1:7777777")]
    report = import_invoices(actor=city.drafter, files=files)
    order = PaymentOrder.objects.get()
    assert [o.order_id for o in report.outcomes] == [order.pk, order.pk]
    assert order.kind == OrderKind.COLLECTIVE and order.document.title.startswith("請求書2件の支払について")
    assert sorted(order.lines.values_list("creditor__name", flat=True)) == ["株式会社ミドリ文具", "株式会社ヤマダ商事"]


def test_an_order_the_budget_refuses_is_reported_with_the_hard_stop(city, budget, default_line, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    files = [_invoice("E-1", Item("備品", 3_000_000)), _invoice("E-2")]
    report = import_invoices(actor=city.drafter, files=files)
    assert [o.accepted for o in report.outcomes] == [False, True]
    assert "予算残額が不足しています" in report.outcomes[0].reasons[0].message
    # Packed while drafting with both files, then again without the one drafting refused.
    assert report.import_id is not None
    archive = InvoiceImport.objects.get(pk=report.import_id).archive
    with archive.open("rb") as handle, zipfile.ZipFile(handle) as packed:
        assert packed.namelist() == ["000002.xml"]


def test_the_command_reads_a_folder_and_writes_the_report(city, budget, default_line, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = tmp_path / "in"
    folder.mkdir()
    for file in (_invoice("F-1"), _invoice("F-2", payable_delta=-5)):
        (folder / file.name).write_bytes(file.data)
    out = tmp_path / "report.json"
    call_command("import_invoices", str(folder), "--user", city.drafter.username, "--report", str(out))
    report = json.loads(out.read_text(encoding="utf-8"))
    first, second = report["invoices"]
    assert set(first) == {"file", "invoice_number", "registration_number", "payable", "accepted", "reasons", "order"}
    assert (first["accepted"], second["accepted"], first["payable"]) == (True, False, 110_000)
    assert isinstance(first["order"], int) and second["order"] is None and second["reasons"][0]["message"]


def test_rows_inserted_in_bulk_read_back_as_bulk_create_stores_them(city):
    run = InvoiceImport.objects.create(created_by=city.drafter, source="command")
    values = {"file_name": "請求書.xml", "file_sha256": "0" * 64, "payable": None, "kind": "csv"}
    reasons = [{"field": "payee_account", "message": "口座名義が債権者マスタと異なります。"}]
    insert_rows(ImportedInvoice, [{"invoice_import_id": run.pk, "position": 1, "reasons": reasons, **values}])
    ImportedInvoice.objects.bulk_create([ImportedInvoice(invoice_import=run, position=2, reasons=reasons, **values)])
    fast, usual = (ImportedInvoice.objects.filter(invoice_import=run, position=n).values().get() for n in (1, 2))
    assert {**fast, "id": None, "position": None} == {**usual, "id": None, "position": None}
    with pytest.raises(TypeError, match="no field 'order'"):
        insert_rows(ImportedInvoice, [{"order": None}])
