"""The worker's side of an upload's import (取込の実行): read the kept files, import them, store the report.

Progress is reported per file while reading (outside the import's transaction, so the page sees
it); a job that fails keeps its reason; the files are removed from storage once the job has ended.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.utils import timezone

from cityhall.automation.models import ImportJob, ImportSource, JobStatus
from cityhall.automation.services.imports import InvoiceFile, import_invoices
from cityhall.core.errors import ApplicationError


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
