"""Benchmark: 100,000 answer rows of deposit inquiries (預貯金等照会の回答) imported and matched.

``make bench`` runs it once per database: SQLite always, and PostgreSQL when ``DATABASE_URL``
points at a PostgreSQL server (a database of its own there, ``cityhall_bench_inquiry_answers``;
see ``bench/_database.py``), each in a process of its own so each peak memory is its own.
``--database sqlite|postgresql`` runs one only.

Each run builds its database: the demo city's organisation, 納税課's collector (demo-nozei), the
demo institution master (15) and five more institutions, and ``--persons`` delinquent persons
(default 5,000; the demo's 200 and the rest drawn the same way), asked in one batch of every
institution (5,000 × 20 = 100,000 persons asked), its letters marked sent. Then one answer file
per institution is generated in memory, not timed: Shift_JIS CSV, one row per person asked, the
kana in half-width as banks write it, the current address, about a quarter of the rows with an
account and its balance, one row in a thousand about a stranger. Measured in the same run:

- the baseline: parsing the same files with ``core.tables.read_rows`` only (decode, split, read
  every cell), nothing written;
- the import: ``answer_file_import`` of each file as demo-nozei (read, check, match every row by
  kana, birth date and address, insert the answers and assets, audit): rows per second and the
  peak memory of the process (``ru_maxrss``; also before the import).

Prints one JSON line: per database the figures and the ratio of the import to the baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._database import drop_database, is_postgresql, prepare_database  # noqa: E402  (after the path is set)

BENCH_DB = "cityhall_bench_inquiry_answers"
PERSONS = 5_000
EXTRA_INSTITUTIONS = 5
SEED = 2026_1300
HEADER = ("カナ氏名", "生年月日", "住所", "回答", "支店名", "預金種目", "口座番号", "残高", "最終取引日")


def _setup(staff: int, persons: int) -> tuple[Any, Any]:
    """Migrate, seed the organisation and the inquiries' demo, more persons and institutions; a sent batch."""
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from cityhall.accounts.models import User
    from cityhall.documents.defaults import ensure_defaults
    from cityhall.inquiries.demo import COLLECTOR, SECTION, seed_inquiries
    from cityhall.inquiries.demo.persons import person_input
    from cityhall.inquiries.models import Institution, InstitutionKind, Letter, LetterStatus
    from cityhall.inquiries.services.batches import BatchTerms, InstitutionChoice, batch_draft
    from cityhall.inquiries.services.institutions import InstitutionInput, institution_create
    from cityhall.inquiries.services.persons import persons_insert
    from cityhall.org.models import OrgUnit

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", staff=staff, skip_apps=True, verbosity=0, stdout=devnull)
    ensure_defaults(actor="bench")
    day = timezone.localdate()
    seed_inquiries({"today": day})
    user = User.objects.get(username=COLLECTOR)
    section = OrgUnit.objects.filter(name=SECTION).order_by("pk").first()
    assert section is not None, "the demo organisation has 納税課"
    rng = random.Random(SEED)
    with transaction.atomic(durable=True):
        rows = [person_input(n, rng, day) for n in range(201, persons + 1)]
        persons_insert(actor=user, section=section, rows=rows, on=day)
    for n in range(1, EXTRA_INSTITUTIONS + 1):
        data = InstitutionInput(kind=InstitutionKind.OTHER, name=f"ベンチ信託{n}", address="東京都千代田区1-1")
        institution_create(actor=user, data=data)
    batch = batch_draft(
        actor=user,
        institutions=InstitutionChoice(institution_ids=list(Institution.objects.values_list("pk", flat=True))),
        terms=BatchTerms(purpose="滞納処分のための財産調査", base_date=day),
    )
    sent = day - dt.timedelta(days=7)
    Letter.objects.filter(batch=batch).update(status=LetterStatus.SENT, sent_on=sent, reply_deadline=day)
    return user, batch


def _files(batch: Any) -> list[tuple[Any, bytes]]:
    """One Shift_JIS answer file per letter: a row per person asked, a quarter with an account."""
    import csv
    import io

    from cityhall.core.japanese import to_halfwidth_kana
    from cityhall.inquiries.models import InquiryItem, Letter

    rng = random.Random(SEED)
    files = []
    for letter in Letter.objects.filter(batch=batch).select_related("institution").order_by("pk"):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(HEADER)
        people = InquiryItem.objects.filter(letter=letter).values_list(
            "batch_person__kana", "batch_person__birth_date", "batch_person__address"
        )
        for n, (kana, born, address) in enumerate(people.order_by("pk").iterator(chunk_size=5_000)):
            if n % 1000 == 999:
                kana, born = "ﾍﾞﾝﾁ ﾀﾆﾝ", dt.date(1950, 1, 1)  # someone the letter did not ask about
            if rng.random() < 0.25:
                account = [f"支店{rng.randint(1, 99)}", "普通", f"{rng.randint(1, 9_999_999):07d}"]
                account += [str(rng.randint(0, 5_000_000)), f"{rng.randint(2023, 2025)}/0{rng.randint(1, 9)}/15"]
                writer.writerow([to_halfwidth_kana(kana), f"{born:%Y/%m/%d}", address, "有", *account])
            else:
                writer.writerow([to_halfwidth_kana(kana), f"{born:%Y/%m/%d}", address, "無", "", "", "", "", ""])
        files.append((letter, out.getvalue().encode("cp932")))
    return files


