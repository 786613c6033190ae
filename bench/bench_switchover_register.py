"""Benchmark: the old document register (文書管理簿（旧システム）) taken over from Excel, end to end.

Builds its own database (SQLite in a temporary directory, or, when DATABASE_URL points at
PostgreSQL, a dedicated database ``cityhall_bench_register``): the demo city's organisation and the
default file plan (no documents). Then ``--rows`` records (default 3,000) of past fiscal years,
spread over the city's sections with 和暦 dates, are written into one .xlsx in memory, not timed,
and measured in the same run:

- reading the file into rows (the floor: every import reads it);
- the kind's ``check`` alone, with its number of queries;
- ``switchover_import_now`` as the 文書主管: read, check, write every record with its audit entry,
  move the counters, commit, and index the records for search after commit.

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
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

BENCH_DB = "cityhall_bench_register"
CLASSES = ("01-01-02", "01-02-01", "01-02-02", "02-01-01", "02-02-01", "03-01-01", "01-01-01")


def _setup(staff: int) -> Any:
    """Migrate, seed the organisation and the documents' defaults; the 文書主管 who imports."""
    from django.core.management import call_command
    from django.utils import timezone

    from cityhall.documents.defaults import ensure_defaults
    from cityhall.org.models import Role, RoleGrant

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", staff=staff, skip_apps=True, verbosity=0, stdout=devnull)
    ensure_defaults(actor="bench")
    grant = RoleGrant.objects.on(timezone.localdate()).filter(role=Role.DOCUMENT_MANAGER).select_related("user")
    return grant.first().user  # type: ignore[union-attr]


def _workbook(rows: int) -> bytes:
    """``rows`` old records: each section's running numbers per fiscal year, FY2012–FY2021, 和暦 dates."""
    from openpyxl import Workbook

    from cityhall.core.japanese import format_wareki
    from cityhall.org.models import OrgUnit, UnitKind

    sections = list(OrgUnit.objects.filter(kind=UnitKind.SECTION).order_by("code"))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["文書番号", "年度", "課", "件名", "起案日", "決裁日", "文書分類", "保存期間", "保管場所", "個人情報"])
    numbers: dict[tuple[int, int], int] = {}
    for i in range(rows):
        section = sections[i % len(sections)]
        year = 2012 + (i // len(sections)) % 10
        numbers[(section.pk, year)] = number = numbers.get((section.pk, year), 0) + 1
        decided = dt.date(year, 4, 1) + dt.timedelta(days=(i * 7) % 360)
        sheet.append(
            [
                f"{section.symbol or '旧'}第{number}号",
                f"{year}年度",
                section.name,
                f"{section.name}の事務（{i}）について",
                format_wareki(decided - dt.timedelta(days=2)),
                format_wareki(decided),
                CLASSES[i % len(CLASSES)],
                "30年" if i % 11 == 0 and CLASSES[i % len(CLASSES)] != "01-01-01" else "",  # 01-01-01 is 永年
                f"第{1 + i % 4}書庫 棚{1 + i % 20} 箱{1 + i % 50}",
                "有" if i % 5 == 0 else "",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=3_000)
    parser.add_argument("--staff", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-register-") as tmp:
        vendor = prepare_database(tmp, BENCH_DB)
        import django

        django.setup()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from cityhall.automation.services.switchover import switchover_import_now
        from cityhall.automation.switchover import kind_for
        from cityhall.core.tables import Layout, read_rows
        from cityhall.documents.models import Document
        from cityhall.search.models import SearchEntry

        result: dict[str, Any] = {"bench": "switchover_register", "database": vendor, "rows": args.rows}
        started = time.perf_counter()
        manager = _setup(args.staff)
        result["setup_s"] = round(time.perf_counter() - started, 1)
        data = _workbook(args.rows)
        kind = kind_for("register")
        started = time.perf_counter()
        rows = read_rows(kind.fields, data, Layout())
        result["read_s"] = round(time.perf_counter() - started, 2)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            kind.check(manager, rows)
            result["check_s"] = round(time.perf_counter() - started, 2)
        result["check_queries"] = len(queries.captured_queries)
        started = time.perf_counter()
        run = switchover_import_now(actor=manager, kind="register", file_name="文書管理簿.xlsx", data=data)
        took = time.perf_counter() - started
        result |= {
            "accepted": run.accepted,
            "rejected": run.rejected,
            "import_s": round(took, 2),
            "rows_per_second": round(args.rows / took),
            "documents": Document.objects.count(),
            "indexed": SearchEntry.objects.filter(kind="document").count(),
            "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "load_average": round(os.getloadavg()[0], 2),
        }
        if run.rejected:
            first = next(r for r in run.report["rows"] if not r["accepted"])
            result["first_rejection"] = first["reasons"]
        if vendor == "postgresql":
            from django.db import connections

            connections.close_all()
            drop_database(BENCH_DB)
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["rejected"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
