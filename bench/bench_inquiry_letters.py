"""Benchmark: a deposit-inquiry batch of 5,000 persons × 30 institutions decided, its letters made (照会書).

``make bench`` runs it once per database: SQLite always, and PostgreSQL when ``DATABASE_URL``
points at a PostgreSQL server (a database of its own there, ``cityhall_bench_inquiry_letters``; see
``bench/_database.py``), each in a process of its own so each peak memory is its own.
``--database sqlite|postgresql`` runs one only.

Each run builds its database: the demo city's organisation and its inquiries demo (demo-nozei of
納税課, 15 institutions), 15 more institutions (so 30, a third answering digitally), ``--persons``
delinquent persons (default 5,000) and the city's signing certificate; then a batch asking every
person of every institution is drafted (not timed). Measured in the same run:

- the decision (決裁) through the approval engine: the deciding transaction numbers and dates the 30
  letters and records the hours saved;
- the files the background task makes after it (``letter_files.letters_generate``): 30 signed PDFs
  (照会書 with the 回答書 listing 5,000 persons each) and the request files (CSV) of the digital
  institutions, stored with their audit entries: seconds and peak memory (``ru_maxrss``);
- the baseline: rendering one letter of 5,000 persons (unsigned), and signing it once; the files'
  time is compared with 30 × (render + sign).

Prints one JSON line: per database the figures.
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

BENCH_DB = "cityhall_bench_inquiry_letters"
PERSONS = 5_000
INSTITUTIONS = 30


def _peak_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _setup(persons: int) -> tuple[Any, Any]:
    """Migrate, seed the organisation and the inquiries demo, more institutions and persons, the certificate."""
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from cityhall.documents.defaults import ensure_defaults
    from cityhall.inquiries.demo import _collector, seed_inquiries
    from cityhall.inquiries.demo.persons import person_input
    from cityhall.inquiries.models import Channel, DelinquentPerson, Institution, InstitutionKind
    from cityhall.inquiries.services.institutions import InstitutionInput, institution_create
    from cityhall.inquiries.services.persons import persons_insert

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", staff=160, skip_apps=True, verbosity=0, stdout=devnull)
        call_command("ensure_city_certificate", stdout=devnull)
    ensure_defaults(actor="bench")  # matter kinds (事案の種類) and the file plan
    day = timezone.localdate()
    seed_inquiries({"today": day})
    found = _collector(day)
    assert found is not None, "the demo has no demo-nozei or 納税課"
    user, section = found
    for n in range(INSTITUTIONS - Institution.objects.count()):
        institution_create(
            actor=user,
            data=InstitutionInput(
                kind=InstitutionKind.OTHER,
                name=f"ベンチ信託株式会社 第{n + 1}",
                address=f"東京都中央区日本橋{n + 1}丁目1番1号",
                channel=Channel.DIGITAL if n % 2 else Channel.PAPER,
            ),
        )
    rng = random.Random(13)
    have = DelinquentPerson.objects.filter(section=section).count()
    with transaction.atomic(durable=True):
        rows = [person_input(n, rng, day) for n in range(have + 1, persons + 1)]
        persons_insert(actor=user, section=section, rows=rows, on=day)
    return user, section


def _draft(user: Any) -> Any:
    from cityhall.inquiries.models import Institution
    from cityhall.inquiries.services.batches import BatchTerms, InstitutionChoice, batch_draft

    return batch_draft(
        actor=user,
        institutions=InstitutionChoice(institution_ids=list(Institution.objects.values_list("pk", flat=True))),
        terms=BatchTerms(purpose="滞納処分のための財産調査", base_date=dt.date.today() - dt.timedelta(days=1)),
    )


def _baseline(batch: Any) -> tuple[float, float, int]:
    """Seconds to render one letter of every person (unsigned) and to sign it; its size."""
    from cityhall.inquiries.letter_pdf import render_letter
    from cityhall.inquiries.models import Letter
    from cityhall.inquiries.services.letter_files import inquiry_letter, persons_asked, persons_of_batch, signed

    letter = Letter.objects.filter(batch=batch, number=1).select_related("institution", "batch__document").get()
    content = inquiry_letter(letter, persons_asked(letter, persons_of_batch(letter.batch)))
    started = time.perf_counter()
    pdf = render_letter(content)
    render = time.perf_counter() - started
    started = time.perf_counter()
    signed(pdf, content)
    return render, time.perf_counter() - started, len(pdf)


def _measure(persons: int) -> dict[str, Any]:
    """One database: set up, draft, decide, make the files, then the baseline (see the module docstring)."""
    with tempfile.TemporaryDirectory(prefix="bench-inquiry-letters-") as tmp:
        vendor = prepare_database(tmp, BENCH_DB)
        import django

        django.setup()
        from cityhall.inquiries.models import Letter, LetterFile
        from cityhall.inquiries.services.letter_files import letters_generate
        from cityhall.testing.engine import decide

        result: dict[str, Any] = {"database": vendor, "persons": persons}
        started = time.perf_counter()
        user, _section = _setup(persons)
        batch = _draft(user)
        result["setup_s"] = round(time.perf_counter() - started, 1)
        result["letters"] = Letter.objects.filter(batch=batch).count()
        before = _peak_mb()
        started = time.perf_counter()
        decide(batch)
        result["decide_s"] = round(time.perf_counter() - started, 2)
        started, cpu = time.perf_counter(), time.process_time()
        made = letters_generate(batch.pk)
        took, took_cpu = time.perf_counter() - started, time.process_time() - cpu
        files = LetterFile.objects.filter(letter__batch=batch)
        render, sign, size = _baseline(batch)
        result |= {
            "letters_made": made,
            "pdf_files": files.filter(kind="letter").count(),
            "csv_files": files.filter(kind="request").count(),
            "files_s": round(took, 2),
            "files_cpu_s": round(took_cpu, 2),
            "seconds_per_letter": round(took / max(made, 1), 2),
            "baseline_render_one_letter_s": round(render, 3),
            "baseline_sign_one_letter_s": round(sign, 3),
            "one_letter_pdf_kb": round(size / 1024),
            "files_vs_30_renders_and_signatures": round(took / (max(made, 1) * (render + sign)), 2),
            "peak_memory_mb": _peak_mb(),
            "peak_memory_before_decision_mb": before,
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
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0 or not lines:
        return {"database": database, "error": done.stderr.strip()[-2000:], "exit": done.returncode}
    figures: dict[str, Any] = json.loads(lines[-1])
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=PERSONS)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), help="one database only")
    args = parser.parse_args()
    if args.database is not None:
        if args.database == "postgresql" and not is_postgresql():
            parser.error("--database postgresql needs DATABASE_URL=postgres://USER@HOST:5432/postgres")
        print(json.dumps(_measure(args.persons), ensure_ascii=False))
        return 0
    result: dict[str, Any] = {"bench": "inquiry_letters", "persons": args.persons, "sqlite": _run("sqlite", args)}
    if is_postgresql():
        result["postgresql"] = _run("postgresql", args)
    else:
        result["postgresql"] = "not measured: run with DATABASE_URL=postgres://USER@HOST:5432/postgres"
    print(json.dumps(result, ensure_ascii=False))
    runs = [r for r in (result["sqlite"], result["postgresql"]) if isinstance(r, dict)]
    return 0 if all("error" not in r for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
