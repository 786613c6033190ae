"""Benchmark: the audit room (監査室) page with the filters an auditor really uses.

Builds its own database (SQLite in a temporary directory, or, when
DATABASE_URL points at PostgreSQL, a dedicated database ``cityhall_bench_audit``
dropped and created afresh), loads the demo city's organisation
(``seed_demo --skip-apps``), then bulk-inserts a valid hash chain of audit
entries by the demo staff over the past year (documents created, approved,
decided, viewed; sign-ins; finance; 1 in 8 from outside the office).

Measured in the same run, in process through Django's test ``Client`` signed
in as demo-kansa (the whole request: form, count, page, labels, links, the
audit entry of the view itself):

- baseline: each query below with ``--baseline-entries`` (10,000) entries;
- then the same queries with ``--entries`` (200,000) entries.

The queries: the first visit (no filter), a person over a month, a section
over a month, every 決裁 in a month, one object's history, part of an
object's name, remote access only, and page 100 of everything. For each:
p50/p95 of the server time and the queries per request; the ratio of p95 at
full size to the baseline. Generation time is reported but is not a figure of
the system. Prints one JSON line.

    python bench/bench_audit_room.py [--entries 200000] [--requests 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._database import drop_database, prepare_database

BENCH_DB = "cityhall_bench_audit"
BATCH = 20_000
ACTIONS = [  # (action, object type, weight)
    ("documents.document.view", "documents.document", 30),
    ("documents.document.create", "documents.document", 10),
    ("documents.document.update", "documents.document", 8),
    ("documents.document.submit", "documents.document", 8),
    ("documents.document.approve", "documents.document", 14),
    ("documents.document.decide", "documents.document", 6),
    ("documents.document.download", "documents.document", 5),
    ("auth.login", "accounts.user", 12),
    ("finance.encumbrance.create", "finance.encumbrance", 3),
    ("finance.payment_order.create", "finance.paymentorder", 3),
    ("notification.read", "notifications.notification", 4),
]
TITLES = ["公用車の修繕について", "消耗品の購入について", "道路補修工事の施行について", "研修会の開催について"]


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2)}


def _staff() -> list[tuple[int, str]]:
    """Every demo member of staff with a primary post: (user id, username)."""
    from cityhall.org.models import Assignment

    rows = Assignment.objects.filter(is_primary=True).values_list("user_id", "user__username").distinct()
    return list(rows)


def _generate(n: int, start_seq: int, prev: str, staff: list[tuple[int, str]], end: dt.datetime) -> str:
    """Append entries ``start_seq`` … ``start_seq + n - 1`` over the year before ``end``; return the last hash."""
    from django.db import connection, transaction

    from cityhall.core.audit.chain import canonical_json, entry_bytes, timestamp_micros

    rng = random.Random(20261205 + start_seq)
    actions = [a for a, _t, w in ACTIONS for _ in range(w)]
    kinds = {a: t for a, t, _w in ACTIONS}
    span = dt.timedelta(days=365) / max(n, 1)
    moment = end - dt.timedelta(days=365)
    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        "INSERT INTO core_auditentry (seq, created_at, actor_id, actor_label, action, object_type, object_id,"
        " object_repr, before, after, source_ip, is_office, prev_hash, entry_hash)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    rows = []
    for seq in range(start_seq, start_seq + n):
        moment += span
        stamp = moment.replace(microsecond=0)
        actor_id, label = rng.choice(staff)
        action = rng.choice(actions)
        object_type = kinds[action]
        object_id = str(rng.randrange(1, 40_000))
        repr_ = f"緑総第{object_id}号 {rng.choice(TITLES)}" if object_type == "documents.document" else label
        after = canonical_json({"status": "circulating", "version": rng.randrange(1, 6)})
        office = rng.randrange(8) != 0
        ip = "" if office else f"203.0.113.{rng.randrange(1, 255)}"
        digest = hashlib.sha256(
            entry_bytes(
                seq,
                timestamp_micros(stamp),
                actor_id,
                label,
                action,
                object_type,
                object_id,
                repr_,
                "",
                after,
                ip,
                office,
                prev,
            )
        ).hexdigest()
        rows.append(
            (
                seq,
                adapt(stamp),
                actor_id,
                label,
                action,
                object_type,
                object_id,
                repr_,
                "",
                after,
                ip,
                office,
                prev,
                digest,
            )
        )
        prev = digest
        if len(rows) == BATCH or seq == start_seq + n - 1:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, rows)
            rows = []
    return prev


def _queries(staff: list[tuple[int, str]], end: dt.date) -> dict[str, dict[str, str]]:
    """The filters an auditor uses, as the page's GET parameters."""
    from cityhall.org.models import OrgUnit, UnitKind

    month_from = (end - dt.timedelta(days=30)).isoformat()
    month = {"date_from": month_from, "date_to": end.isoformat()}
    section = OrgUnit.objects.filter(kind=UnitKind.SECTION).order_by("code")[3]
    return {
        "first_visit": {},
        "person_month": {"person": staff[len(staff) // 2][1], **month},
        "section_month": {"section": str(section.pk), **month},
        "decisions_month": {"action": "documents.document.decide", **month},
        "one_object": {"object_type": "documents.document", "object": "12345"},
        "object_name_part": {"object": "道路補修"},
        "remote_only": {"access": "remote"},
        "page_100": {"page": "100"},
    }


def _matches(html: str) -> int:
    """The count the page shows (「1234 件」)."""
    found = re.search(r'data-testid="result-count">([0-9,]+)', html)
    return int(found.group(1).replace(",", "")) if found else -1


def _measure(client: Any, params: dict[str, str], repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get() -> Any:
        response = client.get("/audit/", params)
        assert response.status_code == 200, (response.status_code, params)
        return response

    get()  # warm-up
    times: list[float] = []
    queries: set[int] = set()
    slowest = {"time": "0", "sql": ""}
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = get()
            times.append(time.perf_counter() - started)
        queries.add(len(captured.captured_queries))
        worst = max(captured.captured_queries, key=lambda q: float(q["time"]))
        if float(worst["time"]) > float(slowest["time"]):
            slowest = worst
    return {
        **_percentiles(times),
        "matches": _matches(response.content.decode()),
        "queries_per_request": sorted(queries),
        "slowest_query": {"ms": round(float(slowest["time"]) * 1000, 2), "sql": slowest["sql"][:240]},
    }


def _measure_all(client: Any, queries: dict[str, dict[str, str]], repeat: int) -> dict[str, Any]:
    return {name: _measure(client, params, repeat) for name, params in queries.items()}


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--baseline-entries", type=int, default=10_000)
    parser.add_argument("--staff", type=int, default=600)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-audit-room-") as tmp:
        vendor = prepare_database(tmp, BENCH_DB)
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client
        from django.utils import timezone

        from cityhall.accounts.models import User
        from cityhall.core.models import AuditEntry

        call_command("migrate", verbosity=0)
        call_command("seed_demo", staff=args.staff, skip_apps=True, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        staff = _staff()
        kansa = User.objects.get(username="demo-kansa")
        client = Client()
        client.force_login(kansa)
        end = timezone.now()
        queries = _queries(staff, timezone.localdate())
        result: dict[str, Any] = {
            "bench": "audit_room",
            "database": vendor,
            "load_average_at_start": round(os.getloadavg()[0], 2),
        }

        head = AuditEntry.objects.order_by("-seq").values_list("seq", "entry_hash").first()
        seq, prev = head if head is not None else (0, "0" * 64)
        started = time.perf_counter()
        prev = _generate(args.baseline_entries, seq + 1, prev, staff, end)
        _analyze()
        result["baseline_entries"] = AuditEntry.objects.count()
        baseline = _measure_all(client, queries, args.requests)

        seq = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        prev = AuditEntry.objects.get(seq=seq).entry_hash
        _generate(args.entries - result["baseline_entries"], seq + 1, prev, staff, end)
        _analyze()
        result["generate_s"] = round(time.perf_counter() - started, 1)
        result["entries"] = AuditEntry.objects.count()
        full = _measure_all(client, queries, args.requests)

        result["baseline"] = baseline
        result["full"] = full
        result["p95_ratio_vs_baseline"] = {
            name: round(full[name]["p95_ms"] / max(baseline[name]["p95_ms"], 0.001), 2) for name in queries
        }
        result["worst_p95_ms"] = max(full[name]["p95_ms"] for name in queries)
        result["aim"] = "every p95 <= 300 ms at 200,000 entries; queries per request constant"
        if vendor == "postgresql":
            from django.db import connections

            connections.close_all()
            drop_database(BENCH_DB)
        print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
