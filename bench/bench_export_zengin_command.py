"""Benchmark: ``manage.py export_zengin`` for a batch of 100,000 transfers (全銀 総合振込ファイルの出力).

Builds its own database like ``bench_finance_orders`` (SQLite in a temporary
directory, or the PostgreSQL database ``cityhall_bench_export_zengin`` when
DATABASE_URL points at PostgreSQL): the demo city with its budget, then,
bulk-created and not timed as a figure, ``--transfers`` (100,000) creditors
each with a bank account of a real bank and branch (zengin-code) and one
approved 支出負担行為兼支出命令 each, paid by transfer, all in the open payment
batch of one bank business day, one 会計 and one 年度 (as the review opens it).

Measured in the same run:

- ``manage.py export_zengin --date D --output PATH`` as a separate process,
  as an operator runs it: the batch exported through ``batch_export`` (the
  file written, stored, read back and checked), written to PATH and marked
  paid; wall-clock seconds and peak memory of the process;
- the start-up cost of the same command (Django set-up, arguments, the
  database) when it has nothing to export, best of ``--repeat``, to separate
  it from the work; both also as CPU seconds of the command's process (what it
  costs when other work on the machine stretches the wall clock);
- the baseline: writing the same bytes already encoded to a file, in chunks,
  as in ``bench_export_zengin`` (what the disk and the file API alone cost),
  and ``write_zengin`` writing the same records (read back from the command's
  file), each best of ``--repeat`` (3). The ratios give the command (whole, and
  without its start-up) against both.

Prints one JSON line; exits non-zero when the baseline's bytes differ from
the command's file. ``--transfers 5000`` runs a quick check.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_finance_orders import (  # noqa: E402  (after the path is set)
    FinanceCity,
    Generator,
    Rows,
    Table,
    analyze,
    bulk_pragmas,
    database_label,
    drop_database,
    prepare_database,
    reset_sequences,
    setup_city,
)

BENCH_DB = "cityhall_bench_export_zengin"
KANA = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝﾞﾟ"
CHUNK = 10_000


def _branches(rng: random.Random, count: int) -> list[tuple[str, str, str, str]]:
    """``count`` real (bank, bank name, branch, branch name) of banks with a code under 1000 (zengin-code)."""
    from cityhall.core.banks import bank_table

    pairs = []
    for code, bank in sorted(bank_table().items()):
        if code < "1000":
            for branch_code, branch in sorted(bank.branches.items()):
                pairs.append((code, bank.name, branch_code, branch.name))
    return rng.sample(pairs, min(count, len(pairs)))


def _payees(city: FinanceCity, gen: Generator, count: int) -> list[tuple[int, int]]:
    """``count`` creditors with one bank account each (bulk, not through ``creditor_create``)."""
    from django.db import transaction

    from cityhall.finance.models import Creditor, CreditorBankAccount

    rng = random.Random(3)
    branches = _branches(rng, 400)
    creditors, accounts = Table(Creditor), Table(CreditorBankAccount)
    first_creditor = _next_id(Creditor)
    first_account = _next_id(CreditorBankAccount)
    made: list[tuple[int, int]] = []
    for start in range(0, count, CHUNK):
        rows_c, rows_a = [], []
        for i in range(start, min(count, start + CHUNK)):
            holder = "".join(rng.choice(KANA) for _ in range(rng.randint(4, 20)))
            bank, bank_name, branch, branch_name = branches[i % len(branches)]
            creditor_id, account_id = first_creditor + i, first_account + i
            rows_c.append(creditors.row({
                "id": creditor_id, "code": f"B{i:08d}", "name": f"振込先{i:06d}", "kana": holder, "address": "",
                "invoice_registration_number": "", "is_individual": False, "is_active": True,
            }))  # fmt: skip
            rows_a.append(accounts.row({
                "id": account_id, "creditor_id": creditor_id, "bank_code": bank, "bank_name": bank_name,
                "branch_code": branch, "branch_name": branch_name, "account_type": "1",
                "account_number": f"{i:07d}", "holder_kana": holder[:30], "is_default": True,
            }))  # fmt: skip
            made.append((creditor_id, account_id))
        with transaction.atomic():
            gen._insert(Creditor, rows_c, table=creditors)
            gen._insert(CreditorBankAccount, rows_a, table=accounts)
    return made


def _next_id(model: Any) -> int:
    from django.db.models import Max

    return int(model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _approved_orders(city: FinanceCity, gen: Generator, payees: list[tuple[int, int]], day: dt.date) -> int:
    """One approved 支出負担行為兼支出命令 per payee in the open batch of ``day``; returns the batch id."""
    from django.db import transaction

    from cityhall.documents.models import Document
    from cityhall.finance.models import BudgetLine, PaymentBatch, PaymentOrder, PaymentOrderLine

    rng = random.Random(5)
    pool = [a for a in city.allotments if a[3] >= 10_000_000]
    # One batch per (date, 会計, 年度), as the review opens it: the orders of the 会計 with the most allotments.
    accounts = dict(BudgetLine.objects.filter(pk__in={a[1] for a in pool}).values_list("pk", "account_id"))
    account = max(set(accounts.values()), key=lambda a: (sum(accounts[p[1]] == a for p in pool), -a))
    pool = [a for a in pool if accounts[a[1]] == account]
    batch = PaymentBatch.objects.create(payment_date=day, account_id=account, fiscal_year=city.fiscal_year)
    tables = gen.tables
    for start in range(0, len(payees), CHUNK):
        rows = Rows()
        for creditor, account in payees[start : start + CHUNK]:
            allotment_id, line_id, section, _amount, _setsu = rng.choice(pool)
            amount = rng.randint(1_000, 50_000)
            drafter = rng.choice(city.drafters[section])
            doc = gen._document(rows, section, drafter, "謝礼の支払について", amount, "finance.payment_order",
                                "decided", city.today)  # fmt: skip
            order_id = gen._take(PaymentOrder)
            rows.orders.append(tables[PaymentOrder].row({
                "id": order_id, "document_id": doc, "kind": "combined", "fiscal_year": city.fiscal_year,
                "line_id": line_id, "section_id": section, "allotment_id": allotment_id, "encumbrance_id": None,
                "payment_method": "transfer", "payment_date": day, "inspection_date": city.today,
                "invoice_received_on": city.today, "description": "", "total_amount": amount,
                "withholding_amount": 0, "payment_amount": amount, "review_status": "approved",
                "reviewed_by_id": city.treasurer, "batch_id": batch.pk, "review_reason": "",
            }))  # fmt: skip
            rows.lines.append(tables[PaymentOrderLine].row({
                "id": gen._take(PaymentOrderLine), "order_id": order_id, "position": 1, "creditor_id": creditor,
                "bank_account_id": account, "description": "", "tax_rate": 0, "amount": amount, "tax_amount": 0,
                "withholding": 0,
            }))  # fmt: skip
        with transaction.atomic():
            gen._insert(Document, rows.documents)
            gen._insert(PaymentOrder, rows.orders)
            gen._insert(PaymentOrderLine, rows.lines)
    gen.finish()
    return int(batch.pk)


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _command(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str], float, float]:
    """Run ``manage.py`` with ``args``; wall seconds, the result, the child's peak memory (MB) and CPU seconds.

    The CPU seconds (user + system of the command's process) say what the command costs when other
    work shares the machine and stretches the wall clock.
    """
    before, cpu = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, _cpu_children()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    return elapsed, done, round(peak, 1), _cpu_children() - cpu


def _best(repeat: int, run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--transfers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--staff", type=int, default=600)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database for inspection")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-export-zengin-") as tmp:
        vendor = prepare_database(tmp, BENCH_DB)
        import django

        django.setup()
        from django.conf import settings
        from django.db import connection

        from cityhall.core.japanese.business_days import business_day_on_or_after
        from cityhall.finance.zengin import read_zengin, write_zengin

        result: dict[str, Any] = {
            "bench": "export_zengin_command",
            "load_average_at_start": round(os.getloadavg()[0], 2),
        }
        started = time.perf_counter()
        city = setup_city(args.staff)
        result["database"] = database_label(vendor)
        day = business_day_on_or_after(city.today + dt.timedelta(days=3))
        gen = Generator(city)
        bulk_pragmas(True)
        payees = _payees(city, gen, args.transfers)
        batch = _approved_orders(city, gen, payees, day)
        reset_sequences()
        bulk_pragmas(False)
        analyze()
        result["setup_and_generation_s"] = round(time.perf_counter() - started, 1)
        connection.close()

        env = dict(os.environ, PYTHONPATH=str(ROOT))
        output = Path(tmp) / "furikomi.txt"
        idle_day = business_day_on_or_after(day + dt.timedelta(days=30))
        idle = ["export_zengin", "--date", idle_day.isoformat(), "--output", str(output)]
        idle_runs = [_command(idle, env) for _ in range(args.repeat)]
        startup_s = min(run[0] for run in idle_runs)  # best of: start-up is noisy
        startup_cpu_s = min(run[3] for run in idle_runs)
        command_s, done, peak, command_cpu_s = _command(
            ["export_zengin", "--date", day.isoformat(), "--output", str(output)], env
        )
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
            return 1
        data = output.read_bytes()
        with output.open("rb") as source:
            parsed = read_zengin(source, year=day.year)
        from cityhall.finance.models import PaymentBatch

        state = PaymentBatch.objects.get(pk=batch)
        baseline_path = Path(tmp) / "baseline.txt"
        raw_path = Path(tmp) / "raw.txt"
        separator: Literal["crlf", "none"] = "none" if settings.CITYHALL_ZENGIN.get("separator") == "none" else "crlf"

        def write() -> None:
            with baseline_path.open("wb") as out:
                write_zengin(out, parsed.header, parsed.transfers, separator=separator)
                out.flush()
                os.fsync(out.fileno())

        chunk = 2000 * 122
        pieces = [data[i : i + chunk] for i in range(0, len(data), chunk)]

        def write_raw() -> None:
            with raw_path.open("wb") as out:
                for piece in pieces:
                    out.write(piece)
                out.flush()
                os.fsync(out.fileno())

        write_s = _best(args.repeat, write)
        raw_s = _best(args.repeat, write_raw)
        same = baseline_path.read_bytes() == data
        result.update(
            {
                "transfers": parsed.count,
                "total_yen": parsed.total,
                "bytes": len(data),
                "batch_status_after": state.status,
                "command_seconds": round(command_s, 2),
                "command_peak_rss_mb": peak,
                "command_cpu_seconds": round(command_cpu_s, 2),
                "command_startup_seconds": round(startup_s, 2),
                "command_startup_cpu_seconds": round(startup_cpu_s, 2),
                "command_work_seconds": round(command_s - startup_s, 2),
                "baseline_write_zengin_seconds": round(write_s, 4),
                "baseline_write_bytes_seconds": round(raw_s, 4),
                "ratio_command_work_vs_write_zengin": round((command_s - startup_s) / write_s, 1) if write_s else None,
                "ratio_command_vs_write_bytes": round(command_s / raw_s) if raw_s else None,
                "ratio_command_work_vs_write_bytes": round((command_s - startup_s) / raw_s) if raw_s else None,
                "transfers_per_second_command": round(parsed.count / command_s) if command_s else None,
                "same_bytes": same,
                "command_output": done.stdout.strip()[-300:],
                "load_average_at_end": round(os.getloadavg()[0], 2),
            }
        )
        connection.close()
        if vendor == "postgresql" and not args.keep:
            drop_database(BENCH_DB)
    print(json.dumps(result, ensure_ascii=False))
    return 0 if same and result["transfers"] == args.transfers else 1


if __name__ == "__main__":
    sys.exit(main())
