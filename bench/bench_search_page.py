"""Benchmark: the document search page at any word frequency (文書検索の応答時間: 稀な語・無い語・多い語).

Builds its own database (SQLite in a temporary directory, or, when
DATABASE_URL points at PostgreSQL, a dedicated database
``cityhall_bench_search_page`` dropped and created afresh), loads the demo city
(``seed_demo``), inserts ``--docs`` documents with their routes in bulk (the
inbox bench's generator; ~10 % confidential) whose title and body are the
synthetic municipal text of :mod:`cityhall.search.corpus` (~400 characters),
plants rare words (鶴 once, 檜原 in 40 documents, 鰻 in 150) and indexes every
document through the search services.

For each query (absent and rare words of 1, 2 and 3+ characters, long
phrases of common 2-grams that occur nowhere such as 「清瀬市総務課長」, very
common words, and two-term queries) it measures, for an ordinary member of
staff (the visibility rule applies) and a document manager (文書主管, none):

- ``first_page``: the page query alone (``search_keys`` with the visibility rule),
- ``count_capped``: the capped count alone (``count_matches(cap=1001)`` with the rule),
- ``page``: the whole selector ``search_page`` (both, plus loading the documents),
- ``http``: ``GET /documents/search/?q=...`` through Django's test client
  (middleware, template),

each ``--repeat`` times after a warm-up, p50/p95 per query and per class.
In the same run the baseline is measured: a sequential scan of the same
index rows (``instr`` / ``strpos``) for the first page and the capped count;
it is also the ground truth, intersected with the documents the user may see:
the first page must be exactly the newest visible matches and an exact count
the number of them (``mismatches`` lists any that are not).

A query that runs longer than ``--guard-s`` is interrupted by the benchmark
itself (only code that does not bound its own queries can get there) and
recorded at that time with ``"interrupted": true``. SQLite is measured without
``ANALYZE`` unless ``--analyze`` (nothing runs it in production, and without
statistics the planner once walked every entry and probed the full-text index
per entry); PostgreSQL is analysed, as autovacuum does. Prints one JSON line.

    python bench/bench_search_page.py --docs 1000000 [--repeat 5] [--staff 300]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/bench_search_page.py --docs 1000000
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._database import drop_database, prepare_database  # noqa: E402  (after the path is set)

BENCH_DB = "cityhall_bench_search_page"
CAP = 1001
#: Rare words planted in the corpus: word -> number of documents.
PLANTED = {"鶴": 1, "檜原": 40, "鰻": 150}
QUERIES: dict[str, list[str]] = {
    "absent_1": ["鰐", "鯱"],
    "absent_2": ["鯨類", "檜山"],
    "absent_3+": ["存在しない語句", "檜原村役場"],
    # Every 2-gram occurs in many documents; the phrase in none.
    "absent_phrase": ["清瀬市総務課長", "総務課長専決", "道路補修工事の入札結果について報告します"],
    "rare_1": ["鶴", "鰻"],
    "rare_2": ["檜原"],
    "rare_3+": ["檜原の鰻", "鰻の蒲焼"],
    "common_1": ["市", "円"],
    "common_2": ["課長", "契約"],
    "common_3+": ["道路補修", "課長専決事項", "清瀬市"],
    "two_terms": ["道路 鶴", "課長 檜原", "契約 予算"],
}


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2)}


class Guard:
    """Interrupts any one query of the benchmark after ``seconds`` (for code that does not bound itself)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __enter__(self) -> Guard:
        from django.db import connection

        connection.ensure_connection()
        if connection.vendor == "sqlite":
            deadline = time.monotonic() + self.seconds
            connection.connection.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
        else:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = %s", [int(self.seconds * 1000)])
        return self

    def __exit__(self, *exc: object) -> None:
        from django.db import connection

        if connection.vendor == "sqlite":
            connection.connection.set_progress_handler(None, 0)
        else:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")


