"""Writes to the search index (検索索引の更新): called by the owning app on commit.

The index is derived data: these functions take no actor and write no audit
entry (the owner audits the change of the item itself). They run in the
caller's transaction if there is one, so an owner may also index inside its
own service; the usual place is ``transaction.on_commit`` with the item's id.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cityhall.core.errors import ValidationFailed
from cityhall.search.backends import backend_for
from cityhall.search.models import SearchEntry
from cityhall.search.text import normalize_text

_BULK_BATCH = 1000


class IndexItem(NamedTuple):
    """One item for :func:`index_new_items`."""

    key: int
    title: str
    body: str
    extra_text: str = ""


def _check_kind(kind: str) -> None:
    if not kind or len(kind) > 40:
        raise ValidationFailed("検索索引の種別が不正です。", field="kind")


def item_text(title: str, body: str, extra_text: str = "") -> str:
    """The normalised text stored for an item: title, body and attachment text, space-separated."""
    return normalize_text(" ".join((title or "", body or "", extra_text or "")))


def index_item(*, key: int, kind: str, title: str, body: str, extra_text: str = "") -> None:
    """Add or replace one item (文書など) in the search index (検索索引の登録・更新)."""
    _check_kind(kind)
    text = item_text(title, body, extra_text)
    backend = backend_for(connection.vendor)
    with transaction.atomic():
        entry = SearchEntry.objects.select_for_update().filter(kind=kind, key=key).first()
        if entry is None:
            try:
                with transaction.atomic():
                    entry = SearchEntry.objects.create(kind=kind, key=key, text=text)
            except IntegrityError:
                # Someone indexed the same item concurrently: replace theirs.
                entry = SearchEntry.objects.select_for_update().get(kind=kind, key=key)
            else:
                with connection.cursor() as cursor:
                    backend.add(cursor, entry.pk, text)
                return
        if entry.text == text:
            return
        with connection.cursor() as cursor:
            backend.remove(cursor, entry.pk, entry.text)
            SearchEntry.objects.filter(pk=entry.pk).update(text=text, updated_at=timezone.now())
            backend.add(cursor, entry.pk, text)


def remove_item(*, key: int, kind: str) -> None:
    """Remove one item from the search index (検索索引からの削除); a missing item is no error."""
    _check_kind(kind)
    backend = backend_for(connection.vendor)
    with transaction.atomic():
        entry = SearchEntry.objects.select_for_update().filter(kind=kind, key=key).first()
        if entry is None:
            return
        with connection.cursor() as cursor:
            backend.remove(cursor, entry.pk, entry.text)
        SearchEntry.objects.filter(pk=entry.pk).delete()


def remove_items(*, keys: Iterable[int], kind: str) -> int:
    """Remove many items from the index in batches (一括削除: records disposed of); returns the number removed.

    Runs in the caller's transaction when there is one, so the entries go with the change that
    removes the items, all or none; keys not in the index are no error.
    """
    _check_kind(kind)
    backend = backend_for(connection.vendor)
    wanted = list(keys)
    removed = 0
    for start in range(0, len(wanted), _BULK_BATCH):
        chunk = wanted[start : start + _BULK_BATCH]
        with transaction.atomic():
            rows = list(
                SearchEntry.objects.select_for_update().filter(kind=kind, key__in=chunk).values_list("pk", "text")
            )
            if not rows:
                continue
            with connection.cursor() as cursor:
                backend.remove_many(cursor, rows)
            SearchEntry.objects.filter(pk__in=[entry_id for entry_id, _text in rows]).delete()
        removed += len(rows)
    return removed


def index_new_items(*, kind: str, items: Iterable[IndexItem]) -> int:
    """Index many items not yet in the index, in batches (一括登録: rebuilds and data loads).

    Returns the number indexed. An item already indexed makes the batch fail
    with an ``IntegrityError``; use :func:`index_item` for updates.
    """
    _check_kind(kind)
    backend = backend_for(connection.vendor)
    total = 0
    batch: list[SearchEntry] = []

    def flush() -> None:
        with transaction.atomic():
            created = SearchEntry.objects.bulk_create(batch)
            with connection.cursor() as cursor:
                backend.add_many(cursor, [(entry.pk, entry.text) for entry in created])

    for item in items:
        batch.append(SearchEntry(kind=kind, key=item.key, text=item_text(item.title, item.body, item.extra_text)))
        if len(batch) >= _BULK_BATCH:
            flush()
            total += len(batch)
            batch = []
    if batch:
        flush()
        total += len(batch)
    return total


def clear_kind(*, kind: str) -> int:
    """Remove every item of ``kind`` from the index (before a rebuild); returns the number removed."""
    _check_kind(kind)
    backend = backend_for(connection.vendor)
    removed = 0
    while True:
        with transaction.atomic():
            rows = list(SearchEntry.objects.filter(kind=kind).values_list("pk", "text")[:_BULK_BATCH])
            if not rows:
                return removed
            with connection.cursor() as cursor:
                for entry_id, text in rows:
                    backend.remove(cursor, entry_id, text)
            SearchEntry.objects.filter(pk__in=[entry_id for entry_id, _text in rows]).delete()
        removed += len(rows)


def rebuild_index() -> int:
    """Re-derive the whole n-gram index from the stored texts (索引の再構築); returns the entry count.

    Needed after a change of the n-gram scheme, or when ``search_entry`` was
    emptied outside these services (e.g. a test flush on SQLite).
    """
    backend = backend_for(connection.vendor)
    total = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            backend.clear(cursor)
        last = 0
        while True:
            rows = list(SearchEntry.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "text")[:_BULK_BATCH])
            if not rows:
                return total
            with connection.cursor() as cursor:
                backend.add_many(cursor, rows)
            total += len(rows)
            last = rows[-1][0]
