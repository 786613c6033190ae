"""The demo city's invoices: the folder the browser journey uploads, its layouts, the month of recurring payments."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from freezegun import freeze_time

from cityhall.automation.demo import CSV_FILE, DUPLICATE, EXCEL_FILE, WRONG_TOTAL
from cityhall.automation.models import ImportedInvoice, InvoiceImport, InvoiceKind, SupplierDefault, SupplierMapping
from cityhall.finance.models import PaymentOrder
from cityhall.testing.plugin import sqlite_only

pytestmark = [pytest.mark.django_db, sqlite_only]

TODAY = dt.date(2026, 11, 26)


def test_the_demo_folder_imports_as_the_journey_says(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--staff", "150", "--today", TODAY.isoformat(), "--skip-apps", stdout=io.StringIO())
    apps.get_app_config("finance").seed_demo({"staff": 150, "today": TODAY})  # type: ignore[attr-defined]
    summary = apps.get_app_config("automation").seed_demo({"today": TODAY})  # type: ignore[attr-defined]
    assert summary.startswith("請求書取込"), summary
    assert (SupplierDefault.objects.count(), SupplierMapping.objects.count()) == (5, 2)
    monthly = ImportedInvoice.objects.filter(kind=InvoiceKind.TEMPLATE, accepted=True)
    assert sorted(p or 0 for p in monthly.values_list("payable", flat=True)) == [
        21_720,
        27_500,
        132_000,
    ]  # gas: 3,300 + 18,420

    # The whole folder, no layout chosen: the CSV and the Excel sheet are read with their suppliers' layouts.
    out = tmp_path / "report.json"
    with freeze_time("2026-11-26 03:00:00"):  # noon in Japan, the day the demo was seeded for
        call_command(
            "import_invoices", str(tmp_path / "demo-invoices"), "--user", "demo-drafter", "--dry-run",
            "--report", str(out), stdout=io.StringIO(),
        )  # fmt: skip
    invoices = json.loads(out.read_text(encoding="utf-8"))["invoices"]
    accepted = sorted((Path(i["file"]).name, i["invoice_number"]) for i in invoices if i["accepted"])
    assert accepted == [
        ("INV-2026-0101.xml", "INV-2026-0101"),
        ("INV-2026-0102.xml", "INV-2026-0102"),
        ("INV-2026-0103.xml", "INV-2026-0103"),
        (EXCEL_FILE, "MP-1101"),
        (EXCEL_FILE, "MP-1102"),
        (CSV_FILE, "MT-2611-0001"),
        (CSV_FILE, "MT-2611-0002"),
    ]
    refused = {Path(i["file"]).name: i["reasons"] for i in invoices if not i["accepted"]}
    assert refused == {
        DUPLICATE: [
            {
                "field": "invoice_number",
                "message": "同じ請求書（登録番号・請求書番号）が既に取り込まれています"
                "（T3011101000001・INV-2026-0101）。",
            }
        ],
        WRONG_TOTAL: [
            {
                "field": "payable_amount",
                "message": "請求額（PayableAmount）は税込合計額 − 支払済額 + 端数調整額 = 19,800円 のはずが、"
                "19,900円 です。",
            }
        ],
    }

    # Seeding again writes nothing twice.
    counts = (PaymentOrder.objects.count(), InvoiceImport.objects.count(), SupplierMapping.objects.count())
    assert apps.get_app_config("automation").seed_demo({"today": TODAY}) == summary  # type: ignore[attr-defined]
    assert (PaymentOrder.objects.count(), InvoiceImport.objects.count(), SupplierMapping.objects.count()) == counts