def _timed(func: Callable[[], Any], guard_s: float) -> tuple[float, Any, bool]:
    from django.db import DatabaseError

    started = time.perf_counter()
    try:
        with Guard(guard_s):
            result = func()
    except DatabaseError:
        from django.db import connection

        if connection.in_atomic_block:
            raise
        return time.perf_counter() - started, None, True
    return time.perf_counter() - started, result, False


def _plant(docs: int, seed: int = 11) -> dict[int, str]:
    """Which generated document (by position) gets which planted word appended to its body."""
    rng = random.Random(seed)
    positions = rng.sample(range(docs), sum(PLANTED.values()))
    planted: dict[int, str] = {}
    for word, count in PLANTED.items():
        for _ in range(count):
            planted[positions.pop()] = word
    return planted


def _generator(sections: list[Any], today: Any, docs: int) -> Any:
    from bench.bench_inbox import Generator
    from cityhall.search.corpus import make_item

    planted = _plant(docs)

    class CorpusGenerator(Generator):
        """The inbox bench's documents and routes, with realistic text and some confidential ones."""

        made = 0
        text_rng = random.Random(1)

        def _document(self, section: Any, status: str, days_ago: int, drafter: int) -> tuple[int, dict[str, Any]]:
            pk, values = super()._document(section, status, days_ago, drafter)
            item = make_item(self.text_rng, pk)
            word = planted.get(self.made, "")
            self.made += 1
            values.update(
                title=item.title[:200],
                body=f"{item.body}{'。' + word + 'について。' if word else ''}",
                is_confidential=self.text_rng.random() < 0.1,
            )
            return pk, values

    return CorpusGenerator(sections, today)


def _index_from(first: int, analyze: bool) -> tuple[int, float]:
    from django.db import connection

    from cityhall.documents.indexing import SEARCH_KIND
    from cityhall.documents.models import Document
    from cityhall.search.services import IndexItem, index_new_items

    def items() -> Any:
        last = first - 1
        while True:
            rows = list(
                Document.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", "title", "number_label", "body")[:20_000]
            )
            if not rows:
                return
            for pk, title, label, body in rows:
                yield IndexItem(pk, title, f"{label}\n{body}")
            last = rows[-1][0]

    started = time.perf_counter()
    total = index_new_items(kind=SEARCH_KIND, items=items())
    if analyze or connection.vendor != "sqlite":  # PostgreSQL's autovacuum analyses by itself
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return total, time.perf_counter() - started


def _ground_truth(query: str, visible: set[int] | None) -> list[int]:
    """Keys of matching visible documents, newest index entry first, by a sequential scan."""
    from django.db import connection

    from cityhall.documents.indexing import SEARCH_KIND
    from cityhall.search.text import query_terms

    terms = query_terms(query)
    scan = "instr(text, %s) > 0" if connection.vendor == "sqlite" else "strpos(text, %s) > 0"
    where = " AND ".join([scan] * len(terms))
    with connection.cursor() as cursor:
        sql = f"SELECT key FROM search_entry WHERE kind = %s AND {where} ORDER BY id DESC"
        cursor.execute(sql, [SEARCH_KIND, *terms])
        keys = [row[0] for row in cursor.fetchall()]
    return keys if visible is None else [k for k in keys if k in visible]


def _baseline_scan(query: str) -> tuple[Callable[[], Any], Callable[[], Any]]:
    from django.db import connection

    from cityhall.documents.indexing import SEARCH_KIND
    from cityhall.search.text import query_terms

    terms = query_terms(query)
    scan = "instr(text, %s) > 0" if connection.vendor == "sqlite" else "strpos(text, %s) > 0"
    where = " AND ".join([scan] * len(terms))
    base = f"SELECT key FROM search_entry WHERE kind = %s AND {where}"

    def page() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(f"{base} ORDER BY id DESC LIMIT 21", [SEARCH_KIND, *terms])
            return cursor.fetchall()

    def count() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({base} LIMIT {CAP}) AS hits", [SEARCH_KIND, *terms])
            return cursor.fetchone()

    return page, count


