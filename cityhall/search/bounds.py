"""A time budget for search queries (検索の時間制限): no search holds a worker for long.

A query that runs past the budget is stopped by the database itself and
:class:`SearchTimedOut` is raised; the caller decides what to show (a count
stopped this way is 「多数」). The mechanisms are the documented ones of each
database, so nothing of ours has to poll:

* SQLite: the connection's progress handler
  (``sqlite3.Connection.set_progress_handler``), called every few thousand
  virtual-machine instructions, returns true once the deadline has passed;
  SQLite then stops the statement with ``SQLITE_INTERRUPT``.
* PostgreSQL: ``statement_timeout`` set with ``set_config(..., is_local => true)``
  (``SET LOCAL``) inside a savepoint; the server cancels the statement
  (SQLSTATE 57014). The savepoint is always rolled back at the end (the block
  only reads), which also undoes the setting, so it never leaks into the
  caller's transaction.

The budget is ``settings.CITYHALL_SEARCH_TIME_BUDGET_MS`` (milliseconds, per
query) unless the caller gives one.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connection, transaction

#: Virtual-machine instructions between two calls of the SQLite progress handler (a few microseconds).
_SQLITE_CHECK_EVERY = 2_000
_PG_QUERY_CANCELED = "57014"


class SearchTimedOut(Exception):
    """A search query ran past its time budget and was stopped by the database."""


def time_budget_ms() -> int:
    """The configured budget of one search query, in milliseconds."""
    return int(settings.CITYHALL_SEARCH_TIME_BUDGET_MS)


@contextmanager
def time_bounded(budget_ms: int | None = None) -> Iterator[None]:
    """Run the (read-only) queries inside with a time budget; raise :class:`SearchTimedOut` past it.

    Everything the block reads must be fetched inside it: on PostgreSQL the
    block is a savepoint that is rolled back when it ends.
    """
    budget = time_budget_ms() if budget_ms is None else budget_ms
    if connection.vendor == "sqlite":
        with _sqlite_bounded(budget):
            yield
    elif connection.vendor == "postgresql":
        with _postgres_bounded(budget):
            yield
    else:  # pragma: no cover - only the two databases are supported (see backends.backend_for)
        yield


@contextmanager
def _sqlite_bounded(budget_ms: int) -> Iterator[None]:
    connection.ensure_connection()
    raw = connection.connection
    deadline = time.monotonic() + budget_ms / 1000

    def past_deadline() -> bool:
        return time.monotonic() > deadline

    raw.set_progress_handler(past_deadline, _SQLITE_CHECK_EVERY)
    try:
        yield
    except DatabaseError as exc:
        # An interrupted statement reports "interrupted"; a real error is passed on.
        if "interrupt" in str(exc).lower() and past_deadline():
            raise SearchTimedOut(str(exc)) from exc
        raise
    finally:
        raw.set_progress_handler(None, 0)


@contextmanager
def _postgres_bounded(budget_ms: int) -> Iterator[None]:
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{max(budget_ms, 1)}ms"])
            yield
            # Read-only: rolling the savepoint back also restores statement_timeout.
            transaction.set_rollback(True)
    except DatabaseError as exc:
        if getattr(exc.__cause__, "sqlstate", None) == _PG_QUERY_CANCELED:
            raise SearchTimedOut(str(exc)) from exc
        raise
