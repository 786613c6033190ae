"""Verifying the hash chain (監査ログの検証).

``verify_chain`` walks every entry in ``seq`` order, rebuilds the bytes that
were hashed when it was appended (``entry_bytes``, via ``utf8_entry_bytes``) from the stored columns,
recomputes SHA-256 and checks three things: ``seq`` runs 1, 2, 3 … without a
gap, the stored ``entry_hash`` equals the recomputed one, and ``prev_hash``
equals the previous entry's hash. It stops at the first broken entry.

It reads through a raw cursor in chunks (a server-side cursor on PostgreSQL),
never building model instances, so a million entries take seconds.

What it cannot see: entries removed from the *end* of the chain leave an
intact, shorter chain. Checking against an anchor kept outside the database
(``anchor.py``, ``verify_audit --anchor FILE``) is what catches that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction

from cityhall.core.audit.chain import utf8_entry_bytes
from cityhall.core.audit.models import GENESIS_HASH, AuditEntry

ALTERED = "altered"
MISSING = "missing"
BROKEN_LINK = "broken_link"

REASON_LABELS = {
    ALTERED: "内容が改ざんされています (ハッシュ不一致)",
    MISSING: "直前の通番が欠落しています",
    BROKEN_LINK: "直前のエントリのハッシュとつながっていません",
}

_EPOCH_AWARE = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_EPOCH_NAIVE = dt.datetime(1970, 1, 1)
_MICROSECOND = dt.timedelta(microseconds=1)
_TEXT_COLUMNS = (
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "source_ip",
)

Row = tuple[Any, ...]


@dataclass(frozen=True)
class BrokenEntry:
    """The first entry at which the chain is broken (改ざん検出箇所)."""

    seq: int
    id: int
    reason: str
    expected_seq: int

    @property
    def message(self) -> str:
        """A Japanese description naming the entry and the reason."""
        text = f"通番 {self.seq} (id {self.id}): {REASON_LABELS[self.reason]}"
        if self.reason == MISSING:
            text += f" (通番 {self.expected_seq} から {self.seq - 1} がありません)"
        return text


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of a chain verification: entries checked and the first break, if any."""

    checked: int
    last_seq: int
    last_hash: str
    broken: BrokenEntry | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _sqlite_micros(text: str) -> int:
    """``timestamp_micros`` of a datetime SQLite holds as text (naive UTC, Django's convention)."""
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        return (value - _EPOCH_NAIVE) // _MICROSECOND
    return (value - _EPOCH_AWARE) // _MICROSECOND


def _micros_from_sql(value: int) -> int:
    """PostgreSQL computes ``timestamp_micros`` itself (exact: ``EXTRACT`` gives numeric)."""
    return value


def _select(vendor: str, quote: Callable[[str], str]) -> tuple[str, Callable[[Any], int]]:
    """The streaming query, its text columns returned as UTF-8 bytes, and the timestamp reader.

    Text columns come back as the stored UTF-8 bytes (``CAST AS BLOB`` on
    SQLite, ``convert_to`` on PostgreSQL), so no row is decoded to ``str`` and
    encoded again; ``utf8_entry_bytes`` joins them exactly as ``entry_bytes``.
    """
    micros: Callable[[Any], int]
    if vendor == "postgresql":
        as_utf8 = "convert_to({}, 'UTF8')"
        # Exact microseconds since the epoch; parsing 10^6 timestamptz values in
        # Python would cost more than hashing them.
        created_at = f"(EXTRACT(EPOCH FROM {quote('created_at')}) * 1000000)::bigint"
        micros = _micros_from_sql
    else:
        as_utf8 = "CAST({} AS BLOB)"
        # An expression has no declared type, so the driver returns the raw text.
        created_at, micros = f"CAST({quote('created_at')} AS TEXT)", _sqlite_micros
    columns = [quote("id"), quote("seq"), created_at, quote("actor_id")]
    columns += [as_utf8.format(quote(name)) for name in _TEXT_COLUMNS]
    columns += [quote("is_office"), as_utf8.format(quote("prev_hash")), quote("entry_hash")]
    table = quote(AuditEntry._meta.db_table)
    return f"SELECT {', '.join(columns)} FROM {table} ORDER BY {quote('seq')}", micros  # noqa: S608 - fixed names


def _check_rows(
    rows: Iterable[Row],
    expected_seq: int,
    prev: bytes,
    micros: Callable[[Any], int],
) -> tuple[int, bytes, BrokenEntry | None]:
    """Check consecutive rows; return the next expected seq, the last hash and any break."""
    sha256 = hashlib.sha256
    build = utf8_entry_bytes
    for (
        pk,
        seq,
        created_at,
        actor_id,
        actor_label,
        action,
        object_type,
        object_id,
        object_repr,
        before,
        after,
        source_ip,
        is_office,
        prev_hash,
        entry_hash,
    ) in rows:
        if seq != expected_seq:
            return expected_seq, prev, BrokenEntry(seq, pk, MISSING, expected_seq)
        digest = sha256(
            build(
                seq,
                micros(created_at),
                actor_id,
                actor_label,
                action,
                object_type,
                object_id,
                object_repr,
                before,
                after,
                source_ip,
                is_office,
                prev_hash,
            )
        ).hexdigest()
        if digest != entry_hash:
            return expected_seq, prev, BrokenEntry(seq, pk, ALTERED, expected_seq)
        if prev_hash != prev:
            return expected_seq, prev, BrokenEntry(seq, pk, BROKEN_LINK, expected_seq)
        prev = digest.encode()
        expected_seq += 1
    return expected_seq, prev, None


def verify_chain(*, using: str = "default", chunk_size: int = 5000) -> VerifyResult:
    """Verify the whole audit chain in seq order (監査ログの連鎖検証)."""
    connection = connections[using]
    sql, micros = _select(connection.vendor, connection.ops.quote_name)
    expected_seq, prev, broken = 1, GENESIS_HASH.encode(), None
    # A server-side cursor on PostgreSQL streams inside a transaction (outside
    # one it would be materialised WITH HOLD first). On SQLite a transaction
    # would take the write lock, and a plain cursor already streams.
    scope: AbstractContextManager[Any] = (
        transaction.atomic(using=using) if connection.vendor == "postgresql" else nullcontext()
    )
    with scope, connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        while broken is None:
            rows = cursor.fetchmany(chunk_size)
            if not rows:
                break
            expected_seq, prev, broken = _check_rows(rows, expected_seq, prev, micros)
    return VerifyResult(checked=expected_seq - 1, last_seq=expected_seq - 1, last_hash=prev.decode(), broken=broken)
