"""Taking in online applications as receipts (オンライン申請の取込): upload the CSV and ZIP, preview, import.

「確認する」 checks the files and shows what would be taken in (a preview; with htmx the page
keeps the chosen files so 「取り込む」 follows without choosing them again); 「取り込む」 takes
all new applications or none and reports every problem with its row, column and reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError
from cityhall.core.tables import MAX_BYTES
from cityhall.documents.forms_receipts import ReceiptImportForm
from cityhall.documents.services.receipt_imports import FIELDS, ImportReport, receipt_import


def _page(
    request: HttpRequest,
    form: ReceiptImportForm,
    *,
    report: ImportReport | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    partial = request.headers.get("HX-Request") == "true" and request.POST.get("action") == "preview"
    template = "documents/partials/receipt_import_report.html" if partial else "documents/receipt_import.html"
    context = {"form": form, "report": report, "problems": problems or [], "fields": FIELDS}
    return render(request, template, context, status=status)


@login_required
def receipt_import_page(request: HttpRequest) -> HttpResponse:
    """The import screen: GET shows the form and the layout; POST previews (``action=preview``) or imports."""
    if request.method != "POST":
        return _page(request, ReceiptImportForm())
    form = ReceiptImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    upload, archive = form.cleaned_data["csv"], form.cleaned_data.get("archive")
    if upload.size > MAX_BYTES:
        form.add_error(
            "csv",
            _("申請データが大きすぎます（上限 %(n)s バイト）。ファイルを分けてください。") % {"n": f"{MAX_BYTES:,}"},
        )
        return _page(request, form, status=400)
    dry_run = request.POST.get("action") == "preview"
    try:
        report = receipt_import(
            actor=user_of(request),
            csv_data=upload.read(),
            archive=archive.file if archive else None,
            archive_size=archive.size if archive else None,
            dry_run=dry_run,
        )
    except ApplicationError as exc:
        listed = exc.extra.get("rows")
        rows = [str(r) for r in listed] if isinstance(listed, list) else []
        if not rows:
            # The ZIP's own problems go next to it; the CSV reader's (file, encoding, columns …) next to the CSV.
            form.add_error("archive" if exc.field == "archive" else ("csv" if exc.field else None), exc.message)
        return _page(request, form, problems=rows, status=exc.status_code)
    if dry_run:
        return _page(request, form, report=report)
    made, skipped = len(report.created), len(report.skipped)
    messages.success(
        request,
        _("%(made)d件の申請を収受しました（取込済みで飛ばした申請 %(skipped)d件）。")
        % {"made": made, "skipped": skipped},
    )
    return redirect("documents:receipts")
