"""Benchmark: the budget execution report (予算執行状況) at 1,000,000 payment order lines.

Builds its own database like ``bench_finance_orders`` (SQLite in a temporary
directory, or the PostgreSQL database ``cityhall_bench_execution_report`` when
DATABASE_URL points at PostgreSQL): the demo city with its budget of about
500 lines allotted to the sections, then bulk-created payment orders (with
their encumbrances and documents, in every state, some paid in past batches).

Measured in the same run, first with ``--baseline-lines`` (10,000) order
lines, then again after growing to ``--lines`` (1,000,000):

- ``execution_by_line`` (科目別, the first page) for the accounting manager, who
  sees every line, and for a clerk, limited to the own section;
- ``execution_by_section`` (課別) for the accounting manager;
- the report pages themselves (``/finance/reports/`` and
  ``/finance/reports/sections/``) through Django's test ``Client``.

Each: p50/p95 over ``--requests`` (30) calls (fewer if ``--budget-s`` runs out)
and the queries per call, which must be the same at both sizes. Prints one
JSON line. ``--lines 50000`` runs a quick check.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_finance_orders import (  # noqa: E402  (after the path is set)
    Generator,
    database_label,
    drop_database,
    percentiles,
    prepare_database,
    setup_city,
)

BENCH_DB = "cityhall_bench_execution_report"


def _measure(func: Callable[[], Any], repeat: int, budget_s: float) -> dict[str, Any]:
    """Call ``repeat`` times (fewer when ``budget_s`` runs out): times and queries per call."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    func()  # warm-up
    times: list[float] = []
    queries: set[int] = set()
    sql: list[float] = []
    deadline = time.perf_counter() + budget_s
    slowest: dict[str, Any] = {"time": "0", "sql": ""}
    for _ in range(repeat):
        if times and time.perf_counter() > deadline:
            break
        reset_queries()  # the query log keeps 9,000 entries: counting needs room
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            func()
            times.append(time.perf_counter() - started)
        queries.add(len(captured.captured_queries))
        sql.append(sum(float(q["time"]) for q in captured.captured_queries))
        top = max(captured.captured_queries, key=lambda q: float(q["time"]), default=slowest)
        if float(top["time"]) > float(slowest["time"]):
            slowest = top
    return {
        "calls": len(times),
        **percentiles(times),
        "sql_p50_ms": round(sorted(sql)[len(sql) // 2] * 1000, 2),
        "queries_per_call": sorted(queries),
        "slowest_query": {"ms": round(float(slowest["time"]) * 1000, 2), "sql": str(slowest["sql"])[:300]},
    }


def _probes(fiscal_year: int) -> tuple[dict[str, Callable[[], Any]], dict[str, Any]]:
    """The selectors and pages to time, with who calls them."""
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from cityhall.finance.selectors.reports import execution_by_line, execution_by_section
    from cityhall.org.models import Role, RoleGrant

    today = timezone.localdate()
    grant = RoleGrant.objects.on(today).filter(role=Role.TREASURER).order_by("user_id").first()
    assert grant is not None
    manager = grant.user
    clerk = _busiest_clerk(fiscal_year)
    client = Client()
    client.force_login(manager)

    def page(url: str) -> Callable[[], int]:
        def get() -> int:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return len(response.content)

        return get

    probes: dict[str, Callable[[], Any]] = {
        "by_line_all_lines": lambda: execution_by_line(manager, fiscal_year=fiscal_year).rows,
        "by_line_own_section": lambda: execution_by_line(clerk, fiscal_year=fiscal_year).rows,
        "by_section": lambda: execution_by_section(manager, fiscal_year=fiscal_year).rows,
        "page_by_line": page(reverse("finance:reports")),
        "page_by_section": page(reverse("finance:report_sections")),
    }
    who = {"manager": manager.username, "clerk": clerk.username}
    return probes, who


def _busiest_clerk(fiscal_year: int) -> Any:
    """A clerk of the section with the most payment orders (its report reads the most rows)."""
    from django.db.models import Count

    from cityhall.accounts.models import User
    from cityhall.finance.models import PaymentOrder

    top = (
        PaymentOrder.objects.filter(fiscal_year=fiscal_year)
        .values("section_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "section_id")
        .first()
    )
    assert top is not None, "no payment orders"
    drafter = (
        PaymentOrder.objects.filter(section_id=top["section_id"]).values_list("document__drafter_id", flat=True).first()
    )
    return User.objects.get(pk=int(drafter or 0))


def _round(probes: dict[str, Callable[[], Any]], repeat: int, budget_s: float) -> dict[str, Any]:
    return {name: _measure(func, repeat, budget_s) for name, func in probes.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--baseline-lines", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--budget-s", type=float, default=60, help="stop one measurement after this long")
    parser.add_argument("--staff", type=int, default=600)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database for inspection")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-execution-report-") as tmp:
        vendor = prepare_database(tmp, BENCH_DB)
        import django

        django.setup()
        from django.db import connection

        from cityhall.finance.models import BudgetLine, PaymentOrder, PaymentOrderLine

        result: dict[str, Any] = {"bench": "execution_report", "load_average_at_start": round(os.getloadavg()[0], 2)}
        city = setup_city(args.staff)
        result["database"] = database_label(vendor)
        result["budget_lines"] = BudgetLine.objects.filter(fiscal_year=city.fiscal_year).count()
        gen = Generator(city)
        generated = gen.generate(min(args.baseline_lines, args.lines), planned=args.lines)
        probes, who = _probes(city.fiscal_year)
        result["users"] = who
        baseline = {"order_lines": PaymentOrderLine.objects.count(), **_round(probes, args.requests, args.budget_s)}
        generated += gen.generate(max(0, args.lines - gen.written), planned=args.lines)
        full = {
            "order_lines": PaymentOrderLine.objects.count(),
            "orders": PaymentOrder.objects.count(),
            **_round(probes, args.requests, args.budget_s),
        }
        result["generation_s"] = round(generated, 1)
        result["baseline"] = baseline
        result["full"] = full
        result["queries_constant"] = all(
            baseline[name]["queries_per_call"] == full[name]["queries_per_call"] for name in probes
        )
        result["p95_ratio_vs_baseline"] = {
            name: round(full[name]["p95_ms"] / max(baseline[name]["p95_ms"], 0.001), 1) for name in probes
        }
        result["load_average_at_end"] = round(os.getloadavg()[0], 2)
        connection.close()
        if vendor == "postgresql" and not args.keep:
            drop_database(BENCH_DB)
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["queries_constant"] else 1


if __name__ == "__main__":
    sys.exit(main())
