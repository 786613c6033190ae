"""Switch-over imports (移行データの取込): one file of a kind, all rows or none, with a report.

``switchover_start`` keeps the uploaded file and queues the import (screen, API); the worker's
``switchover_run`` reads it, reporting progress per row while reading (outside the transaction, so
the page sees it), lets the kind check the rows against the database and, when no row is refused,
writes them all in one durable transaction with the audit entry of the import. A refused row
refuses the file: nothing is written and the report names every row, field and reason. A dry run
writes inside a transaction that is rolled back, so its report says what a real run would do
(including refusals only the owning app's services find). ``switchover_import_now`` runs the same
synchronously for the command.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from cityhall.automation.einvoice.validation import Reason
from cityhall.automation.models import ImportSource, SwitchoverImport, SwitchoverMapping, SwitchoverStatus
from cityhall.automation.switchover import Row, SwitchoverKind, kind_for
from cityhall.automation.switchover.reading import Layout, read_rows
from cityhall.automation.tabular._table import MAX_BYTES
from cityhall.automation.tabular.errors import FileRejected, MappingInvalid
from cityhall.core.audit import record
from cityhall.core.errors import ApplicationError, ValidationFailed
from cityhall.finance.services._common import require_user

PENDING = "switchover/pending"


class _Undo(Exception):
    """Rolls the import's transaction back (a refused row, or a dry run)."""


def stored_layout(kind: SwitchoverKind) -> Layout:
    """The city's column mapping for ``kind``, or the default one (fields found by their usual headers)."""
    found = SwitchoverMapping.objects.filter(kind=kind.code).values_list("layout", flat=True).first()
    return Layout.from_dict(kind, found) if found else Layout()


def switchover_layout_set(*, actor: Any, kind: str, layout: dict[str, Any]) -> SwitchoverMapping:
    """Keep where ``kind``'s fields are in the city's files (列の設定); checked before it is stored."""
    user = require_user(actor)
    found = kind_for(kind)
    found.authorize(user)
    try:
        checked = Layout.from_dict(found, layout)
    except MappingInvalid as exc:
        raise ValidationFailed(exc.message, field=exc.field) from None
    with transaction.atomic(durable=True):
        mapping, _made = SwitchoverMapping.objects.select_for_update().get_or_create(
            kind=found.code, defaults={"layout": checked.to_dict()}
        )
        before = dict(mapping.layout)
        mapping.layout = checked.to_dict()
        mapping.save(update_fields=["layout", "updated_at"])
        record(actor=user, action="automation.switchover.layout", obj=mapping, before=before, after=mapping.layout)
    return mapping


def _checked_file(name: str, data: bytes) -> None:
    if not data:
        raise ValidationFailed("取り込むファイルを選んでください。", field="file")
    if len(data) > MAX_BYTES:
        raise ValidationFailed(f"{name}: ファイルが大きすぎます（上限 {MAX_BYTES // 1_000_000}MB）。", field="file")


def switchover_start(
    *, actor: Any, kind: str, file_name: str, data: bytes, dry_run: bool = False, source: str = ImportSource.UPLOAD
) -> SwitchoverImport:
    """Keep the file and queue its import; the import's page shows the progress and the report."""
    user = require_user(actor)
    found = kind_for(kind)
    found.authorize(user)
    _checked_file(file_name, data)
    path = default_storage.save(f"{PENDING}/{uuid.uuid4().hex}", ContentFile(data))
    with transaction.atomic(durable=True):
        run = _create(user, found, file_name, data, dry_run, source, pending=path)
        from cityhall.automation.tasks import run_switchover  # the task module imports this one

        transaction.on_commit(lambda: run_switchover.enqueue(run.pk))
    return run


def _create(
    user: Any, kind: SwitchoverKind, file_name: str, data: bytes, dry_run: bool, source: str, pending: str = ""
) -> SwitchoverImport:
    run = SwitchoverImport.objects.create(
        kind=kind.code,
        created_by=user,
        source=source,
        dry_run=dry_run,
        file_name=file_name[:255],
        file_sha256=hashlib.sha256(data).hexdigest(),
        pending=pending,
    )
    after = {"kind": kind.code, "file": run.file_name, "sha256": run.file_sha256, "dry_run": dry_run}
    record(actor=user, action="automation.switchover.start", obj=run, after=after)
    return run


def switchover_import_now(
    *, actor: Any, kind: str, file_name: str, data: bytes, dry_run: bool = False, layout: Layout | None = None
) -> SwitchoverImport:
    """Import a file at once (the command): the same checks and report as a queued import."""
    user = require_user(actor)
    found = kind_for(kind)
    found.authorize(user)
    _checked_file(file_name, data)
    with transaction.atomic(durable=True):
        run = _create(user, found, file_name, data, dry_run, ImportSource.COMMAND)
    _run(run, data, layout)
    run.refresh_from_db()
    return run


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
    _run(run, data, None)


def _run(run: SwitchoverImport, data: bytes, layout: Layout | None) -> None:
    kind = kind_for(run.kind)
    _update(run, status=SwitchoverStatus.READING)
    try:
        kind.authorize(run.created_by)  # the role may have ended since the file was queued
        layout = layout or stored_layout(kind)
        rows = read_rows(kind, data, layout)
    except FileRejected as exc:
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
