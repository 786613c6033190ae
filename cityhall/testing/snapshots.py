"""Data built once per test database through the services, then restored per test (テストデータの再利用).

Building the test city through the real services (users, units, assignments, role grants,
each with its hash-chained audit entry) takes a fifth of a second; a thousand tests would
spend minutes on it. So the first test of a test database that asks for the city builds it
inside a savepoint, keeps the rows the build added and rolls the savepoint back; every test,
that one included, then inserts those rows again with their primary keys (one ``executemany``
per table), inside its own transaction, and gets the built objects back by primary key. The
rows are exactly what the services wrote: audit entries keep their hashes and the chain stays
valid. A snapshot may sit on another (the budget on the city): it holds only the rows its own
build added.

Restoring needs the rows the snapshot was built on (the migrations' data, and the parent's
rows); a test that runs outside a transaction (``transaction=True``, browser tests) gets an
emptied database afterwards, so such tests, and any test whose database no longer holds those
rows, build through the services as before. Written here because neither Django's fixtures
(``loaddata`` saves object by object, and cannot replay what services do) nor pytest-django
(its serialized rollback serialises only what the migrations made) restore rows built by a test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model

BUILT_WHERE = "search_entry"  # rows here would need the search index's own tables too


@dataclass(frozen=True)
class Ref:
    """A model instance of a built namespace, by model label and primary key."""

    label: str
    pk: Any


@dataclass(frozen=True)
class TableRows:
    """The rows one build added to one table, as ready-made database parameters."""

    model: type[Model]
    sql: str
    params: tuple[tuple[Any, ...], ...]


@dataclass
class Snapshot:
    """What a build added to the database, the rows it stood on, and its namespace as references."""

    name: str
    tables: tuple[TableRows, ...]
    baseline: dict[str, int]
    handles: Any
    restores: int = field(default=0)


def in_transaction() -> bool:
    """Whether the test runs inside a transaction that is rolled back after it (pytest-django ``db``)."""
    return connection.in_atomic_block


def capture(name: str, build: Callable[..., Any], *args: Any) -> Snapshot:
    """Run ``build(*args)`` in a savepoint of the current transaction; keep what it added; roll it back.

    The services' durable transactions nest inside a test's transaction (pytest-django marks
    it so), and a bare savepoint is not an atomic block, so they run as they do in a test.
    """
    if not in_transaction():
        raise RuntimeError("a snapshot is captured inside a test's transaction")
    tables = _model_tables()
    before = {table: _pks(model) for table, model in tables.items()}
    savepoint = transaction.savepoint()
    try:
        built = build(*args)
        added = tuple(rows for table, model in tables.items() if (rows := _added(model, before[table])) is not None)
        if any(rows.model._meta.db_table == BUILT_WHERE for rows in added):
            raise RuntimeError(f"the {name} build indexed documents; snapshots hold no search index")
        handles = _to_handles(built)
    finally:
        transaction.savepoint_rollback(savepoint)
    baseline = {rows.model._meta.db_table: len(before[rows.model._meta.db_table]) for rows in added}
    return Snapshot(name=name, tables=added, baseline=baseline, handles=handles)


def restorable(snapshot: Snapshot) -> bool:
    """Whether the database holds exactly the rows the snapshot was built on (one query)."""
    if not in_transaction():
        return False
    if not snapshot.baseline:
        return True
    names = list(snapshot.baseline)
    counts = ", ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(n)})" for n in names)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return dict(zip(names, row, strict=True)) == snapshot.baseline


def restore(snapshot: Snapshot) -> Any:
    """Insert the snapshot's rows with their primary keys and return its namespace of fresh objects."""
    with connection.cursor() as cursor:
        for rows in snapshot.tables:
            cursor.executemany(rows.sql, rows.params)
        for statement in connection.ops.sequence_reset_sql(no_style(), [rows.model for rows in snapshot.tables]):
            cursor.execute(statement)
    snapshot.restores += 1
    return _from_handles(snapshot.handles, _fetch(snapshot.handles))


def _model_tables() -> dict[str, type[Model]]:
    found: dict[str, type[Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and meta.db_table not in found:
            found[meta.db_table] = model
    return found


def _pks(model: type[Model]) -> set[Any]:
    return set(model._base_manager.values_list("pk", flat=True))


def _added(model: type[Model], before: set[Any]) -> TableRows | None:
    fields = model._meta.local_concrete_fields
    new = [
        values
        for values in model._base_manager.values_list(*(f.attname for f in fields))
        if _pk(model, values) not in before
    ]
    if not new:
        return None
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    params = tuple(
        tuple(f.get_db_prep_save(value, connection) for f, value in zip(fields, values, strict=True)) for values in new
    )
    return TableRows(model=model, sql=sql, params=params)


def _pk(model: type[Model], values: tuple[Any, ...]) -> Any:
    names = [f.attname for f in model._meta.local_concrete_fields]
    return values[names.index(model._meta.pk.attname)]


def _to_handles(value: Any) -> Any:
    if isinstance(value, Model):
        return Ref(value._meta.label, value.pk)
    if isinstance(value, SimpleNamespace):
        return SimpleNamespace(**{k: _to_handles(v) for k, v in vars(value).items()})
    if isinstance(value, dict):
        return {k: _to_handles(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_to_handles(v) for v in value)
    if callable(value):
        raise TypeError("a snapshot's namespace holds data, not functions")
    return value


def _refs(value: Any) -> Iterable[Ref]:
    if isinstance(value, Ref):
        yield value
    elif isinstance(value, SimpleNamespace):
        for item in vars(value).values():
            yield from _refs(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _refs(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _refs(item)


def _fetch(handles: Any) -> dict[str, dict[Any, Model]]:
    wanted: dict[str, set[Any]] = {}
    for ref in _refs(handles):
        wanted.setdefault(ref.label, set()).add(ref.pk)
    return {label: apps.get_model(label)._base_manager.in_bulk(pks) for label, pks in wanted.items()}


def _from_handles(value: Any, objects: dict[str, dict[Any, Model]]) -> Any:
    if isinstance(value, Ref):
        return objects[value.label][value.pk]
    if isinstance(value, SimpleNamespace):
        return SimpleNamespace(**{k: _from_handles(v, objects) for k, v in vars(value).items()})
    if isinstance(value, dict):
        return {k: _from_handles(v, objects) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_from_handles(v, objects) for v in value)
    return value
