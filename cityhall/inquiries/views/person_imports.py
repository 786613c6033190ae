"""Screens of the import of the tax system's list (滞納者一覧の取込): upload, report, column layout with a preview.

The upload hands the file to ``services.person_imports.persons_import`` (at once: a list of a few
thousand persons takes seconds) and shows the import's report; the layout page reads a sample file
with the layout being edited (values and reasons of its first rows) before anything is kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cityhall.core.errors import ApplicationError, PermissionDenied
from cityhall.core.http import apply_error
from cityhall.inquiries.access import Scope
from cityhall.inquiries.forms.person_imports import PersonImportForm, PersonImportLayoutForm
from cityhall.inquiries.selectors.person_imports import (
    import_layout,
    import_sections,
    person_import_for,
    person_imports_for,
)
from cityhall.inquiries.services.person_imports import (
    LABEL,
    person_import_layout_set,
    person_import_viewed,
    persons_import,
)
from cityhall.inquiries.services.person_rows import FIELDS, people_of
from cityhall.inquiries.views._common import collector_page, layout_preview
from cityhall.org.models import OrgUnit

PREVIEW_ROWS = 10
RECENT = 10


def _fields() -> list[dict[str, Any]]:
    return [
        {"label": _(f.label), "required": f.required, "headers": "・".join(f.headers), "example": f.example}
        for f in FIELDS
    ]


@collector_page
def person_import_upload(request: HttpRequest, scope: Scope) -> HttpResponse:
    """Choose the file (and the section); the fields read and the recent imports are listed."""
    sections = import_sections(scope.user)
    form = PersonImportForm(request.POST or None, request.FILES or None, sections=sections)
    context = {"form": form, "fields": _fields(), "imports": person_imports_for(scope.user)[:RECENT]}
    template = "inquiries/person_imports/upload.html"
    if request.method != "POST":
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=400)
    upload = form.cleaned_data["file"]
    try:
        run = persons_import(
            actor=scope.user,
            section=form.cleaned_data["section"],
            file_name=upload.name or "persons.csv",
            data=upload.read(),
            dry_run=form.cleaned_data["dry_run"],
        )
    except PermissionDenied:
        raise
    except ApplicationError as exc:
        apply_error(form, exc)
        return render(request, template, context, status=exc.status_code)
    return redirect("inquiries:person_import", pk=run.pk)


@collector_page
def person_import_detail(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    """An import's report: the counts, and every refused row with its reasons (opening it is recorded)."""
    run = person_import_for(scope.user, pk)
    person_import_viewed(actor=scope.user, run=run, where="detail")
    refused = [row for row in run.report.get("rows", []) if not row["accepted"]]
    return render(request, "inquiries/person_imports/detail.html", {"run": run, "refused": refused})


def _chosen(request: HttpRequest, sections: list[OrgUnit]) -> OrgUnit:
    wanted = request.POST.get("section") or request.GET.get("section")
    return next((s for s in sections if str(s.pk) == wanted), sections[0])


@collector_page
def person_import_layout(request: HttpRequest, scope: Scope) -> HttpResponse:
    """The section's column layout; 「プレビュー」 reads the sample with it, 「保存」 keeps it."""
    sections = import_sections(scope.user)
    section, current = import_layout(scope.user, _chosen(request, sections))
    initial: dict[str, Any] = {"section": section.pk, "header_row": current.header_row, "sheet": current.sheet or ""}
    initial |= {f"col_{name}": ref for name, ref in current.columns.items()}
    form = PersonImportLayoutForm(
        request.POST or None, request.FILES or None, fields=FIELDS, sections=sections, initial=initial
    )
    context: dict[str, Any] = {"form": form, "section": section}
    template = "inquiries/person_imports/layout.html"
    if request.method != "POST":
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=400)
    try:
        if "preview" in request.POST:
            return _preview(request, form, context)
        person_import_layout_set(actor=scope.user, layout=form.layout(), section=form.cleaned_data["section"])
    except PermissionDenied:
        raise
    except ApplicationError as exc:
        apply_error(form, exc)
        return render(request, template, context, status=exc.status_code)
    messages.success(request, _("列の設定を保存しました。"))
    return redirect("inquiries:person_imports")


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ／ ".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _preview(request: HttpRequest, form: PersonImportLayoutForm, context: dict[str, Any]) -> HttpResponse:
    """The sample's first rows as the layout reads them (nothing stored)."""
    return layout_preview(
        request,
        form,
        context,
        template="inquiries/person_imports/layout.html",
        fields=FIELDS,
        label=LABEL,
        limit=PREVIEW_ROWS,
        check=people_of,
        shown=_shown,
    )
