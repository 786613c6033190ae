"""Imports run in the background for the screen (取込の受付と実行), with progress the page can poll.

``import_start`` keeps the uploaded files in storage and queues the job on commit; the worker's
``run_import_job`` reads them, reports progress per file while reading (outside the import's
transaction, so the page sees it), imports them as one unit and stores the report. A job that fails
keeps its reason; the files are removed from storage once the job has ended.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from cityhall.automation.models import ImportJob, ImportSource, JobStatus, SupplierMapping
from cityhall.automation.services.imports import MAX_FILE_BYTES, MAX_FILES, InvoiceFile, import_invoices
from cityhall.core.audit import record
from cityhall.core.errors import ApplicationError, ValidationFailed
from cityhall.finance.services._common import require_user

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
        from cityhall.automation.tasks import run_import_job  # the task module imports this one

        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def _progress(job_id: int) -> object:
    def report(done: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed=done)

    return report


def _finish(job: ImportJob, **fields: object) -> None:
    ImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now(), **fields)
    for entry in job.files:
        default_storage.delete(entry["path"])


def run_import_job(job_id: int) -> None:
    """Import a queued job's files as its creator; its status, progress and report are stored."""
    job = (
        ImportJob.objects.select_related("created_by", "mapping__creditor")
        .filter(pk=job_id, status=JobStatus.QUEUED)
        .first()
    )
    if job is None:
        return  # already run, or unknown: a task delivered twice does nothing
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.READING)
    try:
        files = [InvoiceFile(e["name"], default_storage.open(e["path"]).read()) for e in job.files]
        report = import_invoices(
            actor=job.created_by,
            files=files,
            source=ImportSource.UPLOAD,
            dry_run=job.dry_run,
            progress=_progress(job.pk),  # type: ignore[arg-type]
            on_create=lambda: ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.CREATING),
            mapping=job.mapping,
        )
    except ApplicationError as exc:
        _finish(job, status=JobStatus.FAILED, error=exc.message[:500])
        return
    body = report.as_json() | {"accepted": report.accepted, "rejected": report.rejected}
    _finish(job, status=JobStatus.DONE, processed=job.total, report=body, invoice_import_id=report.import_id)
