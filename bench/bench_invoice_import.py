"""Benchmark: a year of JP PINT invoices imported as payment orders (請求書の取込), end to end.

Builds its own database (SQLite in a temporary directory, or, when DATABASE_URL points at
PostgreSQL, a dedicated database ``cityhall_bench_invoice_import``): the demo city's organisation,
its general-account budget and creditors (no documents). Fifty suppliers with registration numbers
get 企画政策課's 需用費 line as their default. Then ``--invoices`` JP PINT invoices (default 2,000;
a city's year is 40,000, ``--invoices 40000``) are generated in memory, not timed, and measured
in the same run:

- ``import_invoices`` as demo-drafter: parse, validate, match, budget check, draft each order with
  its document and audit entries, store the import: invoices per second and the peak memory of
  the process (``ru_maxrss``);
- the floor: parse and read the same files with the same safe reader and insert one bare row per
  invoice with ``bulk_create`` in one transaction.

Prints one JSON line with the ratio of the import to the floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._database import drop_database, prepare_database  # noqa: E402  (after the path is set)

BENCH_DB = "cityhall_bench_invoice_import"
SUPPLIERS = 50


def _setup(staff: int) -> tuple[Any, list[Any]]:
    """Migrate, seed the organisation, the finance demo's budget and creditors, and the suppliers' defaults."""
    from django.core.management import call_command
    from django.utils import timezone

    from cityhall.accounts.models import User
    from cityhall.automation.services.defaults import supplier_default_set
    from cityhall.documents.defaults import ensure_defaults
    from cityhall.finance.defaults import ensure_finance_defaults
    from cityhall.finance.demo import DEMO_CITY_CODE, _city
    from cityhall.finance.demo.budget import ensure_creditors, load_budget
    from cityhall.finance.models import Allotment, Creditor
    from cityhall.org.models import Municipality

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", staff=staff, skip_apps=True, verbosity=0, stdout=devnull)
    ensure_defaults(actor="bench")
    ensure_finance_defaults(actor="bench")
    demo = _city(Municipality.objects.get(code=DEMO_CITY_CODE), timezone.localdate())
    assert demo is not None
    load_budget(demo)
    ensure_creditors(demo)
    line = (
        Allotment.objects.filter(section__name="企画政策課", line__setsu__code="10", line__moku__name="企画費")
        .select_related("line")
        .get()
        .line
    )
    suppliers = list(
        Creditor.objects.filter(bank_accounts__is_default=True).exclude(invoice_registration_number="").distinct()
    )[:SUPPLIERS]
    for creditor in suppliers:
        supplier_default_set(actor=demo.accounting, creditor=creditor, line=line)
    return User.objects.get(username="demo-drafter"), suppliers


def _invoices(n: int, suppliers: list[Any]) -> list[Any]:
    from cityhall.automation.einvoice.samples import Item, jp_pint_xml
    from cityhall.automation.services.imports import InvoiceFile

    files = []
    issued = dt.date.today() - dt.timedelta(days=2)
    accounts = {}
    for creditor in suppliers:
        a = creditor.bank_accounts.get(is_default=True)
        accounts[creditor.pk] = f"{a.bank_code}:{a.branch_code}:{a.account_type}:{a.account_number}"
    for i in range(n):
        creditor = suppliers[i % len(suppliers)]
        items = (Item("コピー用紙", 100 + i % 7), Item("茶菓", 50, 8)) if i % 3 == 0 else (Item("トナー", 120),)
        data = jp_pint_xml(
            number=f"B-{i:06d}",
            registration_number=creditor.invoice_registration_number,
            seller=creditor.name,
            items=items,
            issue_date=issued,
            payee_account=accounts[creditor.pk],
        )
        files.append(InvoiceFile(f"B-{i:06d}.xml", data))
    return files


def _floor(files: list[Any]) -> float:
    """Parse and read each file with the same safe reader, then one bare row per invoice in one transaction."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from cityhall.automation.einvoice import safe_xml
    from cityhall.automation.einvoice.jp_pint import read_invoice
    from cityhall.automation.models import ImportedInvoice, InvoiceImport

    started = time.perf_counter()
    rows = []
    with transaction.atomic():
        run = InvoiceImport.objects.create(created_by=get_user_model().objects.order_by("pk")[0], source="command")
        for n, file in enumerate(files, start=1):
            invoice = read_invoice(safe_xml.parse(file.data))
            rows.append(
                ImportedInvoice(
                    invoice_import=run,
                    position=n,
                    file_name=file.name,
                    invoice_number=f"floor-{invoice.invoice_number}",
                    registration_number=invoice.registration_number,
                    payable=int(invoice.totals.payable_amount),
                )
            )
        ImportedInvoice.objects.bulk_create(rows, batch_size=1000)
        transaction.set_rollback(True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices", type=int, default=2_000)
    parser.add_argument("--staff", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-invoice-import-") as tmp:
        vendor = prepare_database(tmp, BENCH_DB)
        import django

        django.setup()
        from cityhall.automation.services.imports import import_invoices

        result: dict[str, Any] = {"bench": "invoice_import", "database": vendor, "invoices": args.invoices}
        started = time.perf_counter()
        drafter, suppliers = _setup(args.staff)
        result["setup_s"] = round(time.perf_counter() - started, 1)
        files = _invoices(args.invoices, suppliers)
        floor = _floor(files)
        started = time.perf_counter()
        report = import_invoices(actor=drafter, files=files)
        took = time.perf_counter() - started
        result |= {
            "accepted": report.accepted,
            "rejected": report.rejected,
            "import_s": round(took, 2),
            "invoices_per_second": round(args.invoices / took),
            "floor_s": round(floor, 2),
            "floor_invoices_per_second": round(args.invoices / floor),
            "import_vs_floor": round(took / floor, 1),
            "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "load_average": round(os.getloadavg()[0], 2),
        }
        if report.rejected:
            first = next(o for o in report.outcomes if not o.accepted)
            result["first_rejection"] = [r.message for r in first.reasons]
        if vendor == "postgresql":
            from django.db import connections

            connections.close_all()
            drop_database(BENCH_DB)
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["rejected"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
