"""Appending to the hash chain.

Each entry's hash covers its own fields and the previous entry's hash, so an
entry altered, removed or inserted in the database breaks the chain from that
point. Appends are serialised: on PostgreSQL by a transaction-scoped advisory
lock, on SQLite by the IMMEDIATE write lock every transaction takes (see
settings), so two writers never both link to the same predecessor.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from cityhall.core.audit.models import GENESIS_HASH, AuditEntry
from cityhall.core.context import current_access
from cityhall.core.network import AccessContext

# Arbitrary constant key for pg_advisory_xact_lock: "cityhall audit".
_PG_LOCK_KEY = 0x636974790A0D17
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_SEPARATOR = b"\x1f"
_BATCH = 500


def canonical_json(value: Any) -> str:
    """Stable JSON text for before/after values (sorted keys, no spaces)."""
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def timestamp_micros(moment: dt.datetime) -> int:
    """Microseconds since the epoch: the timestamp as it enters the hash."""
    return (moment - _EPOCH) // dt.timedelta(microseconds=1)


def entry_bytes(
    seq: int,
    micros: int,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    before: str,
    after: str,
    source_ip: str,
    is_office: bool,
    prev_hash: str,
) -> bytes:
    """The exact bytes hashed for one entry; ``verify_audit`` rebuilds them."""
    return utf8_entry_bytes(
        seq,
        micros,
        actor_id,
        actor_label.encode(),
        action.encode(),
        object_type.encode(),
        object_id.encode(),
        object_repr.encode(),
        before.encode(),
        after.encode(),
        source_ip.encode(),
        is_office,
        prev_hash.encode(),
    )


def utf8_entry_bytes(
    seq: int,
    micros: int,
    actor_id: int | None,
    actor_label: bytes,
    action: bytes,
    object_type: bytes,
    object_id: bytes,
    object_repr: bytes,
    before: bytes,
    after: bytes,
    source_ip: bytes,
    is_office: bool,
    prev_hash: bytes,
) -> bytes:
    """``entry_bytes`` from text fields already encoded as UTF-8 (as the database returns them).

    The layout: the thirteen fields in this order, joined by U+001F; integers in
    decimal, no actor as the empty string, office as ``1`` and remote as ``0``.
    """
    return _SEPARATOR.join(
        (
            b"%d" % seq,
            b"%d" % micros,
            b"" if actor_id is None else b"%d" % actor_id,
            actor_label,
            action,
            object_type,
            object_id,
            object_repr,
            before,
            after,
            source_ip,
            b"1" if is_office else b"0",
            prev_hash,
        )
    )


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])


def _chain_tail() -> tuple[int, str]:
    last = AuditEntry.objects.order_by("-seq").values_list("seq", "entry_hash").first()
    return last if last is not None else (0, GENESIS_HASH)


def snapshot(obj: Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The audited state of a model instance: its concrete field values."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: getattr(obj, name) for name in names}


def _entry(
    seq: int,
    now: dt.datetime,
    actor: Any,
    action: str,
    obj: Model | None,
    texts: tuple[str, str, str],
    before: Any,
    after: Any,
    access: AccessContext,
    prev_hash: str,
) -> AuditEntry:
    """The unsaved entry ``seq`` linked to ``prev_hash``; ``texts`` are the object's type, id and label."""
    object_type, object_id, object_repr = texts
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
    actor_id = getattr(actor, "pk", None) if actor is not None and getattr(actor, "is_authenticated", False) else None
    actor_label = (actor.get_username() if actor_id is not None else str(actor or "system"))[:150]
    before_text, after_text = canonical_json(before), canonical_json(after)
    digest = hashlib.sha256(
        entry_bytes(
            seq,
            timestamp_micros(now),
            actor_id,
            actor_label,
            action,
            object_type,
            object_id,
            object_repr[:255],
            before_text,
            after_text,
            access.ip,
            access.is_office,
            prev_hash,
        )
    ).hexdigest()
    return AuditEntry(
        seq=seq,
        created_at=now,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        before=before_text,
        after=after_text,
        source_ip=access.ip,
        is_office=access.is_office,
        prev_hash=prev_hash,
        entry_hash=digest,
    )


def record(
    *,
    actor: Any,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: Any = None,
    after: Any = None,
    access: AccessContext | None = None,
) -> AuditEntry:
    """Append one audit entry in the caller's transaction (監査ログの記録)."""
    access = access or current_access()
    with transaction.atomic():
        _lock_chain()
        last_seq, last_hash = _chain_tail()
        entry = _entry(
            last_seq + 1,
            timezone.now(),
            actor,
            action,
            obj,
            (object_type, object_id, object_repr),
            before,
            after,
            access,
            last_hash,
        )
        entry.save(force_insert=True)
        return entry


def record_many(
    *,
    actor: Any,
    action: str,
    objects: Sequence[Model],
    after: Sequence[Any],
    access: AccessContext | None = None,
) -> list[AuditEntry]:
    """Append one entry per object, in order, in the caller's transaction (一括の監査ログ: bulk loads).

    Each entry is the one ``record(actor=, action=, obj=, after=)`` would append for that object,
    with the same time for all; the chain is locked and its tail read once, the entries inserted
    in batches, so thousands of records cost a few queries instead of a few per record.
    """
    if len(objects) != len(after):
        raise ValueError("record_many needs one 'after' per object")
    access = access or current_access()
    entries: list[AuditEntry] = []
    with transaction.atomic():
        _lock_chain()
        last_seq, last_hash = _chain_tail()
        now = timezone.now()
        for offset, (obj, values) in enumerate(zip(objects, after, strict=True), start=1):
            entry = _entry(last_seq + offset, now, actor, action, obj, ("", "", ""), None, values, access, last_hash)
            entries.append(entry)
            last_hash = entry.entry_hash
        AuditEntry.objects.bulk_create(entries, batch_size=_BATCH)
    return entries
