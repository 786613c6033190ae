"""The inventory screens (業務棚卸し): sections, a section's tasks, one task, import and export. Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError, PermissionDenied
from cityhall.core.http import apply_error
from cityhall.telework.forms.inventory import ImportForm, TaskForm
from cityhall.telework.scopes import edits_inventory, sees_inventory
from cityhall.telework.selectors.inventory import Readiness, ready_task_counts, section_inventory, task_for
from cityhall.telework.services import inventory as services


def _not_found() -> Http404:
    return Http404(_("ページが見つかりません。"))


@login_required
def sections_view(request: HttpRequest) -> HttpResponse:
    """The sections the user sees, with their tasks by readiness."""
    user = user_of(request)
    if not sees_inventory(user):
        raise _not_found()
    return render(request, "telework/inventory/sections.html", {"counts": ready_task_counts(user)})


def _section_page(
    request: HttpRequest,
    pk: int,
    form: TaskForm,
    import_form: ImportForm,
    status: int = 200,
    rows_rejected: list[str] | None = None,
) -> HttpResponse:
    try:
        inventory = section_inventory(user_of(request), pk)
    except PermissionDenied as exc:
        raise _not_found() from exc
    context = {
        "inventory": inventory,
        "editable": edits_inventory(user_of(request), pk),
        "form": form,
        "import_form": import_form,
        "readiness": Readiness,
        "rows_rejected": rows_rejected or [],
    }
    return render(request, "telework/inventory/section.html", context, status=status)


@login_required
def section_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A section's tasks with readiness and reasons; on POST add a task."""
    form = TaskForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.inventory_task_create(actor=user_of(request), section_id=pk, data=form.data_input())
            except PermissionDenied as exc:
                raise _not_found() from exc
            except ApplicationError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("業務を追加しました。"))
                return redirect("telework:inventory_section", pk=pk)
        return _section_page(request, pk, form, ImportForm(), status=400)
    return _section_page(request, pk, form, ImportForm())


@login_required
@require_POST
def import_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Take the section's tasks from a file: all rows or none, every row's problem listed."""
    import_form = ImportForm(request.POST, request.FILES)
    rejected: list[str] = []
    if import_form.is_valid():
        try:
            result = services.inventory_import(
                actor=user_of(request), section_id=pk, data=import_form.cleaned_data["file"].read()
            )
        except PermissionDenied as exc:
            raise _not_found() from exc
        except ApplicationError as exc:
            apply_error(import_form, exc)
            rejected = [str(r) for r in exc.extra.get("rows", [])]  # type: ignore[attr-defined]
        else:
            messages.success(
                request,
                _("取り込みました（追加 %(created)d件、変更 %(updated)d件）。")
                % {"created": len(result.created), "updated": len(result.updated)},
            )
            return redirect("telework:inventory_section", pk=pk)
    return _section_page(request, pk, TaskForm(), import_form, status=400, rows_rejected=rejected)


@login_required
def export_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The section's inventory as an Excel file."""
    from cityhall.telework.inventory_excel import XLSX_CONTENT_TYPE, inventory_xlsx

    try:
        inventory = section_inventory(user_of(request), pk)
    except PermissionDenied as exc:
        raise _not_found() from exc
    response = HttpResponse(inventory_xlsx(inventory), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="inventory-{inventory.section.code}.xlsx"'
    return response


@login_required
def task_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One task: change it, or remove it (``delete`` in the POST)."""
    user = user_of(request)
    try:
        task = task_for(user, pk)
    except PermissionDenied as exc:
        raise _not_found() from exc
    form = TaskForm(request.POST if request.method == "POST" else None, task=task)
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if "delete" in request.POST:
                services.inventory_task_delete(actor=user, task_id=pk)
                messages.success(request, _("業務を削除しました。"))
                return redirect("telework:inventory_section", pk=task.section_id)
            if form.is_valid():
                services.inventory_task_update(actor=user, task_id=pk, data=form.data_input())
                messages.success(request, _("業務を保存しました。"))
                return redirect("telework:inventory_section", pk=task.section_id)
        except ApplicationError as exc:
            apply_error(form, exc)
            status = exc.status_code
    return render(request, "telework/inventory/task.html", {"task": task, "form": form}, status=status)
