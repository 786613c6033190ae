"""``verify_audit`` (監査ログの検証): an intact chain passes; tampering in the database is caught."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cityhall.core.audit import record, verify_chain
from cityhall.core.audit.chain import entry_bytes, timestamp_micros
from cityhall.core.audit.verify import ALTERED, BROKEN_LINK, MISSING
from cityhall.core.context import reset_access, set_access
from cityhall.core.models import AuditEntry
from cityhall.core.network import AccessContext
from cityhall.testing.audit import tamper as execute


@pytest.fixture
def chain(django_user_model) -> list[AuditEntry]:
    """Five entries covering every kind of field: a user, no user, Japanese text, remote access."""
    user = django_user_model.objects.create_user(username="suzuki", password="x" * 12)
    entries = [record(actor=None, action="test.boot")]
    entries.append(record(actor=user, action="org.unit.create", object_repr="税務課", after={"名称": "税務課"}))
    token = set_access(AccessContext(ip="2001:db8::1", is_office=False))
    try:
        entries.append(
            record(actor=user, action="org.unit.update", object_id="7", before={"名称": "税務課"}, after={"x": None})
        )
    finally:
        reset_access(token)
    entries.append(record(actor="seed_demo", action="test.seed", object_repr="ｶﾅ 半角"))
    entries.append(record(actor=user, action="test.last"))
    return entries


@pytest.mark.django_db
def test_an_intact_chain_verifies_and_the_command_exits_zero(chain, capsys):
    result = verify_chain(chunk_size=2)  # several chunks
    assert result.ok
    assert (result.checked, result.last_hash) == (5, chain[-1].entry_hash)
    call_command("verify_audit")
    assert "正常" in capsys.readouterr().out


@pytest.mark.django_db
def test_an_empty_chain_is_intact():
    assert verify_chain().ok and verify_chain().checked == 0


@pytest.mark.django_db
def test_an_entry_altered_directly_in_the_database_is_named(chain):
    execute("UPDATE core_auditentry SET object_repr = %s WHERE seq = %s", ["市民課", 2])
    result = verify_chain()
    assert result.broken is not None
    assert (result.broken.seq, result.broken.id, result.broken.reason) == (2, chain[1].pk, ALTERED)
    with pytest.raises(CommandError, match=rf"通番 2 \(id {chain[1].pk}\).*改ざん"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_an_altered_timestamp_is_caught(chain):
    execute("UPDATE core_auditentry SET created_at = %s WHERE seq = %s", [chain[0].created_at, 4])
    broken = verify_chain().broken
    assert broken is not None and (broken.seq, broken.reason) == (4, ALTERED)


@pytest.mark.django_db
def test_a_deleted_entry_leaves_a_gap(chain):
    execute("DELETE FROM core_auditentry WHERE seq = %s", [3])
    broken = verify_chain().broken
    assert broken is not None
    assert (broken.seq, broken.id, broken.reason, broken.expected_seq) == (4, chain[3].pk, MISSING, 3)
    with pytest.raises(CommandError, match=r"通番 4 .*欠落"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_a_deleted_first_entry_is_a_gap(chain):
    execute("DELETE FROM core_auditentry WHERE seq = %s", [1])
    broken = verify_chain().broken
    assert broken is not None and (broken.seq, broken.reason) == (2, MISSING)


@pytest.mark.django_db
def test_a_forged_entry_rehashed_without_fixing_the_next_breaks_the_link(chain):
    forged = AuditEntry.objects.get(seq=3)
    forged_repr = "改ざん後"
    digest = hashlib.sha256(
        entry_bytes(
            forged.seq,
            timestamp_micros(forged.created_at),
            forged.actor_id,
            forged.actor_label,
            forged.action,
            forged.object_type,
            forged.object_id,
            forged_repr,
            forged.before,
            forged.after,
            forged.source_ip,
            forged.is_office,
            forged.prev_hash,
        )
    ).hexdigest()
    execute("UPDATE core_auditentry SET object_repr = %s, entry_hash = %s WHERE seq = %s", [forged_repr, digest, 3])
    broken = verify_chain().broken
    assert broken is not None
    assert (broken.seq, broken.id, broken.reason) == (4, chain[3].pk, BROKEN_LINK)
    with pytest.raises(CommandError, match=r"通番 4 .*つながっていません"):
        call_command("verify_audit")
