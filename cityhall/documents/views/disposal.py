"""Disposal/transfer lists (廃棄・移管リスト): the lists, a new one, one list with its records, the package.

Thin views over ``services.disposal`` and ``selectors_disposal``: a section's staff create their own
section's list, the 文書主管 generates them for the whole city or one section; while the list is a
draft its drafter or the 文書主管 chooses 廃棄 or 移管 (歴史公文書) per record, and the drafter starts
the route here (with the 合議 the list needs). The transfer package downloads for the 文書主管 only,
from the office (it holds whole records), and each download is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError, PermissionDenied
from cityhall.core.http import apply_error
from cityhall.core.numbers import page_number
from cityhall.documents.forms_disposal import DisposalListForm, ExpectedVersionForm
from cityhall.documents.models import DisposalList
from cityhall.documents.rules import section_of
from cityhall.documents.selectors_disposal import (
    disposal_list_for,
    disposal_lists_for,
    list_items,
    may_choose,
    may_download_package,
)
from cityhall.documents.services import disposal as services
from cityhall.documents.services._common import is_document_manager
from cityhall.documents.views.files import safe_filename

PAGE_SIZE = 100


def _fetch(request: HttpRequest, pk: int) -> DisposalList:
    try:
        return disposal_list_for(user_of(request), pk)
    except PermissionDenied as exc:
        raise Http404(exc.message) from exc


@login_required
def disposal_lists(request: HttpRequest) -> HttpResponse:
    """The disposal/transfer lists the user works with (廃棄・移管リストの一覧), newest first, paged."""
    page = Paginator(disposal_lists_for(user_of(request)), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "documents/disposal/lists.html", {"page": page, "query": ""})


def _new_form(request: HttpRequest, form: DisposalListForm, status: int = 200) -> HttpResponse:
    return render(request, "documents/disposal/new.html", {"form": form}, status=status)


@login_required
def disposal_list_new(request: HttpRequest) -> HttpResponse:
    """Create the section's own list, or (文書主管) generate lists for the whole city or one section."""
    user = user_of(request)
    manager = is_document_manager(user)
    if request.method != "POST":
        return _new_form(request, DisposalListForm(manager=manager, initial={"due_by": timezone.localdate()}))
    form = DisposalListForm(request.POST, manager=manager)
    if not form.is_valid():
        return _new_form(request, form, status=400)
    due_by, section = form.cleaned_data["due_by"], form.cleaned_data.get("section")
    try:
        if manager:
            made = services.disposal_lists_generate(actor=user, due_by=due_by, section=section)
        else:
            made = [services.disposal_list_create(actor=user, section=_own_section(user), due_by=due_by)]
    except ApplicationError as exc:
        apply_error(form, exc)
        return _new_form(request, form, status=exc.status_code)
    messages.success(request, _("廃棄・移管リストを%(count)d件作成しました。") % {"count": len(made)})
    if len(made) == 1:
        return redirect("documents:disposal_list", pk=made[0].pk)
    return redirect("documents:disposal_lists")


def _own_section(user: Any) -> Any:
    section = section_of(user, on=timezone.localdate())
    if section is None:
        raise PermissionDenied(_("所属が登録されていないため廃棄・移管リストを作成できません。"))
    return section


def _page(request: HttpRequest, row: DisposalList, status: int = 200, **extra: Any) -> HttpResponse:
    user = user_of(request)
    page = Paginator(list_items(row), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "row": row,
        "document": row.document,
        "page": page,
        "query": "",
        "may_choose": may_choose(user, row),
        "may_submit": row.document.drafter_id == user.pk and may_choose(user, row),
        "may_download": may_download_package(user, row),
        "form": ExpectedVersionForm(initial={"expected_version": row.document.version}),
        **extra,
    }
    return render(request, "documents/disposal/list.html", context, status=status)


@login_required
def disposal_list(request: HttpRequest, pk: int) -> HttpResponse:
    """One list with its records, the 廃棄/移管 choice while it is a draft, its outcome once carried out."""
    return _page(request, _fetch(request, pk))


@login_required
@require_POST
def disposal_list_choose(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the 廃棄/移管 choice of the records on the page (歴史公文書の選別)."""
    row = _fetch(request, pk)
    form = ExpectedVersionForm(request.POST)
    if not form.is_valid():
        return _page(request, row, status=400, form=form)
    prefix = "action-"
    choices: dict[int, str] = {}
    for key in request.POST:
        number = key[len(prefix) :]
        if key.startswith(prefix) and number.isascii() and number.isdigit() and len(number) < 19:
            choices[int(number)] = request.POST.get(key, "")
    try:
        services.disposal_items_choose(
            actor=user_of(request),
            document=row.document,
            choices=choices,
            expected_version=form.cleaned_data["expected_version"],
        )
    except ApplicationError as exc:
        apply_error(form, exc)
        return _page(request, _fetch(request, pk), status=exc.status_code, form=form)
    messages.success(request, _("廃棄・移管の区分を保存しました。"))
    back = reverse("documents:disposal_list", args=[row.document_id])
    return redirect(f"{back}?page={page_number(request.POST.get('page'))}")


@login_required
@require_POST
def disposal_list_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the list's route (回議): the decider of the rules, 文書主管課 合議, the records' section if need be."""
    row = _fetch(request, pk)
    form = ExpectedVersionForm(request.POST)
    if not form.is_valid():
        return _page(request, row, status=400, form=form)
    try:
        services.disposal_list_submit(
            actor=user_of(request), document=row.document, expected_version=form.cleaned_data["expected_version"]
        )
    except ApplicationError as exc:
        apply_error(form, exc)
        return _page(request, _fetch(request, pk), status=exc.status_code, form=form)
    messages.success(request, _("回議を開始しました。"))
    return redirect("documents:detail", pk=row.document_id)


@login_required
def disposal_list_package(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """Download the transfer package (移管パッケージ, ZIP): the 文書主管, from the office; audited."""
    row = _fetch(request, pk)
    user = user_of(request)
    if not may_download_package(user, row):
        raise Http404
    try:
        handle = services.package_open(actor=user, row=row)
    except ApplicationError as exc:
        context = {"document": row.document, "masked": False, "attachment": None}
        return render(request, "documents/remote_refused.html", context, status=exc.status_code)
    name = safe_filename(f"移管パッケージ_{row.document.number_label}.zip", fallback="transfer.zip")
    response = FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response
