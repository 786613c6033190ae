"""Server-side sorting of the finance lists (一覧の並べ替え): ``?sort=key`` or ``?sort=-key``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest

M = TypeVar("M", bound=Model)


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
