"""Imports run in the background for the screen (取込の受付), with progress the page can poll.

``import_start`` keeps the uploaded files in storage and queues the job on commit; the worker's
``job_runs.run_import_job`` reads them, reports progress per file while reading (outside the import's
transaction, so the page sees it), imports them as one unit and stores the report. A job that fails
keeps its reason; the files are removed from storage once the job has ended.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from cityhall.automation.models import ImportJob, SupplierMapping
from cityhall.automation.services.imports import MAX_FILE_BYTES, MAX_FILES, InvoiceFile
from cityhall.automation.services.tasks import run_import_job
from cityhall.core.audit import record
from cityhall.core.errors import ValidationFailed
from cityhall.finance.services import require_user

PENDING = "imports/pending"


def _check(files: Sequence[InvoiceFile]) -> None:
    if not files:
        raise ValidationFailed("取り込む請求書ファイルを選んでください。", field="files")
    if len(files) > MAX_FILES:
        raise ValidationFailed(f"一度に取り込めるのは{MAX_FILES:,}件までです。", field="files")
    for file in files:
        if len(file.data) > MAX_FILE_BYTES:
            raise ValidationFailed(
                f"{file.name}: ファイルが大きすぎます（上限 {MAX_FILE_BYTES // 1_000_000}MB）。", field="files"
            )


def import_start(
    *, actor: object, files: Sequence[InvoiceFile], dry_run: bool = False, mapping: SupplierMapping | None = None
) -> ImportJob:
    """Keep the files and queue their import; the job's page shows the progress and the report."""
    user = require_user(actor)
    _check(files)
    folder = f"{PENDING}/{uuid.uuid4().hex}"
    stored = [
        {"name": f.name[:255], "path": default_storage.save(f"{folder}/{n:06d}", ContentFile(f.data))}
        for n, f in enumerate(files)
    ]
    with transaction.atomic(durable=True):
        job = ImportJob.objects.create(
            created_by=user, dry_run=dry_run, total=len(files), files=stored, mapping=mapping
        )
        record(actor=user, action="automation.job.start", obj=job, after={"files": len(files), "dry_run": dry_run})
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job
