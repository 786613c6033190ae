"""Helpers the finance screens share: who may open them, and sorting a list on the server (``?sort=key``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.accounts.requests import user_of
from cityhall.finance.selectors.budget import is_treasurer
from cityhall.org import selectors as org
from cityhall.org.models import Role

M = TypeVar("M", bound=Model)


def finance_staff_of(request: HttpRequest) -> User:
    """The signed-in holder of the 会計 role; 404 for anyone else (the pages do not exist for them)."""
    user = user_of(request)
    if not org.has_role(user, Role.ACCOUNTING, on=timezone.localdate()):
        raise Http404(_("ページが見つかりません。"))
    return user


def treasurer_of(request: HttpRequest) -> User:
    """The signed-in accounting manager; 404 for anyone else (the screens do not exist for them)."""
    user = user_of(request)
    if not is_treasurer(user):
        raise Http404(_("ページが見つかりません。"))
    return user


def sorted_rows(
    request: HttpRequest, rows: QuerySet[M], sorts: Mapping[str, Sequence[str]], default: str
) -> tuple[QuerySet[M], str]:
    """The rows ordered by the requested known key (else ``default``) and the key applied."""
    sort = request.GET.get("sort", "") or default
    key = sort.lstrip("-")
    if key not in sorts:
        sort, key = default, default.lstrip("-")
    descending = sort.startswith("-")
    return rows.order_by(*(f"-{f}" if descending else f for f in sorts[key])), sort
