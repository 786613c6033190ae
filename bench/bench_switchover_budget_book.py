"""Benchmark: the switch-over of a 600-line budget book (当初予算書の移行) through ``switchover_import_now``.

Builds its own database (SQLite in a temporary directory, or the PostgreSQL database
``cityhall_bench_budget_book`` when DATABASE_URL points at PostgreSQL): the demo organisation
and this year's demo budget (``finance.demo.budget.load_budget``, timed: the bulk floor). The book
is next year's: the demo's 529 lines of the 一般会計 under the 款項目 already registered, its
予備費, and 70 lines of the 介護保険特別会計 under 款項目 the import registers; each line with
its amount and (but the 予備費) an allotment to its section. Written as an .xlsx file, as old
systems export it.

Measured: the rows read from the file (``read_rows``), the kind's checks (``check``, with its
query count), a dry run (everything written, then rolled back; its query count) and the real
import, whole (read, check, write, report). Baseline: the demo's bulk load of this year's book
(``bulk_create``, one audit entry), ~the same number of lines with two versions and allotments.
Prints one JSON line.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._database import drop_database, prepare_database  # noqa: E402  (after the path is set)
from bench.bench_finance_orders import database_label  # noqa: E402

BENCH_DB = "cityhall_bench_budget_book"
HEADER = ["会計", "年度", "款", "款名", "項", "項名", "目", "目名", "節", "節名", "予算額", "配当先の課", "配当額"]
SPECIAL = "介護保険特別会計"
SPECIAL_LINES = 70


def _setup() -> tuple[Any, float]:
    """The demo organisation and this year's demo budget; the actor and the seconds of the bulk load."""
    from django.core.management import call_command
    from django.utils import timezone

    from cityhall.finance.defaults import ensure_finance_defaults
    from cityhall.finance.demo import DEMO_CITY_CODE, _city
    from cityhall.finance.demo.budget import load_budget
    from cityhall.org.models import Municipality

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", skip_apps=True, verbosity=0, stdout=devnull)
    ensure_finance_defaults(actor="bench")
    demo = _city(Municipality.objects.get(code=DEMO_CITY_CODE), timezone.localdate())
    assert demo is not None, "the demo city has no 会計 role holder in 財政課"
    started = time.perf_counter()
    load_budget(demo)
    return demo, time.perf_counter() - started


def _book(year: int, sections: list[str]) -> bytes:
    """Next year's book as an .xlsx file: the demo's lines, its 予備費, and lines of a 特別会計."""
    from openpyxl import Workbook

    from cityhall.finance.demo.budget import _spread, _tokens
    from cityhall.finance.demo.data import BUDGET, RESERVE_KAN, RESERVE_MILLIONS

    rows: list[list[object]] = []
    for book in BUDGET:
        tokens = _tokens(book.setsu)
        for (setsu, _w, index), amount in zip(tokens, _spread(book.millions, tokens), strict=True):
            part = [*book.kan, *book.kou, *book.moku, setsu, "", amount, book.sections[index], amount * 95 // 100]
            rows.append(["一般会計", f"令和{year - 2018}年度", *part])
    reserve = [*RESERVE_KAN, "1", "予備費", "1", "予備費", "", ""]
    rows.append(["一般会計", year, *reserve, RESERVE_MILLIONS * 1_000_000, "", ""])
    for n in range(SPECIAL_LINES):
        kan, kou, moku, number = 1 + n // 35, 1 + n // 7 % 5, 1 + n % 7, (10, 11, 12, 13, 18, 19, 27)[n % 7]
        path = [kan, f"款{kan}", kou, f"項{kou}", moku, f"目{moku}", number, ""]
        rows.append([SPECIAL, year, *path, 1_000_000 + n * 1_000, sections[n % len(sections)], 1_000_000])
    sheet_book = Workbook()
    sheet = sheet_book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append([None if cell == "" else cell for cell in row])
    out = io.BytesIO()
    sheet_book.save(out)
    return out.getvalue()


def _timed(call: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-budget-book-") as tmp:
        vendor = prepare_database(tmp, BENCH_DB)
        import django

        django.setup()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from cityhall.automation.services.switchover import switchover_import_now
        from cityhall.automation.switchover import all_kinds
        from cityhall.core.tables import Layout, read_rows
        from cityhall.finance.models import Allotment, BudgetLine

        result: dict[str, Any] = {
            "bench": "switchover_budget_book",
            "load_average_at_start": round(os.getloadavg()[0], 2),
        }
        demo, floor = _setup()
        result["database"] = database_label(vendor)
        year = demo.fiscal_year + 1
        data = _book(year, sorted(demo.sections))
        kind, actor = all_kinds()["budget_book"], demo.accounting
        rows, reading = _timed(lambda: read_rows(kind.fields, data, Layout()))
        result["lines"] = len(rows)
        result["file_bytes"] = len(data)
        result["read_s"] = round(reading, 3)
        with CaptureQueriesContext(connection) as queries:
            _none, checking = _timed(lambda: kind.check(actor, rows))
        result["check_s"] = round(checking, 3)
        result["check_queries"] = len(queries)
        assert not any(row.reasons for row in rows), [r.reasons for r in rows if r.reasons][:3]
        with CaptureQueriesContext(connection) as queries:
            dry, dry_s = _timed(
                lambda: switchover_import_now(
                    actor=actor, kind="budget_book", file_name="b.xlsx", data=data, dry_run=True
                )
            )
        assert dry.report["would_write"], dry.report["rows"][:3]
        result["dry_run_s"] = round(dry_s, 3)
        result["dry_run_queries"] = len(queries)
        run, import_s = _timed(
            lambda: switchover_import_now(actor=actor, kind="budget_book", file_name="b.xlsx", data=data)
        )
        assert run.written, run.report["rows"][:3]
        result["import_s"] = round(import_s, 3)
        result["lines_per_second"] = round(len(rows) / import_s)
        result["lines_written"] = BudgetLine.objects.filter(fiscal_year=year).count()
        result["allotments_written"] = Allotment.objects.filter(line__fiscal_year=year).count()
        result["baseline_demo_bulk_load_s"] = round(floor, 3)
        result["import_vs_bulk_ratio"] = round(import_s / floor, 1) if floor else None
        result["load_average_at_end"] = round(os.getloadavg()[0], 2)
        connection.close()
        if vendor == "postgresql":
            drop_database(BENCH_DB)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
