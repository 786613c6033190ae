"""Reads from the search index (全文検索): exact substring matching, composable in SQL.

These selectors are not user-scoped by themselves: the search index knows no
permissions. An owning app composes :func:`matching_keys_sql` (or
:func:`filter_by_search`) with its own permission-filtered queryset, so the
permission check and the text match are one database query.

:func:`search_keys` and :func:`count_matches` run under the search time budget
(:mod:`cityhall.search.bounds`) and raise ``SearchTimedOut`` past it, so no
search holds a worker for long whatever the query.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL

from cityhall.search.backends import backend_for
from cityhall.search.bounds import time_bounded
from cityhall.search.text import query_terms

_M = TypeVar("_M", bound=Model)


Restriction = tuple[str, list[Any]]


def _match(
    query: str, kind: str, restrict: Restriction | None = None, wanted: int | None = None
) -> tuple[str, list[Any], str]:
    match = backend_for(connection.vendor).match(query_terms(query), wanted)
    tail = f"FROM {match.from_clause} WHERE {match.where} AND e.kind = %s"
    params = [*match.params, kind]
    if restrict is not None:
        tail += f" AND ({restrict[0]})"
        params += list(restrict[1])
    return tail, params, match.order


def matching_keys_sql(query: str, kind: str) -> tuple[str, list[Any]]:
    """SQL (and params) selecting the keys of ``kind`` items containing every query term (検索条件).

    Use it as a subquery: ``Model.objects.filter(pk__in=RawSQL(sql, params))``.
    Raises ``ValidationFailed`` for a blank or over-long query.
    """
    tail, params, _order = _match(query, kind)
    return f"SELECT e.key {tail}", params


def filter_by_search(queryset: QuerySet[_M], query: str, kind: str, *, field: str = "pk") -> QuerySet[_M]:
    """``queryset`` narrowed to the rows whose ``field`` is the key of a matching item."""
    sql, params = matching_keys_sql(query, kind)
    return queryset.filter(**{f"{field}__in": RawSQL(sql, params)})  # noqa: S611 - SQL built from constants, values are params


def search_keys(
    query: str,
    kind: str,
    *,
    limit: int = 20,
    offset: int = 0,
    restrict: Restriction | None = None,
    budget_ms: int | None = None,
) -> list[int]:
    """Keys of matching items, most recently first indexed first, one page (検索結果の1ページ).

    ``restrict`` is an SQL condition on ``e.key`` with its params, e.g. a
    correlated ``EXISTS (SELECT 1 FROM documents_document d WHERE d.id = e.key
    AND ...)`` holding the caller's permission rule: it is checked row by row
    while the index walks newest first, so the page stops after ``limit`` hits
    instead of computing every match as ``pk__in`` would.

    Raises ``SearchTimedOut`` when the query runs past ``budget_ms`` (default:
    the ``CITYHALL_SEARCH_TIME_BUDGET_MS`` setting).
    """
    tail, params, order = _match(query, kind, restrict, wanted=offset + limit)
    sql = f"SELECT e.key {tail} ORDER BY {order} DESC LIMIT %s OFFSET %s"
    with time_bounded(budget_ms), connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return [row[0] for row in cursor.fetchall()]


def count_matches(
    query: str, kind: str, *, cap: int | None = None, restrict: Restriction | None = None, budget_ms: int | None = None
) -> int:
    """How many items match (検索件数); with ``cap``, counting stops there (show 「cap件以上」).

    Raises ``SearchTimedOut`` when counting runs past ``budget_ms`` (default:
    the ``CITYHALL_SEARCH_TIME_BUDGET_MS`` setting): show 「多数」.
    """
    tail, params, _order = _match(query, kind, restrict, wanted=cap)
    inner = f"SELECT 1 {tail}"
    if cap is not None:
        inner += " LIMIT %s"
        params = [*params, cap]
    with time_bounded(budget_ms), connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({inner}) AS hits", params)  # noqa: S608 - constants only
        row = cursor.fetchone()
    return int(row[0]) if row else 0
