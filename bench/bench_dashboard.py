"""Benchmark: the DX dashboard page (DXダッシュボード) with 1,000,000 documents in the register.

Builds its own database (SQLite in a temporary directory, or, when DATABASE_URL points at
PostgreSQL, a dedicated database ``cityhall_bench_dashboard`` dropped and created afresh): the demo
city's organisation (``seed_demo --skip-apps``) and the default kinds of matter; then, not timed as
a figure of the system, ``--documents`` (1,000,000) documents written by raw INSERTs (like
``bench_finance_orders``' generator): a year of decisions of every section and kind of matter
(electronic and paper, a fifth of them payment orders and encumbrances of finance as typed
documents, durations from an hour to two months), some still in circulation, one attachment row
per tenth document, open 後閲 and a year of the savings ledger. The dashboard reads no finance
table: finance's year counts here as its documents in the register.

Measured in the same run, in process through Django's test ``Client`` signed in as the mayor
(demo-shicho, role 幹部):

- ``cold``: the first page of the year, which builds the twelve months' rollups;
- ``page``: the page again (``--requests`` times), the whole year and one month of one section:
  p50/p95 and queries per request;
- the baseline: a bare ``COUNT(*)`` over the same tables (documents, post-reviews, ledger).

Prints one JSON line. ``python bench/bench_dashboard.py --documents 100000`` runs a quick check.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._database import drop_database, prepare_database  # noqa: E402
from bench.bench_finance_orders import Table, analyze, bulk_pragmas, percentiles  # noqa: E402

BENCH_DB = "cityhall_bench_dashboard"
CHUNK = 20_000
DOC_TYPES = ["", "", "", "", "", "", "", "finance.payment_order", "finance.encumbrance", ""]


def _city() -> dict[str, Any]:
    from django.utils import timezone

    from cityhall.documents.models import MatterKind
    from cityhall.org.models import Assignment, OrgUnit, UnitKind

    today = timezone.localdate()
    sections = list(OrgUnit.objects.filter(kind=UnitKind.SECTION).values_list("pk", flat=True))
    drafters = list(Assignment.objects.on(today).filter(is_primary=True).values_list("user_id", flat=True)[:200])
    return {
        "today": today,
        "sections": sections,
        "drafters": drafters,
        "kinds": list(MatterKind.objects.values_list("pk", flat=True)),
    }


def generate(count: int, city: dict[str, Any], seed: int = 7) -> None:
    """``count`` documents over the year before today, in chunks of raw INSERTs, with attachments and 後閲."""
    from django.db import connection, transaction
    from django.utils import timezone

    from cityhall.core.japanese import fiscal_year
    from cityhall.documents.models import Attachment, Document, PostReview, RouteStep
    from cityhall.savings.models import SavedTime

    rng = random.Random(seed)
    docs, attachments = Table(Document), Table(Attachment)
    start = timezone.make_aware(dt.datetime.combine(city["today"] - dt.timedelta(days=365), dt.time(9)))
    numbers: dict[tuple[int, int], int] = {}
    next_id = (Document.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    reviews: list[int] = []
    with connection.cursor() as cursor:
        done = 0
        while done < count:
            rows, files = [], []
            for _ in range(min(CHUNK, count - done)):
                submitted = start + dt.timedelta(minutes=rng.randrange(365 * 24 * 60))
                decided = submitted + dt.timedelta(hours=rng.choice([1, 3, 8, 20, 30, 50, 80, 120, 200, 400, 1400]))
                circulating = decided > timezone.now() or rng.random() < 0.05
                section = rng.choice(city["sections"])
                fy = fiscal_year(submitted)
                numbers[(section, fy)] = numbers.get((section, fy), 0) + 1
                paper = rng.random() < 0.15
                rows.append(docs.row({
                    "id": next_id, "fiscal_year": fy, "section_id": section, "number": numbers[(section, fy)],
                    "number_label": f"緑第{numbers[(section, fy)]}号", "title": "決裁の件",
                    "matter_kind_id": rng.choice(city["kinds"]), "drafter_id": rng.choice(city["drafters"]),
                    "status": "circulating" if circulating else "decided", "doc_type": rng.choice(DOC_TYPES),
                    "drafted_on": submitted.date(), "submitted_at": submitted,
                    "decided_at": None if circulating else decided, "medium": "paper" if paper else "electronic",
                    "paper_reason": "原本が紙のため" if paper else "", "is_confidential": rng.random() < 0.02,
                }))  # fmt: skip
                if next_id % 10 == 0:
                    files.append(attachments.row({
                        "document_id": next_id, "file": "x.pdf", "name": "x.pdf", "content_type": "application/pdf",
                        "size": 1000, "sha256": "0" * 64, "uploaded_by_id": city["drafters"][0],
                    }))  # fmt: skip
                if next_id % 2000 == 0 and not circulating:
                    reviews.append(next_id)
                next_id += 1
            with transaction.atomic():
                cursor.executemany(docs.sql, rows)
                if files:
                    cursor.executemany(attachments.sql, files)
            done += len(rows)
    for pk in reviews:  # an open 後閲 needs its route step
        step = RouteStep.objects.create(
            document_id=pk, round=1, order=1, stage=1, kind="review", state="skipped",
            acted_at=timezone.now(), assignee_id=city["drafters"][1],
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


def _timed(call: Any, repeat: int) -> tuple[list[float], set[int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], set()
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        queries.add(len(captured.captured_queries))
    return times, queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--staff", type=int, default=600)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as tmp:
        vendor = prepare_database(tmp, BENCH_DB)
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        from cityhall.accounts.models import User
        from cityhall.core.japanese import fiscal_year
        from cityhall.documents.defaults import ensure_defaults
        from cityhall.documents.models import Document, PostReview
        from cityhall.savings.models import SavedTime

        call_command("migrate", verbosity=0)
        call_command("seed_demo", staff=args.staff, skip_apps=True, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        ensure_defaults(actor="bench")
        city = _city()
        result: dict[str, Any] = {
            "bench": "dashboard",
            "database": vendor,
            "load_average_at_start": round(os.getloadavg()[0], 2),
        }
        started = time.perf_counter()
        bulk_pragmas(True)
        generate(args.documents, city)
        bulk_pragmas(False)
        analyze()
        result["generate_s"] = round(time.perf_counter() - started, 1)
        result["documents"] = Document.objects.count()

        client = Client()
        client.force_login(User.objects.get(username="demo-shicho"))
        fy = fiscal_year(city["today"])
        year = {"fiscal_year": str(fy)}
        one = {"fiscal_year": str(fy), "month": str(city["today"].month), "section": str(city["sections"][0])}

        def page(params: dict[str, str]) -> Any:
            def call() -> None:
                response = client.get("/dashboard/", params)
                assert response.status_code == 200, response.status_code

            return call

        cold, _ = _timed(page(year), 1)
        result["cold_build_year_s"] = round(cold[0], 2)
        for name, params in (("year", year), ("one_month_one_section", one)):
            page(params)()
            times, queries = _timed(page(params), args.requests)
            result[name] = {**percentiles(times), "queries_per_request": sorted(queries)}

        def bare() -> None:
            Document.objects.count()
            PostReview.objects.count()
            SavedTime.objects.count()

        times, _ = _timed(bare, args.requests)
        result["baseline_bare_counts"] = percentiles(times)
        result["p95_ratio_vs_baseline"] = round(
            result["year"]["p95_ms"] / max(result["baseline_bare_counts"]["p95_ms"], 0.001), 2
        )
        result["aim"] = "page p95 under 300 ms at 1,000,000 documents; queries per request constant"
        if vendor == "postgresql":
            from django.db import connections

            connections.close_all()
            drop_database(BENCH_DB)
        print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
