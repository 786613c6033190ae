"""Screens of the invoice imports (請求書の取込): upload, progress and report, downloads, hours saved.

Thin: the form hands the files to ``services.jobs.import_start`` and the page of the job polls its
progress (htmx, no inline script) until the report is there. Anyone signed in may import for their
own section; a job and its report are seen by its creator and the 会計 role.
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, re_path
from django.utils import timezone

from cityhall.accounts.requests import user_of
from cityhall.automation import selectors, views_layouts, views_recurring, views_switchover
from cityhall.automation.forms import UploadForm
from cityhall.automation.models import ImportedInvoice, ImportJob, InvoiceKind
from cityhall.automation.report_files import report_disposition, report_workbook
from cityhall.automation.services.imports import MAX_FILE_BYTES, InvoiceFile, read_original
from cityhall.automation.services.jobs import import_start
from cityhall.core.audit import record
from cityhall.core.errors import ApplicationError
from cityhall.core.http import apply_error
from cityhall.core.japanese import fiscal_year
from cityhall.core.tables import TableRejected, csv_reader, excel_reader
from cityhall.savings.selectors import saved_time

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_SHOWN = 1_000_000  # characters of an original shown on the page
MAX_ROWS_SHOWN = 5_000  # rows of each sheet of an Excel original


def _job(request: HttpRequest, pk: int) -> ImportJob:
    user = user_of(request)
    rows = ImportJob.objects.all() if selectors.sees_all(user) else ImportJob.objects.filter(created_by=user)
    job = rows.filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Choose invoice files (or a folder) and start their import."""
    user = user_of(request)
    template = "automation/upload.html"
    jobs = ImportJob.objects.filter(created_by=user)[:10]
    extra = {"jobs": jobs, "may_set_layouts": selectors.sees_all(user)}
    if request.method != "POST":
        return render(request, template, {"form": UploadForm(), **extra})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, template, {"form": form, **extra}, status=400)
    files = [InvoiceFile(f.name, f.read()) for f in form.cleaned_data["invoices"]]
    try:
        job = import_start(
            actor=user, files=files, dry_run=form.cleaned_data["dry_run"], mapping=form.cleaned_data["supplier"]
        )
    except ApplicationError as exc:
        apply_error(form, exc)
        return render(request, template, {"form": form, **extra}, status=exc.status_code)
    return redirect("automation:job", pk=job.pk)


@login_required
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress bar, then its report; the progress part is polled by htmx."""
    job = _job(request, pk)
    template = "automation/_progress.html" if request.headers.get("HX-Request") else "automation/job.html"
    rows = [dict(row) for row in job.report.get("invoices", [])]
    if job.invoice_import_id is not None:  # link each accepted invoice to its stored original
        stored = ImportedInvoice.objects.filter(invoice_import_id=job.invoice_import_id).order_by("position")
        for row, (row_id, kept) in zip(rows, stored.values_list("pk", "original"), strict=False):
            row["original"] = row_id if kept else None
    return render(request, template, {"job": job, "rows": rows})


@login_required
def report_file(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    """The report of a finished job as Excel or JSON; each download is audited."""
    job = _job(request, pk)
    if not job.finished:
        raise Http404
    record(actor=user_of(request), action="automation.report.download", obj=job, after={"format": file_format})
    if file_format == "json":
        content = json.dumps({"invoices": job.report.get("invoices", [])}, ensure_ascii=False, indent=2).encode()
        response = HttpResponse(content, content_type="application/json")
    else:
        response = HttpResponse(report_workbook(job), content_type=XLSX)
    response["Content-Disposition"] = report_disposition(job, file_format)
    return response


def _as_text(row: ImportedInvoice) -> str:
    """The original as text: XML as UTF-8, a CSV in the encoding its reader found, an Excel sheet's cells."""
    if row.kind == InvoiceKind.EXCEL:
        try:
            rows = excel_reader.first_rows(read_original(row, MAX_FILE_BYTES), MAX_ROWS_SHOWN, every_sheet=True)
        except TableRejected as exc:
            return exc.message
        return "\n".join("\t".join(cells) for cells in rows)[:MAX_SHOWN]
    data = read_original(row, MAX_SHOWN)
    if row.kind == InvoiceKind.CSV:
        try:
            return csv_reader.decode(data)[0]
        except TableRejected:  # cut in the middle of a character by the limit
            pass
    return data.decode("utf-8", errors="replace")


@login_required
def original(request: HttpRequest, pk: int) -> HttpResponse:
    """An imported invoice's original file, shown as text in the page (never run, never a download).

    Seen by those who see its import, and by those who see the payment order it became."""
    user = user_of(request)
    row = selectors.originals_for(user).filter(pk=pk).select_related("invoice_import").first()
    if row is None:
        raise Http404
    text = _as_text(row)
    record(actor=user, action="automation.original.view", obj=row, after={"file": row.file_name})
    return render(request, "automation/original.html", {"row": row, "text": text})


@login_required
def hours_saved(request: HttpRequest) -> HttpResponse:
    """Hours of typing saved (the city's ledger, 削減時間の台帳), by month, section and kind."""
    year = fiscal_year(timezone.localdate())
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2200:
        year = int(raw)
    rows = saved_time(user_of(request), year)
    total = sum(r.minutes for r in rows)
    return render(
        request,
        "automation/hours_saved.html",
        {"rows": rows, "year": year, "total_minutes": total, "total_hours": round(total / 60, 1)},
    )


app_name = "automation"
urlpatterns: list[URLPattern] = [
    path("imports/new/", upload, name="upload"),
    path("jobs/<id:pk>/", job_page, name="job"),
    re_path(r"^jobs/(?P<pk>[0-9]{1,18})/report\.(?P<file_format>json|xlsx)$", report_file, name="report_file"),
    path("invoices/<id:pk>/original/", original, name="original"),
    path("hours-saved/", hours_saved, name="hours_saved"),
    *views_recurring.urlpatterns,
    *views_layouts.urlpatterns,
    *views_switchover.urlpatterns,
]
