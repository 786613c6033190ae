"""Switch-over imports (移行データの取込): one file of a kind, all rows or none, with a report.

``switchover_start`` keeps the uploaded file and queues the import (screen, API); the worker runs it
(``switchover_runs``). ``switchover_import_now`` runs the same at once for the command. A refused row
refuses the file: nothing is written and the report names every row, field and reason; a dry run
writes inside a transaction that is rolled back, so its report says what a real run would do
(including refusals only the owning app's services find). ``switchover_layout_set`` keeps a kind's
column mapping.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from cityhall.automation.models import ImportSource, SwitchoverImport, SwitchoverMapping
from cityhall.automation.services.switchover_runs import run_file
from cityhall.automation.services.tasks import run_switchover
from cityhall.automation.switchover import SwitchoverKind, kind_for
from cityhall.core.audit import record
from cityhall.core.errors import ValidationFailed
from cityhall.core.tables import MAX_BYTES, Layout, LayoutInvalid
from cityhall.finance.services import require_user

PENDING = "switchover/pending"


def switchover_layout_set(*, actor: Any, kind: str, layout: dict[str, Any]) -> SwitchoverMapping:
    """Keep where ``kind``'s fields are in the city's files (列の設定); checked before it is stored."""
    user = require_user(actor)
    found = kind_for(kind)
    found.authorize(user)
    try:
        checked = Layout.from_dict(layout, fields=found.fields, label=found.label)
    except LayoutInvalid as exc:
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
    *,
    actor: Any,
    kind: str,
    file_name: str,
    data: bytes,
    dry_run: bool = False,
    layout: Layout | None = None,
    source: str = ImportSource.COMMAND,
) -> SwitchoverImport:
    """Import a file at once (the command, the API): the same checks and report as a queued import."""
    user = require_user(actor)
    found = kind_for(kind)
    found.authorize(user)
    _checked_file(file_name, data)
    with transaction.atomic(durable=True):
        run = _create(user, found, file_name, data, dry_run, source)
    run_file(run, data, layout)
    run.refresh_from_db()
    return run