class Viewer:
    """One user's measurements: the pieces of the search page and the page itself."""

    def __init__(self, user: Any, label: str, page_size: int) -> None:
        from django.test import Client

        from cityhall.documents import selectors
        from cityhall.documents.models import Document

        self.user = user
        self.label = label
        self.page_size = page_size
        self.client = Client()
        self.client.force_login(user)
        visible_qs = selectors.visible_documents(user)
        everything = Document.objects.count()
        self.visible: set[int] | None = set(visible_qs.values_list("pk", flat=True))
        if len(self.visible) == everything:
            self.visible = None

    def probes(self, query: str) -> dict[str, Callable[[], Any]]:
        from django.urls import reverse

        from cityhall.documents import selectors
        from cityhall.documents.indexing import SEARCH_KIND
        from cityhall.search.selectors import count_matches, search_keys

        restrict = selectors._restriction(selectors._filtered(self.user, None, None))
        url = reverse("documents:search")

        def http() -> int:
            response = self.client.get(url, {"q": query})
            assert response.status_code == 200, response.status_code
            return len(response.content)

        return {
            "first_page": lambda: search_keys(query, SEARCH_KIND, limit=self.page_size + 1, restrict=restrict),
            "count_capped": lambda: count_matches(query, SEARCH_KIND, cap=CAP, restrict=restrict),
            "page": lambda: selectors.search_page(self.user, query, page_size=self.page_size),
            "http": http,
        }


def _measure_query(viewer: Viewer, query: str, repeat: int, guard_s: float) -> dict[str, Any]:
    truth = _ground_truth(query, viewer.visible)
    out: dict[str, Any] = {"query": query, "hits": len(truth)}
    samples: dict[str, list[float]] = {}
    for name, probe in viewer.probes(query).items():
        elapsed, result, interrupted = _timed(probe, guard_s)  # warm-up
        times = [elapsed]
        if not interrupted:
            times = []
            for _ in range(repeat):
                elapsed, result, interrupted = _timed(probe, guard_s)
                times.append(elapsed)
        samples[name] = times
        out[name] = {**_percentiles(times), **({"interrupted": True} if interrupted else {})}
        if name == "page" and result is not None:
            out["shown"] = _shown(result)
            out["exact"] = _check(result, truth, viewer.page_size)
    out["_samples"] = samples
    return out


def _shown(page: Any) -> str:
    if getattr(page, "many", False):
        return "多数"
    if page.capped:
        return f"{page.count:,}件以上"
    return f"{page.count}件"


def _check(page: Any, truth: list[int], page_size: int) -> bool:
    """The page holds exactly the newest visible matches; the count is exact or an honest lower bound."""
    keys = [d.pk for d in page.items]
    if getattr(page, "many", False) or getattr(page, "incomplete", False):
        return set(keys) <= set(truth) and page.count <= len(truth)
    if keys != truth[:page_size]:
        return False
    if page.capped:
        return len(truth) > 1000 and page.count == 1000
    return page.count == len(truth)


def _classes(results: list[dict[str, Any]]) -> dict[str, Any]:
    by_class: dict[str, dict[str, list[float]]] = {}
    for row in results:
        bucket = by_class.setdefault(row["class"], {})
        for name, times in row.pop("_samples").items():
            bucket.setdefault(name, []).extend(times)
    return {cls: {name: _percentiles(times) for name, times in probes.items()} for cls, probes in by_class.items()}


