"""Personal saved routes (マイルート): list, create and delete one's own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.accounts.requests import user_of
from cityhall.core.errors import ApplicationError, PermissionDenied
from cityhall.core.http import apply_error
from cityhall.documents import services
from cityhall.documents.forms import SavedRouteForm
from cityhall.documents.selectors_receipts import saved_route_for, saved_routes_for
from cityhall.documents.views._common import colleagues


def _render(request: HttpRequest, form: SavedRouteForm, status: int = 200) -> HttpResponse:
    routes = saved_routes_for(user_of(request))
    return render(request, "documents/saved_routes.html", {"form": form, "routes": routes}, status=status)


@login_required
def saved_route_list(request: HttpRequest) -> HttpResponse:
    """The user's saved routes and a form to add one (マイルート)."""
    user = user_of(request)
    form = SavedRouteForm(colleagues=colleagues(user, on=timezone.localdate()))
    if request.method != "POST":
        return _render(request, form)
    form = SavedRouteForm(request.POST, colleagues=colleagues(user, on=timezone.localdate()))
    if not form.is_valid():
        return _render(request, form, status=400)
    try:
        services.saved_route_create(
            actor=user,
            name=form.cleaned_data["name"],
            reviewers=list(User.objects.filter(pk__in=form.cleaned_data["reviewers"])),
            consult_units=list(form.cleaned_data["consult_units"]),
        )
    except ApplicationError as exc:
        apply_error(form, exc)
        return _render(request, form, status=exc.status_code)
    messages.success(request, _("マイルートを登録しました。"))
    return redirect("documents:saved_routes")


@login_required
@require_POST
def saved_route_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete one of the user's saved routes; someone else's is 404."""
    try:
        route = saved_route_for(user_of(request), pk)
    except PermissionDenied as exc:
        raise Http404(exc.message) from exc
    services.saved_route_delete(actor=user_of(request), route=route)
    messages.success(request, _("マイルートを削除しました。"))
    return redirect("documents:saved_routes")
