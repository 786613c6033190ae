"""Benchmark: exact Japanese full-text search over many generated documents.

Builds its own database (SQLite in a temporary directory, or, when
DATABASE_URL points at PostgreSQL, a dedicated database ``cityhall_bench_search``
on that server, dropped and created afresh), indexes ``--docs`` generated
municipal documents (~400 characters each) through the search services, then
for queries of 1, 2 and 3+ characters measures p50/p95 latency of the first
page of 20 results and, separately, of the exact count. In the same run a
sequential scan (``instr`` on SQLite, ``strpos`` on PostgreSQL) over the same
rows is measured as the baseline and serves as ground truth: recall and
precision of the index must be 1.0. Prints one JSON line.

    python bench/bench_search.py [--docs 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._database import database_name, drop_database  # noqa: E402  (after the path is set)

BENCH_DB = "cityhall_bench_search"
KIND = "bench"
NO_BUDGET_MS = 10_000
FIXED_QUERIES = {
    1: ["市", "課", "の", "円", "契", "ﾊ", "無", "𠮷", "a", "1"],
    2: ["決裁", "課長", "予算", "道路", "契約", "専決", "起案", "ああ", "ab", "清瀬"],
    3: [
        "清瀬市",
        "道路補修",
        "清瀬市総務課長",
        "令和8年度",
        "契約金額は金",
        "株式会社清瀬建設",
        "ああああ",
        "kiyose-13",
        "道路補修工事の契約について",
        "存在しない語句",
    ],
}


def _prepare_database(tmp: str) -> str:
    os.environ["CITYHALL_VAR_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityhall.settings")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        os.environ.pop("DATABASE_URL", None)
        return "sqlite"
    import psycopg

    base, name = url.rpartition("/")[0], database_name(BENCH_DB, url)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = f"{base}/{name}"
    return "postgresql"


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2)}


def _timed(func: Any, *args: Any, **kwargs: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each query (after one warm-up)")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database for inspection")
    parser.add_argument("--random-queries", type=int, default=10, help="random substrings per length class")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        vendor = _prepare_database(tmp)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from cityhall.search.corpus import generate
        from cityhall.search.selectors import count_matches, matching_keys_sql, search_keys
        from cityhall.search.services import IndexItem, index_new_items, item_text
        from cityhall.search.text import query_terms

        call_command("migrate", verbosity=0)
        rng = random.Random(42)
        samples: list[str] = []

        def items() -> Any:
            for item in generate(args.docs, seed=1):
                if len(samples) < 2000 and rng.random() < 0.01:
                    samples.append(item_text(item.title, item.body, item.extra_text))
                yield IndexItem(item.key, item.title, item.body, item.extra_text)

        build_s, indexed = _timed(index_new_items, kind=KIND, items=items())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        queries = {length: list(qs) for length, qs in FIXED_QUERIES.items()}
        for length, lengths in ((1, [1]), (2, [2]), (3, [3, 4, 5, 6, 8, 10])):
            for _ in range(args.random_queries):
                text = rng.choice(samples)
                size = rng.choice(lengths)
                start = rng.randrange(0, max(1, len(text) - size))
                term = text[start : start + size]
                if term.strip() == term and " " not in term and term:
                    queries[length].append(term)

        scan_fn = "instr(text, %s) > 0" if vendor == "sqlite" else "strpos(text, %s) > 0"

        def scan_all(term: str) -> list[int]:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT key FROM search_entry WHERE kind = %s AND {scan_fn}", [KIND, term])
                return [row[0] for row in cursor.fetchall()]

        def scan_page(term: str) -> list[int]:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT key FROM search_entry WHERE kind = %s AND {scan_fn} ORDER BY id DESC LIMIT 20",
                    [KIND, term],
                )
                return [row[0] for row in cursor.fetchall()]

        def index_all(query: str) -> list[int]:
            sql, params = matching_keys_sql(query, KIND)
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return [row[0] for row in cursor.fetchall()]

        result: dict[str, Any] = {
            "bench": "search",
            "docs": indexed,
            "avg_chars": round(statistics.mean(len(s) for s in samples), 1) if samples else 0,
            "index_build_s": round(build_s, 1),
        }
        if vendor == "sqlite":
            import sqlite3

            result["database"] = f"sqlite {sqlite3.sqlite_version}"
        else:
            result["database"] = f"postgresql {connection.cursor().connection.info.server_version}"

        true_positives = returned = relevant = 0
        mismatches: list[str] = []
        per_length: dict[str, Any] = {}
        for length, qs in queries.items():
            page_t: list[float] = []
            count_t: list[float] = []
            capped_t: list[float] = []
            scan_page_t: list[float] = []
            scan_count_t: list[float] = []
            hits: list[int] = []
            for query in qs:
                (term,) = query_terms(query)
                search_keys(query, KIND, limit=20)  # warm-up
                for _ in range(args.repeat):
                    elapsed, page = _timed(search_keys, query, KIND, limit=20)
                    page_t.append(elapsed)
                    # The exact count of every hit, beyond the page's time budget (this measures the index).
                    elapsed, count = _timed(count_matches, query, KIND, budget_ms=NO_BUDGET_MS)
                    count_t.append(elapsed)
                    elapsed, _capped = _timed(count_matches, query, KIND, cap=1000, budget_ms=NO_BUDGET_MS)
                    capped_t.append(elapsed)
                elapsed, truth = _timed(scan_all, term)
                scan_count_t.append(elapsed)
                elapsed, truth_page = _timed(scan_page, term)
                scan_page_t.append(elapsed)
                got = index_all(query)
                true_positives += len(set(got) & set(truth))
                returned += len(got)
                relevant += len(truth)
                if set(got) != set(truth) or len(got) != len(truth) or count != len(truth) or page != truth_page:
                    mismatches.append(query)
                hits.append(len(truth))
            per_length[f"{length}{'+' if length == 3 else ''}_chars"] = {
                "queries": len(qs),
                "hits_min": min(hits),
                "hits_max": max(hits),
                "first_page": _percentiles(page_t),
                "count": _percentiles(count_t),
                "count_capped_1000": _percentiles(capped_t),
                "baseline_scan_first_page": _percentiles(scan_page_t),
                "baseline_scan_count": _percentiles(scan_count_t),
            }
        result["queries"] = per_length
        result["recall"] = round(true_positives / relevant, 6) if relevant else 1.0
        result["precision"] = round(true_positives / returned, 6) if returned else 1.0
        result["mismatches"] = mismatches
        exact = not mismatches
        connection.close()
        if vendor == "postgresql" and not args.keep:
            drop_database(BENCH_DB)
    print(json.dumps(result, ensure_ascii=False))
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