def _overall(results: list[dict[str, Any]], names: list[str]) -> dict[str, Any]:
    return {name: max(row[name]["p95_ms"] for row in results) for name in names}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--staff", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query (after one warm-up)")
    parser.add_argument("--page-size", type=int, default=50, help="as the search screen (PAGE_SIZE)")
    parser.add_argument("--guard-s", type=float, default=10.0, help="interrupt any one query after this long")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database for inspection")
    parser.add_argument("--var-dir", default="", help="an empty folder for the SQLite file, kept after the run")
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="ANALYZE SQLite before measuring (nothing does in production; the planner then has no statistics)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-search-page-") as scratch:
        tmp = args.var_dir or scratch
        vendor = prepare_database(tmp, BENCH_DB)
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.utils import timezone

        from bench.bench_inbox import _bulk_pragmas, _sections
        from cityhall.accounts.models import User
        from cityhall.documents.defaults import ensure_defaults

        result: dict[str, Any] = {"bench": "search_page", "load_average_at_start": round(os.getloadavg()[0], 2)}
        call_command("migrate", verbosity=0)
        call_command("seed_demo", staff=args.staff, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        ensure_defaults(actor="bench")
        if vendor == "sqlite":
            import sqlite3

            result["database"] = f"sqlite {sqlite3.sqlite_version}"
        else:
            result["database"] = f"postgresql {connection.cursor().connection.info.server_version}"
        today = timezone.localdate()
        sections = _sections(today)
        gen = _generator(sections, today, args.docs)
        first = gen.next_doc  # the demo's own documents are indexed already
        _bulk_pragmas(True)
        started = time.perf_counter()
        generated = gen.general(args.docs)
        result["generation_s"] = round(time.perf_counter() - started, 1)
        indexed, build_s = _index_from(first, args.analyze)
        _bulk_pragmas(False)
        result.update(docs=generated, indexed=indexed, index_build_s=round(build_s, 1))
        result["analyzed"] = args.analyze or vendor != "sqlite"
        result["time_budget_ms"] = getattr(settings, "CITYHALL_SEARCH_TIME_BUDGET_MS", None)

        staff = User.objects.get(pk=sections[-1].staff[0])
        manager_ids = [u.pk for u in User.objects.filter(is_active=True)[:2000] if _is_manager(u)]
        viewers = [Viewer(staff, "staff", args.page_size)]
        if manager_ids:
            viewers.append(Viewer(User.objects.get(pk=manager_ids[0]), "document_manager", args.page_size))
        names = ["first_page", "count_capped", "page", "http"]
        for viewer in viewers:
            rows: list[dict[str, Any]] = []
            for cls, queries in QUERIES.items():
                for query in queries:
                    rows.append({"class": cls, **_measure_query(viewer, query, args.repeat, args.guard_s)})
            baseline_rows = []
            for cls, queries in QUERIES.items():
                for query in queries:
                    page, count = _baseline_scan(query)
                    probes = (("page", page), ("count", count))
                    times = {name: [_timed(fn, args.guard_s)[0] for _ in range(2)] for name, fn in probes}
                    baseline_rows.append({"class": cls, "_samples": times})
            result[viewer.label] = {
                "visible_docs": len(viewer.visible) if viewer.visible is not None else generated,
                "worst_p95_ms": _overall(rows, names),
                "by_class": _classes(rows),
                "baseline_scan_by_class": _classes(baseline_rows),
                "queries": rows,
                "mismatches": [r["query"] for r in rows if r.get("exact") is False],
                "interrupted": [r["query"] for r in rows if any(r[n].get("interrupted") for n in names)],
            }
        worst = max(v for viewer in viewers for v in result[viewer.label]["worst_p95_ms"].values())
        result["page_p95_under_50ms"] = all(result[v.label]["worst_p95_ms"]["page"] <= 50 for v in viewers)
        result["worst_p95_ms_any_probe"] = worst
        result["load_average_at_end"] = round(os.getloadavg()[0], 2)
        ok = not any(result[v.label]["mismatches"] for v in viewers)
        connection.close()
        if vendor == "postgresql" and not args.keep:
            drop_database(BENCH_DB)
    print(json.dumps(result, ensure_ascii=False))
    return 0 if ok else 1


def _is_manager(user: Any) -> bool:
    from cityhall.documents.services._common import is_document_manager

    return bool(is_document_manager(user))


if __name__ == "__main__":
    sys.exit(main())