def _baseline(files: list[tuple[Any, bytes]]) -> tuple[float, int]:
    """Parse every file with core.tables only: seconds and rows read."""
    from cityhall.core.tables import Layout, read_rows
    from cityhall.inquiries.services._answer_rows import FIELDS

    started = time.perf_counter()
    rows = sum(len(read_rows(FIELDS, data, Layout())) for _letter, data in files)
    return time.perf_counter() - started, rows


def _peak_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _measure(persons: int, staff: int) -> dict[str, Any]:
    """One database: set up, generate, the baseline, then the import (see the module docstring)."""
    with tempfile.TemporaryDirectory(prefix="bench-inquiry-answers-") as tmp:
        vendor = prepare_database(tmp, BENCH_DB)
        import django

        django.setup()
        from cityhall.inquiries.services.answers import answer_file_import

        result: dict[str, Any] = {"database": vendor, "persons": persons}
        started = time.perf_counter()
        user, batch = _setup(staff, persons)
        result["setup_s"] = round(time.perf_counter() - started, 1)
        files = _files(batch)
        result |= {"files": len(files), "file_mb": round(sum(len(d) for _l, d in files) / 1e6, 1)}
        cpu = time.process_time()
        baseline, rows = _baseline(files)
        baseline_cpu = time.process_time() - cpu
        before = _peak_mb()
        counts = {"matched": 0, "unmatched": 0, "ambiguous": 0}
        started, cpu = time.perf_counter(), time.process_time()
        for letter, data in files:
            done = answer_file_import(actor=user, letter=letter, name=f"answer-{letter.pk}.csv", data=data)
            counts = {k: v + getattr(done, k) for k, v in counts.items()}
        took, took_cpu = time.perf_counter() - started, time.process_time() - cpu
        result |= {
            "rows": rows,
            **counts,
            "import_s": round(took, 2),
            "rows_per_second": round(rows / took),
            "baseline_s": round(baseline, 2),
            "baseline_rows_per_second": round(rows / baseline),
            "import_vs_baseline": round(took / baseline, 1),
            "import_cpu_s": round(took_cpu, 2),
            "baseline_cpu_s": round(baseline_cpu, 2),
            "peak_memory_mb": _peak_mb(),
            "peak_memory_before_import_mb": before,
            "load_average": round(os.getloadavg()[0], 2),
        }
        if vendor == "postgresql":
            from django.db import connections

            connections.close_all()
            drop_database(BENCH_DB)
    return result


def _run(database: str, args: argparse.Namespace) -> dict[str, Any]:
    """The bench on one database, in a process of its own (its own Django settings and peak memory)."""
    env = dict(os.environ)
    if database == "sqlite":
        env.pop("DATABASE_URL", None)
    command = [sys.executable, __file__, "--database", database, "--persons", str(args.persons)]
    command += ["--staff", str(args.staff)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0 or not lines:
        return {"database": database, "error": done.stderr.strip()[-2000:], "exit": done.returncode}
    figures: dict[str, Any] = json.loads(lines[-1])
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=PERSONS)
    parser.add_argument("--staff", type=int, default=200)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), help="one database only")
    args = parser.parse_args()
    if args.database is not None:
        if args.database == "postgresql" and not is_postgresql():
            parser.error("--database postgresql needs DATABASE_URL=postgres://USER@HOST:5432/postgres")
        print(json.dumps(_measure(args.persons, args.staff), ensure_ascii=False))
        return 0
    result: dict[str, Any] = {"bench": "inquiry_answers", "persons": args.persons, "sqlite": _run("sqlite", args)}
    if is_postgresql():
        result["postgresql"] = _run("postgresql", args)
    else:
        result["postgresql"] = "not measured: run with DATABASE_URL=postgres://USER@HOST:5432/postgres"
    print(json.dumps(result, ensure_ascii=False))
    runs = [r for r in (result["sqlite"], result["postgresql"]) if isinstance(r, dict)]
    return 0 if all("error" not in r for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
