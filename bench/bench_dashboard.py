"""Benchmark: the DX dashboard page (DXダッシュボード) with 1,000,000 documents and a year of finance.

Builds its own database (SQLite in a temporary directory, or, when DATABASE_URL points at
PostgreSQL, a database of its own dropped and created afresh, see ``bench._database``): the demo
city's organisation (``seed_demo --skip-apps``), the default kinds of matter, and the finance demo's
budget and creditors. Then, not timed as a figure of the system and not through the services:

- a year of finance (``--finance-lines``, 100,000 payment order lines): orders of every kind and
  state with their documents and encumbrances and the paid batches, by ``bench_finance_orders``'
  generator;
- documents up to ``--documents`` (1,000,000) in the register by raw INSERTs (``COPY`` on
  PostgreSQL): a year of decisions of every section and kind of matter (electronic and paper,
  durations spread from half an hour to two months), some still in circulation, one attachment row per tenth
  document, open 後閲 and a year of the savings ledger.

Measured in the same run, in process through Django's test ``Client`` signed in as the mayor
(demo-shicho, role 幹部), the whole page (view, figures and template):

- ``cold_build_year_s``: the first page of the year, which builds the months' rollups;
- ``year`` and ``one_month_one_section``: the page again (``--requests`` times): p50/p95 and
  queries per request;
- ``year_after_refresh_interval``: the page when the rollups are older than the refresh interval and
  nothing changed (the change check runs on every request: interval 0);
- ``year_after_a_decision``: the page after one more decision of the current month (a document in
  circulation decided by an UPDATE), which builds that month again (interval 0);
- the baseline: a bare ``COUNT(*)`` over the same tables (documents, post-reviews, ledger).

Prints one JSON line. ``python bench/bench_dashboard.py --documents 100000 --finance-lines 10000``
runs a quick check.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._database import drop_database, prepare_database  # noqa: E402
from bench.bench_finance_orders import (  # noqa: E402
    Generator,
    Table,
    analyze,
    bulk_pragmas,
    database_label,
    percentiles,
    setup_city,
)

BENCH_DB = "cityhall_bench_dashboard"
YEAR_MINUTES = 365 * 24 * 60
CHUNK = 20_000
SHORTEST, LONGEST = math.log(0.5), math.log(60 * 24)  # durations: log-uniform, half an hour to 60 days


def _city() -> dict[str, Any]:
    from django.db.models import Max
    from django.utils import timezone

    from cityhall.documents.models import Document, MatterKind
    from cityhall.org.models import Assignment, OrgUnit, UnitKind

    today = timezone.localdate()
    sections = list(OrgUnit.objects.filter(kind=UnitKind.SECTION).values_list("pk", flat=True))
    drafters = list(Assignment.objects.on(today).filter(is_primary=True).values_list("user_id", flat=True)[:200])
    last = Document.objects.values("section_id", "fiscal_year").annotate(n=Max("number")).order_by()
    return {
        "today": today,
        "sections": sections,
        "drafters": drafters,
        "kinds": list(MatterKind.objects.values_list("pk", flat=True)),
        "numbers": {(r["section_id"], r["fiscal_year"]): r["n"] for r in last},
    }


def _insert(table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
    """Rows in one statement list (SQLite) or one ``COPY`` (PostgreSQL, several times faster)."""
    from django.db import connection

    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(table.sql, rows)
            return
        head = table.sql.partition(" VALUES ")[0].replace("INSERT INTO", "COPY", 1)
        with cursor.cursor.copy(f"{head} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def generate(count: int, city: dict[str, Any], seed: int = 7) -> None:
    """``count`` documents over the year before today, in chunks of raw INSERTs, with attachments and 後閲."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from cityhall.core.japanese import fiscal_year
    from cityhall.documents.models import Attachment, Document, PostReview, RouteStep
    from cityhall.savings.models import SavedTime

    rng = random.Random(seed)
    docs, attachments = Table(Document), Table(Attachment)
    now = timezone.now()
    settled = now - dt.timedelta(minutes=5)  # no decision in the minute a check looks back over
    start = timezone.make_aware(dt.datetime.combine(city["today"] - dt.timedelta(days=365), dt.time(9)))
    numbers: dict[tuple[int, int], int] = dict(city["numbers"])
    next_id = (Document.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    next_file = (Attachment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    # Each row is a copy of a template with the varying columns set: a dict per row costs most of the time.
    base = docs.row({
        "title": "決裁の件", "current_round": 1, "version": 2, "drafted_on": now.date(),
        "fiscal_year": 2000, "section_id": 0, "number": 0, "matter_kind_id": 0, "drafter_id": 0,
    })  # fmt: skip
    at = {name: docs.names.index(name) for name in docs.names}
    moment, day = connection.ops.adapt_datetimefield_value, connection.ops.adapt_datefield_value
    reviews: list[int] = []
    done = 0
    while done < count:
        rows: list[tuple[Any, ...]] = []
        files: list[tuple[Any, ...]] = []
        for _ in range(min(CHUNK, count - done)):
            # Drafted in the order of the ids, as a register grows (a month's documents lie together on disk).
            submitted = start + dt.timedelta(minutes=(done + len(rows)) * YEAR_MINUTES // count + rng.randrange(90))
            decided = submitted + dt.timedelta(hours=math.exp(rng.uniform(SHORTEST, LONGEST)))
            circulating = decided > settled or rng.random() < 0.05
            section = rng.choice(city["sections"])
            fy = fiscal_year(submitted)
            number = numbers[(section, fy)] = numbers.get((section, fy), 0) + 1
            paper = rng.random() < 0.15
            row = list(base)
            for name, value in (
                ("id", next_id), ("fiscal_year", fy), ("section_id", section), ("number", number),
                ("number_label", f"緑第{number}号"), ("matter_kind_id", rng.choice(city["kinds"])),
                ("drafter_id", rng.choice(city["drafters"])), ("status", "circulating" if circulating else "decided"),
                ("drafted_on", day(submitted.date())), ("submitted_at", moment(submitted)),
                ("decided_at", None if circulating else moment(decided)),
                ("medium", "paper" if paper else "electronic"), ("paper_reason", "原本が紙のため" if paper else ""),
                ("is_confidential", rng.random() < 0.02), ("created_at", moment(submitted)),
                ("updated_at", moment(submitted if circulating else decided)),
            ):  # fmt: skip
                row[at[name]] = value
            rows.append(tuple(row))
            if next_id % 10 == 0:
                files.append(attachments.row({
                    "id": next_file, "document_id": next_id, "file": "x.pdf", "name": "x.pdf",
                    "content_type": "application/pdf", "size": 1000, "sha256": "0" * 64,
                    "uploaded_by_id": city["drafters"][0],
                }))  # fmt: skip
                next_file += 1
            if next_id % 2000 == 0 and not circulating:
                reviews.append(next_id)
            next_id += 1
        with transaction.atomic():
            _insert(docs, rows)
            _insert(attachments, files)
        done += len(rows)
    with connection.cursor() as cursor:  # PostgreSQL: the id sequences after the ids given explicitly
        for sql in connection.ops.sequence_reset_sql(no_style(), [Document, Attachment]):
            cursor.execute(sql)
    for pk in reviews:  # an open 後閲 needs its route step
        step = RouteStep.objects.create(
            document_id=pk, round=1, order=1, stage=1, kind="review", state="skipped",
            acted_at=now, assignee_id=city["drafters"][1],
        )  # fmt: skip
        PostReview.objects.create(step=step, document_id=pk, reviewer_id=city["drafters"][1])
    SavedTime.objects.bulk_create(
        SavedTime(
            section_id=rng.choice(city["sections"]),
            occurred_at=start + dt.timedelta(hours=h * 7),
            kind="automation.jp_pint",
            count=5,
            minutes=40,
            object_type="bench",
            object_id=str(h),
            created_by_id=city["drafters"][0],
        )
        for h in range(1200)
    )


def _timed(
    call: Callable[[], Any], repeat: int, before: Callable[[], Any] | None = None
) -> tuple[list[float], set[int], list[float]]:
    """Run ``call`` ``repeat`` times (``before`` untimed ahead of each): seconds, the query counts seen, and
    this process's CPU seconds (on SQLite the whole server time; the shared machine's waits left out)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times, queries, cpu = [], set(), []
    for _ in range(repeat):
        if before is not None:
            before()
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started, used = time.perf_counter(), time.process_time()
            call()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
        queries.add(len(captured.captured_queries))
    return times, queries, cpu


def _figures(times: list[float], queries: set[int], cpu: list[float]) -> dict[str, Any]:
    ordered = sorted(cpu)
    cpu_figures = {
        "cpu_p50_ms": round(statistics.median(cpu) * 1000, 2),
        "cpu_p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000, 2),
    }
    return {**percentiles(times), **cpu_figures, "queries_per_request": sorted(queries)}


def _settle_finance() -> None:
    """The finance generator's documents saved when they were decided (or submitted), not when generated.

    A document saved in the minute before a rollup's build is looked at again by the next check
    (``rollup.IN_FLIGHT``): the page measured after the refresh interval would build months again.
    """
    from django.db.models import F

    from cityhall.documents.models import Document

    Document.objects.filter(decided_at__isnull=False).update(created_at=F("submitted_at"), updated_at=F("decided_at"))
    Document.objects.filter(decided_at__isnull=True, submitted_at__isnull=False).update(
        created_at=F("submitted_at"), updated_at=F("submitted_at")
    )


def _decide_one(month: dt.date) -> Callable[[], None]:
    """A document in circulation since ``month`` decided now, as an UPDATE (the engine's result, not its work)."""
    from django.utils import timezone

    from cityhall.dashboard import rollup
    from cityhall.documents.models import Document

    start, _end = rollup.bounds(month)
    waiting = iter(
        Document.objects.filter(status="circulating", submitted_at__gte=start)
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )

    def decide() -> None:
        now = timezone.now()
        Document.objects.filter(pk=next(waiting)).update(status="decided", decided_at=now, updated_at=now)

    return decide


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1_000_000, help="documents in the register")
    parser.add_argument("--finance-lines", type=int, default=100_000, help="payment order lines of the year")
    parser.add_argument("--staff", type=int, default=600)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database for inspection")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as tmp:
        vendor = prepare_database(tmp, BENCH_DB)
        import django

        django.setup()
        from django.test import Client, override_settings

        from cityhall.accounts.models import User
        from cityhall.core.japanese import fiscal_year
        from cityhall.dashboard import rollup
        from cityhall.documents.models import Document, PostReview
        from cityhall.finance.models import PaymentOrder, PaymentOrderLine
        from cityhall.savings.models import SavedTime

        result: dict[str, Any] = {"bench": "dashboard", "load_average_at_start": round(os.getloadavg()[0], 2)}
        started = time.perf_counter()
        finance = setup_city(args.staff)
        result["database"] = database_label(vendor)
        result["setup_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        Generator(finance).generate(args.finance_lines)
        _settle_finance()
        result["finance_generate_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        city = _city()
        bulk_pragmas(True)
        generate(max(0, args.documents - Document.objects.count()), city)
        bulk_pragmas(False)
        analyze()
        result["documents_generate_s"] = round(time.perf_counter() - started, 1)
        result["documents"] = Document.objects.count()
        result["finance"] = {"orders": PaymentOrder.objects.count(), "lines": PaymentOrderLine.objects.count()}

        client = Client()
        client.force_login(User.objects.get(username="demo-shicho"))
        fy = fiscal_year(city["today"])
        year = {"fiscal_year": str(fy)}
        one = {"fiscal_year": str(fy), "month": str(city["today"].month), "section": str(city["sections"][0])}

        def page(params: dict[str, str]) -> Callable[[], None]:
            def call() -> None:
                response = client.get("/dashboard/", params)
                assert response.status_code == 200, response.status_code

            return call

        page({"fiscal_year": str(fy - 3)})()  # the process warmed up (imports, templates) on an empty year
        cold, _, cold_cpu = _timed(page(year), 1)
        result["cold_build_year_s"] = round(cold[0], 2)
        result["cold_build_year_cpu_s"] = round(cold_cpu[0], 2)
        for name, params in (("year", year), ("one_month_one_section", one)):
            page(params)()
            result[name] = _figures(*_timed(page(params), args.requests))
        with override_settings(CITYHALL_DASHBOARD_REFRESH_SECONDS=0):
            result["year_after_refresh_interval"] = _figures(*_timed(page(year), args.requests))
            repeat = max(5, args.requests // 3)
            decide = _decide_one(rollup.month_of(rollup.timezone.now()))
            result["year_after_a_decision"] = {
                **_figures(*_timed(page(year), repeat, before=decide)),
                "requests": repeat,
            }

        def bare() -> None:
            Document.objects.count()
            PostReview.objects.count()
            SavedTime.objects.count()

        result["baseline_bare_counts"] = _figures(*_timed(bare, args.requests))
        result["p95_ratio_vs_baseline"] = round(
            result["year"]["p95_ms"] / max(result["baseline_bare_counts"]["p95_ms"], 0.001), 2
        )
        result["aim"] = "page p95 under 300 ms at 1,000,000 documents; queries per request constant"
        result["load_average_at_end"] = round(os.getloadavg()[0], 2)
        if vendor == "postgresql" and not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(BENCH_DB)
        print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
