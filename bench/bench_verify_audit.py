"""Benchmark ``verify_audit`` over a million audit entries (監査ログ検証の速度).

Builds a throwaway database (SQLite under ``var/bench/`` by default; or the
database named by ``CITYHALL_BENCH_DATABASE_URL``, whose audit table is
emptied first), bulk-inserts N valid chained entries (not timed), then times:

- ``verify_chain()`` over the whole chain, in entries per second;
- the baseline: SHA-256 over a pre-built list of the exact bytes of the same
  entries, in entries per second (what hashing alone costs in this run).

Prints one JSON line. ``--entries N`` overrides the default of 1,000,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BATCH = 20_000

ACTIONS = [
    ("org.assignment.create", "org.assignment"),
    ("org.assignment.update", "org.assignment"),
    ("documents.document.create", "documents.document"),
    ("approval.step.approve", "approval.step"),
    ("finance.voucher.update", "finance.voucher"),
    ("accounts.user.login", "accounts.user"),
]
SECTIONS = ["税務課", "市民課", "財政課", "総務課", "福祉課", "建設課", "会計課", "情報政策課"]
POSTS = ["主事", "主任", "係長", "課長補佐", "課長"]
NAMES = ["田中 太郎", "佐藤 花子", "鈴木 一郎", "高橋 美咲", "伊藤 健", "渡辺 さくら"]


def _setup_django(workdir: Path) -> None:
    bench_url = os.environ.get("CITYHALL_BENCH_DATABASE_URL", "")
    os.environ.pop("DATABASE_URL", None)
    if bench_url:
        os.environ["DATABASE_URL"] = bench_url
    os.environ["CITYHALL_VAR_DIR"] = str(workdir)
    os.environ["CITYHALL_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityhall.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _payload(rng: random.Random, seq: int, canonical_json: Callable[[Any], str]) -> tuple[str, str, str, str]:
    """A realistic object_repr and before/after JSON for one entry."""
    name, section, post = rng.choice(NAMES), rng.choice(SECTIONS), rng.choice(POSTS)
    state = {
        "id": seq,
        "user_id": rng.randrange(1, 5000),
        "unit": section,
        "post": post,
        "valid_from": "2026-04-01",
        "valid_to": None,
        "is_primary": True,
    }
    after = dict(state, valid_to="2027-03-31", post=rng.choice(POSTS))
    return f"{name} ({section} {post})", str(seq), canonical_json(state), canonical_json(after)


def _generate(n: int, actor_ids: list[int]) -> list[bytes]:
    """Insert n chained entries; return the exact hashed bytes of each (for the baseline)."""
    from django.db import connection, transaction

    from cityhall.core.audit.chain import canonical_json, entry_bytes, timestamp_micros
    from cityhall.core.audit.models import GENESIS_HASH

    rng = random.Random(20260401)
    moment = dt.datetime(2026, 4, 1, 0, 0, tzinfo=dt.UTC)
    prev = GENESIS_HASH
    all_bytes: list[bytes] = []
    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        "INSERT INTO core_auditentry (seq, created_at, actor_id, actor_label, action, object_type, object_id,"
        " object_repr, before, after, source_ip, is_office, prev_hash, entry_hash)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    for start in range(1, n + 1, BATCH):
        rows = []
        for seq in range(start, min(start + BATCH, n + 1)):
            moment += dt.timedelta(microseconds=rng.randrange(1, 3_000_000))
            if seq % 1000 == 0:
                moment = moment.replace(microsecond=0)  # whole seconds are stored differently on SQLite
            actor_id = None if seq % 10 == 0 else rng.choice(actor_ids)
            actor_label = "system" if actor_id is None else f"bench{actor_id}"
            action, object_type = rng.choice(ACTIONS)
            object_repr, object_id, before, after = _payload(rng, seq, canonical_json)
            ip = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            is_office = seq % 7 != 0
            data = entry_bytes(
                seq,
                timestamp_micros(moment),
                actor_id,
                actor_label,
                action,
                object_type,
                object_id,
                object_repr,
                before,
                after,
                ip,
                is_office,
                prev,
            )
            digest = hashlib.sha256(data).hexdigest()
            all_bytes.append(data)
            rows.append(
                (
                    seq,
                    adapt(moment),
                    actor_id,
                    actor_label,
                    action,
                    object_type,
                    object_id,
                    object_repr,
                    before,
                    after,
                    ip,
                    is_office,
                    prev,
                    digest,
                )
            )
            prev = digest
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    return all_bytes


def _actors() -> list[int]:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    return [user_model.objects.get_or_create(username=f"bench{i}")[0].pk for i in range(1, 41)]


def _empty_audit_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE core_auditentry")
        else:
            cursor.execute("DELETE FROM core_auditentry")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the best counts")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite database afterwards")
    args = parser.parse_args()

    (REPO / "var" / "bench").mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="verify-audit-", dir=REPO / "var" / "bench"))
    try:
        _setup_django(workdir)
        from django.db import connection

        from cityhall.core.audit.verify import verify_chain

        _empty_audit_table()
        started = time.perf_counter()
        all_bytes = _generate(args.entries, _actors())
        generate_s = time.perf_counter() - started
        print(f"generated {args.entries} entries in {generate_s:.1f}s on {connection.vendor}", file=sys.stderr)

        # Alternate the two measurements and keep the best of each, so that
        # other load on the machine penalises neither side more than the other.
        sha256 = hashlib.sha256
        verify_s = baseline_s = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            result = verify_chain()
            verify_s = min(verify_s, time.perf_counter() - started)
            if not result.ok or result.checked != args.entries:
                raise SystemExit(f"verification failed: {result}")
            started = time.perf_counter()
            for data in all_bytes:
                sha256(data).hexdigest()
            baseline_s = min(baseline_s, time.perf_counter() - started)

        if connection.vendor == "postgresql":
            _empty_audit_table()
        verify_rate = args.entries / verify_s
        baseline_rate = args.entries / baseline_s
        print(
            json.dumps(
                {
                    "bench": "verify_audit",
                    "database": connection.vendor,
                    "entries": args.entries,
                    "repeat": args.repeat,
                    "mean_entry_bytes": round(sum(map(len, all_bytes)) / len(all_bytes)),
                    "verify_seconds": round(verify_s, 2),
                    "verify_entries_per_s": round(verify_rate),
                    "baseline_hash_entries_per_s": round(baseline_rate),
                    "ratio": round(verify_rate / baseline_rate, 3),
                    "aim": ">= 0.5",
                }
            )
        )
    finally:
        if args.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
