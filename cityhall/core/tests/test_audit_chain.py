"""Appending to the audit chain (監査ログの追記): links, access context, append-only model, concurrency."""

from __future__ import annotations

import hashlib
import threading

import pytest
from django.db import DatabaseError, connection, transaction

from cityhall.core.audit import record, record_many, verify_chain
from cityhall.core.audit.chain import entry_bytes, timestamp_micros
from cityhall.core.audit.models import GENESIS_HASH
from cityhall.core.context import reset_access, set_access
from cityhall.core.models import AuditEntry
from cityhall.core.network import AccessContext


@pytest.mark.django_db
def test_each_entry_hashes_its_fields_and_links_to_its_predecessor(django_user_model):
    user = django_user_model.objects.create_user(username="tanaka", password="x" * 12)
    first = record(actor=None, action="test.first")
    second = record(actor=user, action="test.second", object_repr="税務課", before={"名": "前"}, after={"名": "後"})
    assert (first.seq, first.prev_hash) == (1, GENESIS_HASH)
    assert (second.seq, second.prev_hash) == (2, first.entry_hash)
    assert (second.actor_id, second.actor_label) == (user.pk, "tanaka")
    stored = AuditEntry.objects.get(pk=second.pk)
    rebuilt = entry_bytes(
        stored.seq,
        timestamp_micros(stored.created_at),
        stored.actor_id,
        stored.actor_label,
        stored.action,
        stored.object_type,
        stored.object_id,
        stored.object_repr,
        stored.before,
        stored.after,
        stored.source_ip,
        stored.is_office,
        stored.prev_hash,
    )
    assert hashlib.sha256(rebuilt).hexdigest() == stored.entry_hash


@pytest.mark.django_db
def test_a_bulk_append_links_each_entry_as_appends_one_by_one_would(django_user_model):
    sato, suzuki = (django_user_model.objects.create_user(username=n, password="x" * 12) for n in ("sato", "suzuki"))
    first = record(actor=None, action="test.first")
    bulk = record_many(actor=sato, action="test.bulk", objects=[sato, suzuki], after=[{"n": 1}, {"n": 2}])
    last = record(actor=None, action="test.last")
    assert [(e.seq, e.prev_hash) for e in bulk] == [(2, first.entry_hash), (3, bulk[0].entry_hash)]
    assert [(e.object_id, e.after, e.actor_label) for e in bulk] == [
        (str(sato.pk), '{"n":1}', "sato"),
        (str(suzuki.pk), '{"n":2}', "sato"),
    ]
    assert (last.seq, last.prev_hash) == (4, bulk[1].entry_hash)
    assert verify_chain().ok


@pytest.mark.django_db
def test_the_access_context_set_for_the_request_is_recorded():
    token = set_access(AccessContext(ip="203.0.113.7", is_office=False))
    try:
        remote = record(actor="system", action="test.remote")
    finally:
        reset_access(token)
    office = record(actor="system", action="test.office")
    remote.refresh_from_db()
    assert (remote.source_ip, remote.is_office) == ("203.0.113.7", False)
    assert (office.source_ip, office.is_office) == ("", True)
    assert verify_chain().ok


@pytest.mark.django_db
def test_the_model_refuses_to_change_or_delete_an_entry():
    entry = record(actor=None, action="test.keep")
    entry.action = "test.changed"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.keep"


THREADS = 8
APPENDS = 25


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    errors: list[DatabaseError] = []
    start = threading.Barrier(THREADS)

    def writer(number: int) -> None:
        try:
            start.wait()
            for i in range(APPENDS):
                with transaction.atomic():
                    record(actor=f"writer{number}", action="test.concurrent", object_id=str(i))
        except DatabaseError as exc:  # reported by the main thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    total = THREADS * APPENDS
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, total + 1))
    prev_hashes = list(AuditEntry.objects.values_list("prev_hash", flat=True))
    assert len(set(prev_hashes)) == total, "two entries link to the same predecessor: the chain forked"
    result = verify_chain()
    assert result.ok and result.checked == total
