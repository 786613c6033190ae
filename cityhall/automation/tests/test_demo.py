"""The demo city's invoice folder: the browser journey's upload gives three orders and two refusals."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from cityhall.accounts.models import User
from cityhall.automation.models import SupplierDefault
from cityhall.automation.services.imports import InvoiceFile, import_invoices
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
    assert SupplierDefault.objects.count() == 3
    folder = Path(tmp_path) / "demo-invoices"
    files = [InvoiceFile(p.name, p.read_bytes()) for p in sorted(folder.iterdir())]
    drafter = User.objects.get(username="demo-drafter")
    report = import_invoices(actor=drafter, files=files, on=TODAY, dry_run=True)
    refused = {o.file.name: o.reasons[0].field for o in report.outcomes if not o.accepted}
    assert (report.accepted, refused) == (
        3,
        {"INV-2026-0101_再送.xml": "invoice_number", "INV-2026-0104.xml": "payable_amount"},
    )
    assert apps.get_app_config("automation").seed_demo({"today": TODAY}) == summary  # type: ignore[attr-defined]
