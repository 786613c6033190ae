"""Benchmark: carrying out a disposal list of 100,000 records (廃棄の実施), against deleting their files alone.

Builds its own database (SQLite in a temporary directory, or, when DATABASE_URL points at
PostgreSQL, a dedicated database ``cityhall_bench_disposal`` dropped and created afresh): the demo
city's organisation (``seed_demo --skip-apps``) and the documents' defaults. Then, bulk and not
through the services (raw INSERTs like ``bench_finance_orders``), not timed as a figure:
``--records`` (100,000) closed records of one section whose retention ended on 31 March 2021, each
with one attachment file (2 KB) and every other one with a signed PDF (2 KB) in the media folder,
two twin sets of those files (as many, as large, in folders of the same shape) written each in a pass
of its own for the baselines, and every record in the search index
(``indexing.index_new_documents``, the bulk path of the switch-over import). The 文書主管 drafts the
section's list through the service, selects ``--transfers`` (20) records as 歴史公文書, and the list is
submitted and decided through the engine.

Measured in the same run:

- ``carry_out_s``: ``disposal_list_carry_out`` as the worker runs it: the transfer package written,
  then in one transaction every record disposed of (body, attachment rows, signed PDF, search entry,
  one audit entry each, the register row updated) and, after the commit, every file deleted through
  the storage API; ``of_which_file_deletion_s`` is that last part (``delete_pending_files``, timed
  by wrapping it) and ``database_s`` the rest;
- the baseline ``delete_files_s``: deleting a twin set alone through the same storage API
  (``default_storage.delete``), one file after the other, after the carry-out; and
  ``delete_files_threads_s``: the other twin set deleted alone as the carry-out deletes (the same
  number of threads). Files written minutes ago are no longer in the page cache, so deleting them
  waits on the disk, which deleting files just written would not show; each set is written in its
  own pass so deleting one does not bring the other's inodes into the cache;
- ``create_list_s``: the 文書主管 drafting the section's list of all these records (the service);
- checks that every disposed record lost its files and search entry and kept its register row.

The machine's load is printed with the figures: file deletion time depends on the disk's other work.

Prints one JSON line. ``python bench/bench_disposal.py --records 10000`` runs a quick check.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._database import drop_database, prepare_database  # noqa: E402  (after the path is set)
from bench.bench_finance_orders import Table, analyze, bulk_pragmas, database_label  # noqa: E402

BENCH_DB = "cityhall_bench_disposal"
CHUNK = 10_000
ENDED = dt.date(2021, 3, 31)
FILE_BYTES = 2048


def _setup(staff: int) -> tuple[Any, Any, Any]:
    """Migrate, seed the organisation and the documents' defaults; the 文書主管, their section and a drafter."""
    from django.core.management import call_command
    from django.utils import timezone

    from cityhall.documents.defaults import ensure_defaults
    from cityhall.documents.rules import section_of
    from cityhall.org.models import Assignment, Role, RoleGrant

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", staff=staff, skip_apps=True, verbosity=0, stdout=devnull)
    ensure_defaults(actor="bench")
    today = timezone.localdate()
    grant = RoleGrant.objects.on(today).filter(role=Role.DOCUMENT_MANAGER).select_related("user").first()
    assert grant is not None
    section = section_of(grant.user, on=today)
    clerk = Assignment.objects.on(today).filter(unit__parent=section).exclude(user=grant.user).first()
    assert clerk is not None and section is not None
    return grant.user, section, clerk.user


