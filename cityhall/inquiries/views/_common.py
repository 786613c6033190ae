"""What every inquiries screen shares: the gate (``collector_page``) and the server-side paging."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from cityhall.accounts.requests import user_of
from cityhall.core.errors import PermissionDenied
from cityhall.inquiries.access import RemoteRefused, scope_of

PAGE_SIZE = 50
View = Callable[..., HttpResponseBase]


def collector_page(view: View) -> View:
    """Open the page to its section's tax collectors in the office: 404 for anyone else, 403 from outside.

    The view gets the caller's ``Scope`` after the request. A record outside the scope that a
    selector refuses is the same 404, so a page never tells a missing record from a forbidden one.
    """

    @login_required
    @wraps(view)
    def gate(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            scope = scope_of(user_of(request))
            return view(request, scope, *args, **kwargs)
        except PermissionDenied as exc:
            raise Http404(_("ページが見つかりません。")) from exc
        except RemoteRefused:
            return render(request, "inquiries/refused.html", status=403)

    return gate


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx asked for a part of the page."""
    return request.headers.get("HX-Request") == "true"
