"""Screens of the switch-over imports (移行データの取込): upload, progress and report, column settings.

For the roles that import each kind (会計: budget book, creditor master; 文書主管: old register). The
upload hands the file to ``services.switchover.switchover_start``; the import's page polls its
progress (htmx) until the report is there. The column settings page shows a sample file read with
the layout (values and reasons of its first rows) before anything is saved.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, re_path
from django.utils.translation import gettext as _

from cityhall.accounts.requests import user_of
from cityhall.automation import selectors
from cityhall.automation.forms import SwitchoverForm, SwitchoverLayoutForm
from cityhall.automation.models import ImportSource, SwitchoverImport
from cityhall.automation.report_files import switchover_disposition, switchover_workbook
from cityhall.automation.services.switchover import switchover_layout_set, switchover_start
from cityhall.automation.services.switchover_runs import stored_layout
from cityhall.automation.switchover import SwitchoverKind, all_kinds
from cityhall.core.audit import record
from cityhall.core.errors import ApplicationError
from cityhall.core.http import apply_error
from cityhall.core.tables import Layout, TableRejected, read_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_ROWS = 20


def _kinds(request: HttpRequest) -> list[SwitchoverKind]:
    kinds = selectors.switchover_kinds_for(user_of(request))
    if not kinds:
        raise Http404
    return kinds


def _run(request: HttpRequest, pk: int) -> SwitchoverImport:
    run = selectors.switchover_runs_for(user_of(request)).filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


def kind_label(code: str) -> str:
    """A kind's name in the page's language."""
    kind = all_kinds().get(code)
    return _(kind.label) if kind else code


@login_required
def switchover(request: HttpRequest) -> HttpResponse:
    """Choose the kind and the file; the kinds' fields and the recent imports are listed."""
    kinds = _kinds(request)
    user = user_of(request)
    choices = [(k.code, _(k.label)) for k in kinds]
    form = SwitchoverForm(request.POST or None, request.FILES or None, kinds=choices)
    context: dict[str, Any] = {
        "form": form,
        "kinds": [_shown_kind(k) for k in kinds],
        "runs": [(r, kind_label(r.kind)) for r in selectors.switchover_runs_for(user)[:10]],
    }
    if request.method != "POST":
        return render(request, "automation/switchover.html", context)
    if not form.is_valid():
        return render(request, "automation/switchover.html", context, status=400)
    upload = form.cleaned_data["file"]
    try:
        run = switchover_start(
            actor=user,
            kind=form.cleaned_data["kind"],
            file_name=upload.name,
            data=upload.read(),
            dry_run=form.cleaned_data["dry_run"],
            source=ImportSource.UPLOAD,
        )
    except ApplicationError as exc:
        apply_error(form, exc)
        return render(request, "automation/switchover.html", context, status=exc.status_code)
    return redirect("automation:switchover_run", pk=run.pk)


def _shown_kind(kind: SwitchoverKind) -> dict[str, Any]:
    fields = [
        {"label": _(f.label), "required": f.required, "headers": "・".join(f.headers), "example": f.example}
        for f in kind.fields
    ]
    return {"code": kind.code, "label": _(kind.label), "description": _(kind.description), "fields": fields}


@login_required
def run_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The import's progress, then its report; the progress part is polled by htmx."""
    run = _run(request, pk)
    partial = request.headers.get("HX-Request") and not run.finished
    template = "automation/_switchover_progress.html" if partial else "automation/switchover_run.html"
    refused = [row for row in run.report.get("rows", []) if not row["accepted"]]
    return render(request, template, {"run": run, "label": kind_label(run.kind), "refused": refused})


@login_required
def run_report(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    """The report of a finished import as Excel or JSON; each download is audited."""
    run = _run(request, pk)
    if not run.finished:
        raise Http404
    record(actor=user_of(request), action="automation.switchover.report", obj=run, after={"format": file_format})
    if file_format == "json":
        response = HttpResponse(json.dumps(run.report, ensure_ascii=False, indent=2), content_type="application/json")
    else:
        response = HttpResponse(switchover_workbook(run), content_type=XLSX)
    response["Content-Disposition"] = switchover_disposition(run, file_format)
    return response


@login_required
def layout_page(request: HttpRequest, kind: str) -> HttpResponse:
    """A kind's column settings; 「プレビュー」 reads the sample with them, 「保存」 keeps them."""
    found = next((k for k in _kinds(request) if k.code == kind), None)
    if found is None:
        raise Http404
    fields = [(f.name, _(f.label), "・".join((f.label, *f.headers))) for f in found.fields]
    current = stored_layout(found)
    initial = {"header_row": current.header_row, "sheet": current.sheet or ""}
    initial |= {f"col_{name}": ref for name, ref in current.columns.items()}
    form = SwitchoverLayoutForm(request.POST or None, request.FILES or None, fields=fields, initial=initial)
    context: dict[str, Any] = {"form": form, "kind": _shown_kind(found)}
    template = "automation/switchover_layout.html"
    if request.method != "POST":
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=400)
    try:
        if "preview" in request.POST:
            return _preview(request, found, form, context)
        switchover_layout_set(actor=user_of(request), kind=found.code, layout=form.layout())
    except ApplicationError as exc:
        apply_error(form, exc)
        return render(request, template, context, status=exc.status_code)
    messages.success(request, _("列の設定を保存しました。"))
    return redirect("automation:switchover")


def _preview(
    request: HttpRequest, kind: SwitchoverKind, form: SwitchoverLayoutForm, context: dict[str, Any]
) -> HttpResponse:
    template = "automation/switchover_layout.html"
    sample = form.cleaned_data["sample"]
    if sample is None:
        form.add_error("sample", _("プレビューする見本のファイルを選んでください。"))
        return render(request, template, context, status=400)
    try:
        layout = Layout.from_dict(form.layout(), fields=kind.fields, label=kind.label)
        rows = read_rows(kind.fields, sample.read(), layout)[:PREVIEW_ROWS]
    except TableRejected as exc:
        context["rejected"] = exc.message
        return render(request, template, context)
    kind.check(user_of(request), rows)
    shown = [
        {"number": row.number, "values": [row.values.get(f.name) for f in kind.fields], "reasons": row.reasons}
        for row in rows
    ]
    return render(request, template, context | {"preview": shown, "columns": [_(f.label) for f in kind.fields]})


urlpatterns: list[URLPattern] = [
    path("switchover/", switchover, name="switchover"),
    path("switchover/<id:pk>/", run_page, name="switchover_run"),
    re_path(
        r"^switchover/(?P<pk>[0-9]{1,18})/report\.(?P<file_format>json|xlsx)$", run_report, name="switchover_report"
    ),
    path("switchover/layouts/<slug:kind>/", layout_page, name="switchover_layout"),
]
