"""The institution master's screens (照会先): list, register, change, stop."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.core.errors import ApplicationError, PermissionDenied
from cityhall.core.http import apply_error
from cityhall.inquiries.access import Scope
from cityhall.inquiries.forms.institutions import InstitutionForm
from cityhall.inquiries.selectors.institutions import institution_for, institutions_for
from cityhall.inquiries.services import institutions as services
from cityhall.inquiries.views._common import collector_page


@collector_page
def institution_list(request: HttpRequest, scope: Scope) -> HttpResponse:
    """The institutions (照会先の一覧), in use first."""
    rows = institutions_for(scope.user).order_by("-is_active", "kind", "bank_code", "kana", "pk")
    return render(request, "inquiries/institutions/list.html", {"institutions": rows})


def _edit(request: HttpRequest, scope: Scope, institution: object | None) -> HttpResponse:
    template = "inquiries/institutions/edit.html"
    if request.method != "POST":
        initial = InstitutionForm.initial_of(institution) if institution is not None else {}  # type: ignore[arg-type]
        return render(request, template, {"form": InstitutionForm(initial=initial), "institution": institution})
    form = InstitutionForm(request.POST)
    if form.is_valid():
        try:
            if institution is None:
                saved = services.institution_create(actor=scope.user, data=form.data_input())
            else:
                saved = services.institution_update(actor=scope.user, institution=institution, data=form.data_input())  # type: ignore[arg-type]
        except PermissionDenied:
            raise
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("照会先「%(name)s」を保存しました。") % {"name": saved.name})
            return redirect("inquiries:institutions")
    return render(request, template, {"form": form, "institution": institution}, status=400)


@collector_page
def institution_new(request: HttpRequest, scope: Scope) -> HttpResponse:
    """Register an institution (照会先の登録)."""
    return _edit(request, scope, None)


@collector_page
def institution_edit(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    """Change an institution (照会先の変更)."""
    return _edit(request, scope, institution_for(scope.user, pk))


@collector_page
@require_POST
def institution_deactivate(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    """Stop an institution (照会先の停止)."""
    institution = institution_for(scope.user, pk)
    try:
        services.institution_deactivate(actor=scope.user, institution=institution)
    except PermissionDenied:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("照会先「%(name)s」を停止しました。") % {"name": institution.name})
    return redirect("inquiries:institutions")