def _file(path: Path, seed: int) -> str:
    data = (b"%PDF-1.4 bench " + str(seed).encode()).ljust(FILE_BYTES, b".")
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def generate(count: int, section: Any, drafter: Any, media: Path) -> list[int]:
    """``count`` closed records past retention with their files, in chunks of raw INSERTs; their ids."""
    from django.db import connection, transaction
    from django.utils import timezone

    from cityhall.documents.models import Attachment, Document, FilePlanClass, MatterKind

    docs, attachments = Table(Document), Table(Attachment)
    kind = MatterKind.objects.get(code="general").pk
    plan = FilePlanClass.objects.get(code="01-02-01").pk
    decided = timezone.make_aware(dt.datetime(2019, 6, 1, 10))
    first = (Document.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    first_attachment = (Attachment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    symbol = f"{section.municipality.symbol}{section.symbol}"
    ids: list[int] = []
    for start in range(0, count, CHUNK):
        doc_rows, file_rows = [], []
        for i in range(start, min(count, start + CHUNK)):
            pk = first + i
            month = f"{1 + i % 12:02d}"
            folder = media / "documents" / "attachments" / "2019" / month
            folder.mkdir(parents=True, exist_ok=True)
            name = f"documents/attachments/2019/{month}/bench-{pk}.pdf"
            sha = _file(media / name, pk)
            signed, signed_sha = "", ""
            if i % 2 == 0:
                (media / "documents" / "signed" / "2019").mkdir(parents=True, exist_ok=True)
                signed = f"documents/signed/2019/bench-{pk}.pdf"
                signed_sha = _file(media / signed, -pk)
            doc_rows.append(docs.row({
                "id": pk, "fiscal_year": 2019, "section_id": section.pk, "number": i + 1, "sub_number": 0,
                "number_label": f"{symbol}第{i + 1}号", "title": f"照会への回答（{i}）について",
                "body": f"照会第{i}号に次のとおり回答する。個人の氏名を含む。", "matter_kind_id": kind,
                "file_plan_class_id": plan, "drafter_id": drafter.pk, "status": "closed", "version": 5,
                "current_round": 1, "drafted_on": dt.date(2019, 5, 28), "submitted_at": decided,
                "decided_at": decided, "closed_on": dt.date(2019, 7, 1), "decision_label": "係長専決",
                "decided_by_id": drafter.pk, "retention_years": 1, "expires_on": ENDED, "expiry_action": "dispose",
                "medium": "electronic", "signed_pdf": signed, "signed_pdf_sha256": signed_sha,
            }))  # fmt: skip
            file_rows.append(attachments.row({
                "id": first_attachment + i, "document_id": pk, "file": name, "name": f"回答書{i}.pdf",
                "content_type": "application/pdf", "size": FILE_BYTES, "sha256": sha,
                "extracted_text": f"回答書 第{i}号", "uploaded_by_id": drafter.pk,
            }))  # fmt: skip
            ids.append(pk)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(docs.sql, doc_rows)
            cursor.executemany(attachments.sql, file_rows)
    _reset_sequences()
    for twin in ("twin-seq", "twin-threads"):
        for i in range(count):
            month = f"{1 + i % 12:02d}"
            (media / twin / "attachments" / month).mkdir(parents=True, exist_ok=True)
            _file(media / twin / "attachments" / month / f"bench-{i}.pdf", i)
            if i % 2 == 0:
                (media / twin / "signed").mkdir(parents=True, exist_ok=True)
                _file(media / twin / "signed" / f"bench-{i}.pdf", -i)
    return ids


def _reset_sequences() -> None:
    from django.core.management.color import no_style
    from django.db import connection

    from cityhall.documents.models import Attachment, Document

    statements = connection.ops.sequence_reset_sql(no_style(), [Document, Attachment])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _decided_list(manager: Any, section: Any, transfers: int, result: dict[str, Any]) -> int:
    """The section's list drafted by the 文書主管, ``transfers`` records chosen as 歴史公文書, decided."""
    from cityhall.documents import services
    from cityhall.documents.models import RouteStep, StepState
    from cityhall.documents.services.disposal import (
        disposal_items_choose,
        disposal_list_create,
        disposal_list_submit,
    )

    started = time.perf_counter()
    listing = disposal_list_create(actor=manager, section=section, due_by=ENDED)
    result["create_list_s"] = round(time.perf_counter() - started, 2)
    signed = listing.disposal_items.exclude(record__signed_pdf="").order_by("pk")  # their sheets are in the package
    items = list(signed.values_list("pk", flat=True)[:transfers])
    listing = disposal_items_choose(
        actor=manager, document=listing, choices=dict.fromkeys(items, "transfer"), expected_version=listing.version
    )
    listing = disposal_list_submit(actor=manager, document=listing, expected_version=listing.version)
    while listing.status == "circulating":
        step = RouteStep.objects.filter(document=listing, round=listing.current_round, state=StepState.PENDING)
        pending = step.order_by("order").first()
        assert pending is not None
        act = services.agree if pending.kind == "consult" else services.approve
        listing = act(actor=pending.assignee, document=listing, expected_version=listing.version)
    assert listing.status == "decided", listing.status
    return int(listing.pk)


def _baseline(media: Path, twin: str, threads: int) -> float:
    """Delete a twin set through the storage API alone (one by one, or by ``threads``); the seconds it took."""
    from concurrent.futures import ThreadPoolExecutor

    from django.core.files.storage import default_storage

    names = [str(path.relative_to(media)) for path in sorted(media.joinpath(twin).rglob("*.pdf"))]
    started = time.perf_counter()
    if threads <= 1:
        for name in names:
            default_storage.delete(name)
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(default_storage.delete, names))
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--transfers", type=int, default=20)
    parser.add_argument("--staff", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-disposal-") as tmp:
        vendor = prepare_database(tmp, BENCH_DB)
        import django

        django.setup()
        from django.conf import settings

        from cityhall.documents.indexing import index_new_documents
        from cityhall.documents.models import Attachment, DisposalList, Document, PendingFileDeletion
        from cityhall.documents.services import disposal_carry_out
        from cityhall.search.models import SearchEntry

        media = Path(settings.MEDIA_ROOT)
        result: dict[str, Any] = {"bench": "disposal", "records": args.records, "transfers": args.transfers}
        started = time.perf_counter()
        manager, section, drafter = _setup(args.staff)
        result["database"] = database_label(vendor)
        bulk_pragmas(True)
        ids = generate(args.records, section, drafter, media)
        index_new_documents(ids)
        bulk_pragmas(False)
        analyze()
        files_before = sum(1 for _ in media.joinpath("documents").rglob("*.pdf"))
        result["deletion_threads"] = disposal_carry_out.DELETE_WORKERS
        result["files"] = files_before
        result["generation_s"] = round(time.perf_counter() - started, 1)
        list_id = _decided_list(manager, section, args.transfers, result)

        deleting = disposal_carry_out.delete_pending_files
        spent = {"files": 0.0}

        def timed_deletion(**kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return deleting(**kwargs)
            finally:
                spent["files"] += time.perf_counter() - started

        disposal_carry_out.delete_pending_files = timed_deletion  # read at call time by the on-commit callback
        result["load_average_at_start"] = round(os.getloadavg()[0], 2)
        started = time.perf_counter()
        done = disposal_carry_out.disposal_list_carry_out(list_id)
        took = time.perf_counter() - started
        left = sum(1 for _ in media.joinpath("documents", "attachments").rglob("*.pdf"))
        left += sum(1 for _ in media.joinpath("documents", "signed").rglob("*.pdf"))
        disposed = Document.objects.filter(pk__in=done.disposed)
        row = DisposalList.objects.get(document_id=list_id)
        checks = {
            "disposed": len(done.disposed),
            "transferred": len(done.transferred),
            "files_deleted": done.files,
            "files_left": left,
            "register_rows_kept": disposed.filter(disposition="disposed", body="").count(),
            "attachment_rows_left": Attachment.objects.filter(document__in=disposed).count(),
            "search_entries_left": SearchEntry.objects.filter(kind="document", key__in=done.disposed).count(),
            "pending_deletions": PendingFileDeletion.objects.count(),
            "package_bytes": row.package_size,
        }
        result |= {
            "carry_out_s": round(took, 2),
            "of_which_file_deletion_s": round(spent["files"], 2),
            "database_s": round(took - spent["files"], 2),
            "records_per_second": round(args.records / took),
            **checks,
        }
        baseline_s = _baseline(media, "twin-seq", 1)
        threads_s = _baseline(media, "twin-threads", disposal_carry_out.DELETE_WORKERS)
        result["delete_files_s"] = round(baseline_s, 2)
        result["delete_files_threads_s"] = round(threads_s, 2)
        result["ratio_carry_out_vs_delete_files"] = round(took / baseline_s, 2)
        result["ratio_carry_out_vs_delete_files_threads"] = round(took / threads_s, 2)
        result["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        result["load_average"] = round(os.getloadavg()[0], 2)
        ok = (
            checks["disposed"] == args.records - args.transfers
            and checks["register_rows_kept"] == checks["disposed"]
            and checks["attachment_rows_left"] == 0
            and checks["search_entries_left"] == 0
            and checks["pending_deletions"] == 0
            and checks["files_left"] == 2 * args.transfers
        )
        result["ok"] = ok
        if vendor == "postgresql":
            from django.db import connections

            connections.close_all()
            drop_database(BENCH_DB)
    print(json.dumps(result, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
