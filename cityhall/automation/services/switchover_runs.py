"""The running side of a switch-over import (移行データの取込の実行): read, check, write all or nothing.

``switchover_run`` (the worker's task) and ``run_file`` (the command, synchronously) read the file,
reporting progress while reading (outside the transaction, so the page sees it), let the kind check
the rows against the database and, when no row is refused, write them all in one durable transaction
with the audit entry of the import. A refused row refuses the file: nothing is written and the report
names every row, field and reason. A dry run writes inside a transaction that is rolled back.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from cityhall.automation.models import SwitchoverImport, SwitchoverMapping, SwitchoverStatus
from cityhall.automation.switchover import SwitchoverKind, kind_for
from cityhall.core.audit import record
from cityhall.core.errors import ApplicationError
from cityhall.core.tables import Layout, Reason, Row, TableRejected, read_rows


class _Undo(Exception):
    """Rolls the import's transaction back (a refused row, or a dry run)."""


def stored_layout(kind: SwitchoverKind) -> Layout:
    """The city's column mapping for ``kind``, or the default one (fields found by their usual headers)."""
    found = SwitchoverMapping.objects.filter(kind=kind.code).values_list("layout", flat=True).first()
    return Layout.from_dict(found, fields=kind.fields, label=kind.label) if found else Layout()


def switchover_run(run_id: int) -> None:
    """Import a queued file as its creator; the status, progress and report are stored."""
    run = (
        SwitchoverImport.objects.select_related("created_by").filter(pk=run_id, status=SwitchoverStatus.QUEUED).first()
    )
    if run is None:
        return  # already run, or unknown: a task delivered twice does nothing
    try:
        with default_storage.open(run.pending) as stored:
            data = stored.read()
    except FileNotFoundError:
        _finish(
            run,
            status=SwitchoverStatus.FAILED,
            error="受け付けたファイルが見つかりません。もう一度取り込んでください。",
        )
        return
    run_file(run, data, None)


def run_file(run: SwitchoverImport, data: bytes, layout: Layout | None) -> None:
    """Read, check and (when no row is refused) write ``data`` as ``run``; its report is stored."""
    kind = kind_for(run.kind)
    _update(run, status=SwitchoverStatus.READING)
    try:
        kind.authorize(run.created_by)  # the role may have ended since the file was queued
        layout = layout or stored_layout(kind)
        rows = read_rows(kind.fields, data, layout)
    except TableRejected as exc:
        _done(run, layout or Layout(), [], [Reason(exc.field, exc.message)])
        return
    except ApplicationError as exc:
        _finish(run, status=SwitchoverStatus.FAILED, error=exc.message[:500])
        return
    _update(run, total=len(rows), processed=len(rows))
    kind.check(run.created_by, rows)
    if not any(row.reasons for row in rows):
        _update(run, status=SwitchoverStatus.WRITING)
        _write(run, kind, rows)
    _done(run, layout, rows, [])


def _write(run: SwitchoverImport, kind: SwitchoverKind, rows: list[Row]) -> None:
    """Write every row in one transaction; roll back when a row is refused or on a dry run."""
    try:
        with transaction.atomic(durable=True):
            kind.write(run.created_by, rows)
            if any(row.reasons for row in rows):
                raise _Undo
            record(
                actor=run.created_by,
                action="automation.switchover.import",
                obj=run,
                after={"kind": kind.code, "file": run.file_name, "sha256": run.file_sha256, "rows": len(rows)},
            )
            run.written = True
            if run.dry_run:
                raise _Undo
    except _Undo:
        pass


def _done(run: SwitchoverImport, layout: Layout, rows: list[Row], file_reasons: list[Reason]) -> None:
    refused = sum(1 for row in rows if row.reasons)
    written = run.written and not run.dry_run
    report = {
        "kind": run.kind,
        "file": run.file_name,
        "dry_run": run.dry_run,
        "written": written,
        "would_write": not refused and not file_reasons,
        "reasons": [{"field": r.field, "message": r.message} for r in file_reasons],
        "rows": [
            {
                "row": row.number,
                "accepted": not row.reasons,
                "reasons": [{"field": r.field, "message": r.message} for r in row.reasons],
                "created": row.created,
            }
            for row in rows
        ],
    }
    _finish(
        run,
        status=SwitchoverStatus.DONE,
        processed=len(rows),
        total=len(rows),
        accepted=len(rows) - refused,
        rejected=refused,
        written=written,
        layout=layout.to_dict(),
        report=report,
    )


def _update(run: SwitchoverImport, **fields: object) -> None:
    SwitchoverImport.objects.filter(pk=run.pk).update(**fields)


def _finish(run: SwitchoverImport, **fields: object) -> None:
    _update(run, finished_at=timezone.now(), pending="", **fields)
    if run.pending:
        default_storage.delete(run.pending)
