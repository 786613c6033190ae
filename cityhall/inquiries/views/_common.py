"""What every inquiries screen shares: the gate (``collector_page``) and the server-side paging."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from cityhall.accounts.requests import user_of
from cityhall.core.errors import PermissionDenied
from cityhall.core.tables import Field, Layout, Row, TableRejected, read_rows
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


def layout_preview(
    request: HttpRequest,
    form: Any,
    context: dict[str, Any],
    *,
    template: str,
    fields: tuple[Field, ...],
    label: str,
    limit: int,
    check: Callable[[list[Row]], object] | None = None,
    shown: Callable[[object], object] = lambda value: value,
) -> HttpResponse:
    """A column-layout screen's preview: the sample's first rows read with the columns as typed, each with
    its reasons (``check`` adds the import's own); nothing is stored."""
    sample = form.cleaned_data["sample"]
    if sample is None:
        form.add_error("sample", _("プレビューする見本のファイルを選んでください。"))
        return render(request, template, context, status=400)
    try:
        layout = Layout.from_dict(form.layout(), fields=fields, label=label)
        rows = read_rows(fields, sample.read(), layout)[:limit]
    except TableRejected as exc:
        return render(request, template, context | {"rejected": exc.message})
    if check is not None:
        check(rows)
    preview = [
        {"number": row.number, "values": [shown(row.values.get(f.name)) for f in fields], "reasons": row.reasons}
        for row in rows
    ]
    return render(request, template, context | {"preview": preview, "columns": [_(f.label) for f in fields]})
