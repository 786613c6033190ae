"""The file plan (文書分類表): read by everyone; the 文書主管 adds, changes and ends classes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError
from cityhall.core.http import apply_error
from cityhall.core.numbers import optional_id
from cityhall.documents import services
from cityhall.documents.forms_records import FilePlanClassForm, FilePlanEndForm
from cityhall.documents.models import FilePlanClass
from cityhall.documents.selectors_records import file_plan_rows, may_edit_file_plan


def _manager(request: HttpRequest) -> None:
    if not may_edit_file_plan(user_of(request)):
        raise Http404(_("文書分類表を変更できるのは、文書主管の職員だけです。"))


def _plan(pk: int) -> FilePlanClass:
    plan = FilePlanClass.objects.select_related("parent", "section").filter(pk=pk).first()
    if plan is None:
        raise Http404(_("文書分類が見つかりません。"))
    return plan


@login_required
def file_plan(request: HttpRequest) -> HttpResponse:
    """文書分類表 as a tree with each class's retention and action at expiry; ended classes on request."""
    show_ended = request.GET.get("ended") == "1"
    context = {
        "rows": file_plan_rows(include_ended=show_ended),
        "show_ended": show_ended,
        "may_edit": may_edit_file_plan(user_of(request)),
    }
    return render(request, "documents/file_plan/list.html", context)


def _form_page(
    request: HttpRequest, form: FilePlanClassForm, plan: FilePlanClass | None = None, status: int = 200
) -> HttpResponse:
    context = {"form": form, "plan": plan, "end_form": FilePlanEndForm() if plan is not None else None}
    return render(request, "documents/file_plan/form.html", context, status=status)


@login_required
def file_plan_new(request: HttpRequest) -> HttpResponse:
    """Add a class (文書分類の追加)."""
    _manager(request)
    if request.method != "POST":
        initial = {"parent": optional_id(request.GET.get("parent")), "expiry_action": "dispose", "retention_years": 5}
        return _form_page(request, FilePlanClassForm(initial=initial))
    form = FilePlanClassForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    try:
        plan = services.file_plan_class_create(actor=user_of(request), **form.cleaned_data)
    except ApplicationError as exc:
        apply_error(form, exc)
        return _form_page(request, form, status=exc.status_code)
    messages.success(request, _("文書分類「%(plan)s」を追加しました。") % {"plan": plan})
    return redirect("documents:file_plan")


@login_required
def file_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a class in force (文書分類の変更); documents drafted afterwards take the new retention."""
    _manager(request)
    plan = _plan(pk)
    if request.method != "POST":
        initial = {
            "name": plan.name,
            "retention_years": plan.retention_years,
            "expiry_action": plan.expiry_action,
            "section": plan.section_id,
            "sort_order": plan.sort_order,
        }
        return _form_page(request, FilePlanClassForm(initial=initial, editing=True), plan)
    form = FilePlanClassForm(request.POST, editing=True)
    if not form.is_valid():
        return _form_page(request, form, plan, status=400)
    try:
        services.file_plan_class_update(actor=user_of(request), plan=plan, **form.cleaned_data)
    except ApplicationError as exc:
        apply_error(form, exc)
        return _form_page(request, form, _plan(pk), status=exc.status_code)
    messages.success(request, _("文書分類「%(plan)s」を変更しました。") % {"plan": plan})
    return redirect("documents:file_plan")


@login_required
@require_POST
def file_plan_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a class (文書分類の廃止) with its last day; records filed in it keep it."""
    _manager(request)
    plan = _plan(pk)
    end_form = FilePlanEndForm(request.POST)
    edit_form = FilePlanClassForm(
        initial={
            "name": plan.name,
            "retention_years": plan.retention_years,
            "expiry_action": plan.expiry_action,
            "section": plan.section_id,
            "sort_order": plan.sort_order,
        },
        editing=True,
    )
    context = {"form": edit_form, "plan": plan, "end_form": end_form}
    if not end_form.is_valid():
        return render(request, "documents/file_plan/form.html", context, status=400)
    try:
        services.file_plan_class_end(actor=user_of(request), plan=plan, **end_form.cleaned_data)
    except ApplicationError as exc:
        apply_error(end_form, exc)
        return render(request, "documents/file_plan/form.html", context, status=exc.status_code)
    messages.success(request, _("文書分類「%(plan)s」を廃止しました。") % {"plan": plan})
    return redirect("documents:file_plan")
