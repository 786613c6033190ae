"""Benchmark: a year of JP PINT invoices imported as payment orders (請求書の取込), end to end.

``make bench`` runs it once per database: SQLite always, and PostgreSQL when ``DATABASE_URL``
points at a PostgreSQL server (a database of its own there, ``cityhall_bench_invoice_import``; see
``bench/_database.py``), each in a process of its own so each peak memory is its own. Without
``DATABASE_URL`` the PostgreSQL figure says how to get it. ``--database sqlite|postgresql`` runs
one only.

Each run builds its database: the demo city's organisation, its general-account budget and
creditors (no documents). Fifty suppliers with registration numbers get 企画政策課's 需用費 line as
their default; the line's available balance (執行可能額) is checked to cover every invoice, so the
budget's hard stop refuses none. Then ``--invoices`` JP PINT invoices (default 40,000: a city's
year) are generated in memory, not timed, and measured in the same run:

- ``import_invoices`` as demo-drafter: parse, validate, match, budget check, draft the orders with
  their documents and audit entries, store the import and its originals, index the documents after
  commit: invoices per second and the peak memory of the process (``ru_maxrss``; also before the
  import, which holds the generated files);
- the floor: parse and read the same files with the same safe reader and insert one bare row per
  invoice (``insert_rows``, as the import stores its rows) in one transaction.

Both are also given in CPU seconds of the bench's process (not the PostgreSQL server's): what they
cost when other work on the machine stretches the wall clock.

Prints one JSON line: per database the figures and the ratio of the import to the floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._database import drop_database, is_postgresql, prepare_database  # noqa: E402  (after the path is set)

BENCH_DB = "cityhall_bench_invoice_import"
SUPPLIERS = 50
YEAR = 40_000


def _setup(staff: int) -> tuple[Any, list[Any], Any]:
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
    allotment = Allotment.objects.get(line=line, section__name="企画政策課")
    return User.objects.get(username="demo-drafter"), suppliers, allotment


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


_PAYABLE = re.compile(rb"<cbc:PayableAmount[^>]*>([0-9]+)</cbc:PayableAmount>")


def _check_budget(allotment: Any, files: list[Any]) -> dict[str, int]:
    """The line's available balance must cover every invoice: the bench measures drafting, not refusals."""
    from cityhall.finance import balance

    needed = 0
    for file in files:
        found = _PAYABLE.search(file.data)
        assert found is not None, file.name
        needed += int(found.group(1))
    available = balance.available_amount(allotment)
    if needed > available:
        raise SystemExit(f"the bench's line has {available:,} yen available, the invoices ask {needed:,}")
    return {"invoices_total_yen": needed, "line_available_yen": available}


def _floor(files: list[Any]) -> float:
    """Parse and read each file with the same safe reader, then one bare row per invoice in one transaction."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from cityhall.automation.einvoice import safe_xml
    from cityhall.automation.einvoice.jp_pint import read_invoice
    from cityhall.automation.models import ImportedInvoice, InvoiceImport
    from cityhall.core.bulk import insert_rows

    started = time.perf_counter()
    rows = []
    with transaction.atomic():
        run = InvoiceImport.objects.create(created_by=get_user_model().objects.order_by("pk")[0], source="command")
        for n, file in enumerate(files, start=1):
            invoice = read_invoice(safe_xml.parse(file.data))
            rows.append(
                {
                    "invoice_import_id": run.pk,
                    "position": n,
                    "file_name": file.name,
                    "invoice_number": f"floor-{invoice.invoice_number}",
                    "registration_number": invoice.registration_number,
                    "payable": int(invoice.totals.payable_amount),
                }
            )
        insert_rows(ImportedInvoice, rows)
        transaction.set_rollback(True)
    return time.perf_counter() - started


def _peak_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _measure(invoices: int, staff: int) -> dict[str, Any]:
    """One database: set up, generate, the floor, then the import (see the module docstring)."""
    with tempfile.TemporaryDirectory(prefix="bench-invoice-import-") as tmp:
        vendor = prepare_database(tmp, BENCH_DB)
        import django

        django.setup()
        from cityhall.automation.services.imports import import_invoices

        result: dict[str, Any] = {"database": vendor, "invoices": invoices}
        started = time.perf_counter()
        drafter, suppliers, allotment = _setup(staff)
        result["setup_s"] = round(time.perf_counter() - started, 1)
        files = _invoices(invoices, suppliers)
        result |= _check_budget(allotment, files)
        cpu = time.process_time()
        floor = _floor(files)
        floor_cpu = time.process_time() - cpu
        before = _peak_mb()
        started, cpu = time.perf_counter(), time.process_time()
        report = import_invoices(actor=drafter, files=files)
        took, took_cpu = time.perf_counter() - started, time.process_time() - cpu
        result |= {
            "accepted": report.accepted,
            "rejected": report.rejected,
            "orders": len({o.order_id for o in report.outcomes if o.order_id}),
            "import_s": round(took, 2),
            "invoices_per_second": round(invoices / took),
            "floor_s": round(floor, 2),
            "floor_invoices_per_second": round(invoices / floor),
            "import_vs_floor": round(took / floor, 1),
            "import_cpu_s": round(took_cpu, 2),
            "floor_cpu_s": round(floor_cpu, 2),
            "peak_memory_mb": _peak_mb(),
            "peak_memory_before_import_mb": before,
            "load_average": round(os.getloadavg()[0], 2),
        }
        if report.rejected:
            first = next(o for o in report.outcomes if not o.accepted)
            result["first_rejection"] = [r.message for r in first.reasons]
        if vendor == "postgresql":
            from django.db import connections

            connections.close_all()
            drop_database(BENCH_DB)
    return result


def _run(database: str, args: argparse.Namespace) -> dict[str, Any]:
    """The bench on one database, in a process of its own (its own Django settings and peak memory)."""
    env = dict(os.environ)
    if database == "sqlite":
        env.pop("DATABASE_URL", None)
    command = [sys.executable, __file__, "--database", database, "--invoices", str(args.invoices)]
    command += ["--staff", str(args.staff)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode not in (0, 1) or not lines:
        return {"database": database, "error": done.stderr.strip()[-2000:], "exit": done.returncode}
    figures: dict[str, Any] = json.loads(lines[-1])
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--invoices", type=int, default=YEAR)
    parser.add_argument("--staff", type=int, default=300)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), help="one database only")
    args = parser.parse_args()
    if args.database is not None:
        if args.database == "postgresql" and not is_postgresql():
            parser.error("--database postgresql needs DATABASE_URL=postgres://USER@HOST:5432/postgres")
        figures = _measure(args.invoices, args.staff)
        print(json.dumps(figures, ensure_ascii=False))
        return 0 if figures["rejected"] == 0 else 1
    result: dict[str, Any] = {"bench": "invoice_import", "invoices": args.invoices, "sqlite": _run("sqlite", args)}
    if is_postgresql():
        result["postgresql"] = _run("postgresql", args)
    else:
        result["postgresql"] = "not measured: run with DATABASE_URL=postgres://USER@HOST:5432/postgres"
    print(json.dumps(result, ensure_ascii=False))
    runs = [r for r in (result["sqlite"], result["postgresql"]) if isinstance(r, dict)]
    return 0 if all(r.get("rejected") == 0 for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
