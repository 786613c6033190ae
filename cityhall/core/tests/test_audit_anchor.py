"""Anchoring the chain's head (監査ログのアンカー): entries cut from the end are detected."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from cityhall.core import schedule
from cityhall.core.audit import record, verify_chain
from cityhall.core.audit.anchor import read_anchor
from cityhall.core.audit.runs import VERIFY_ACTION, last_verification
from cityhall.core.models import AuditEntry
from cityhall.testing.audit import tamper

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def anchors(tmp_path: Path):
    with override_settings(AUDIT_ANCHOR_DIR=tmp_path / "anchors", SCHEDULER_STATE_FILE=tmp_path / "state.json"):
        yield tmp_path / "anchors"


@pytest.fixture
def ten_entries() -> list[AuditEntry]:
    return [record(actor="system", action="test.entry", object_id=str(i)) for i in range(10)]


@pytest.mark.django_db
def test_cutting_the_tail_passes_without_the_anchor_and_fails_with_it(ten_entries, tmp_path):
    anchor_file = tmp_path / "head.json"
    call_command("anchor_audit", output=anchor_file)
    head = read_anchor(anchor_file)
    assert head.seq == 10 and head.entry_hash == ten_entries[-1].entry_hash
    # An attacker with database access removes the last four entries and everything after them.
    tamper("DELETE FROM core_auditentry WHERE seq >= %s", [7])
    assert verify_chain().ok, "without the anchor the shorter chain still looks intact"
    call_command("verify_audit")
    with pytest.raises(CommandError, match=r"通番 7 から 10 がありません"):
        call_command("verify_audit", anchor=anchor_file)


@pytest.mark.django_db
def test_an_intact_chain_passes_the_anchor_and_later_entries_do_not_matter(ten_entries, tmp_path, capsys):
    anchor_file = tmp_path / "head.json"
    call_command("anchor_audit", output=anchor_file)
    record(actor="system", action="test.later")
    call_command("verify_audit", anchor=anchor_file, record=True)
    assert "アンカー 通番 10 まで確認" in capsys.readouterr().out
    last = last_verification()
    assert last is not None and last.ok and last.actor_label == "verify_audit"


@pytest.mark.django_db
def test_a_rebuilt_chain_with_another_hash_at_the_anchor_fails(ten_entries, tmp_path):
    anchor_file = tmp_path / "head.json"
    anchor_file.write_text(
        json.dumps({"format": "cityhall-audit-anchor/1", "seq": 5, "hash": "f" * 64, "written_at": ""}),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="通番 5 のハッシュがアンカーと一致しません"):
        call_command("verify_audit", anchor=anchor_file, record=True)
    entry = AuditEntry.objects.filter(action=VERIFY_ACTION).get()
    assert json.loads(entry.after)["ok"] is False


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["", "not json", "[]", '{"format": "cityhall-audit-anchor/1", "seq": "5"}'])
def test_an_unusable_anchor_file_gets_a_japanese_message(tmp_path, text):
    anchor_file = tmp_path / "bad.json"
    anchor_file.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="アンカーファイル"):
        call_command("verify_audit", anchor=anchor_file)
    with pytest.raises(CommandError, match="読めません"):
        call_command("verify_audit", anchor=tmp_path / "missing.json")


@pytest.mark.django_db
@override_settings(TASKS=IMMEDIATE)
def test_the_scheduler_anchors_and_verifies_once_a_day_in_japan_time(anchors, ten_entries):
    at = dt.datetime(2026, 12, 4, 15, 0, tzinfo=dt.UTC)  # 00:00 JST on 5 December
    assert schedule.run_due(at + dt.timedelta(minutes=20)) == []
    assert schedule.run_due(at + dt.timedelta(minutes=40)) == ["audit_anchor"]
    assert schedule.run_due(at + dt.timedelta(minutes=50)) == [], "once a day"
    files = sorted(anchors.glob("audit-anchor-*.json"))
    assert len(files) == 1 and read_anchor(files[0]).seq == 10
    # At 01:00 the nightly verification runs against the newest anchor and is recorded for the audit room.
    assert schedule.run_due(at + dt.timedelta(hours=1, minutes=10)) == ["audit_verify"]
    last = last_verification()
    assert last is not None and last.ok and "アンカー 通番 10" in last.message
    assert schedule.run_due(at + dt.timedelta(hours=2, minutes=10)) == ["signatures_extend"]
    assert schedule.run_due(at + dt.timedelta(hours=20)) == []
    assert schedule.run_due(at + dt.timedelta(days=1, hours=2)) == ["audit_anchor", "audit_verify", "signatures_extend"]
    assert AuditEntry.objects.filter(action="core.audit.anchor").count() == 2


@pytest.mark.django_db
@override_settings(TASKS=IMMEDIATE)
def test_the_background_verification_uses_the_newest_anchor(anchors, ten_entries):
    from cityhall.core.tasks import anchor_audit_head, verify_audit_chain

    anchor_audit_head.enqueue()
    tamper("DELETE FROM core_auditentry WHERE seq >= %s", [9])
    verify_audit_chain.enqueue(None)
    last = last_verification()
    assert last is not None and not last.ok and "通番 9 から 10 がありません" in last.message
