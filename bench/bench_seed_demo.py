"""Benchmark ``seed_demo --staff 5000`` (デモ市投入の速度とメモリ).

Builds a throwaway SQLite database in a temporary directory (development
profile, so the demo password is hashed with the real PBKDF2 hasher), then
times, in the same run:

- the baseline: ``bulk_create`` of N bare users (user name and an unusable
  password) in one transaction, i.e. the cheapest way to put N staff rows in;
- ``call_command("seed_demo", staff=N)``: units, N users, their assignments,
  absences, role grants and the one audit entry;
- a second ``seed_demo`` run, which must write nothing.

Prints one JSON line with seconds, the ratio to the baseline and the peak
resident memory (ru_maxrss). ``--staff N`` overrides the default of 5000.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: KiB


def _setup_django(workdir: Path) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["CITYHALL_VAR_DIR"] = str(workdir)
    os.environ["CITYHALL_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityhall.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _baseline(staff: int) -> float:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from cityhall.accounts.models import User

    unusable = make_password(None)
    started = time.perf_counter()
    with transaction.atomic():
        User.objects.bulk_create(
            [User(username=f"baseline{i}", password=unusable) for i in range(staff)], batch_size=1000
        )
    seconds = time.perf_counter() - started
    User.objects.filter(username__startswith="baseline").delete()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--staff", type=int, default=5000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="cityhall-bench-seed-"))
    try:
        _setup_django(workdir)
        from io import StringIO

        from django.core.management import call_command

        from cityhall.core.models import AuditEntry
        from cityhall.org.models import Assignment, OrgUnit, RoleGrant

        baseline = _baseline(args.staff)
        rss_before = _peak_rss_mb()
        started = time.perf_counter()
        call_command("seed_demo", staff=args.staff, stdout=StringIO())
        seconds = time.perf_counter() - started
        peak = _peak_rss_mb()
        audit_before = AuditEntry.objects.count()
        started = time.perf_counter()
        call_command("seed_demo", staff=args.staff, stdout=StringIO())
        second = time.perf_counter() - started
        result = {
            "bench": "seed_demo",
            "staff": args.staff,
            "seconds": round(seconds, 3),
            "peak_rss_mb": peak,
            "peak_rss_mb_before_seed": rss_before,
            "baseline": {"what": f"bulk_create of {args.staff} bare users", "seconds": round(baseline, 3)},
            "ratio_to_baseline": round(seconds / baseline, 1) if baseline else None,
            "second_run_seconds": round(second, 3),
            "second_run_new_audit_entries": AuditEntry.objects.count() - audit_before,
            "rows": {
                "units": OrgUnit.objects.count(),
                "assignments": Assignment.objects.count(),
                "role_grants": RoleGrant.objects.count(),
                "audit_entries": AuditEntry.objects.count(),
            },
            "database": "sqlite",
        }
        print(json.dumps(result, ensure_ascii=False))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
