"""Decided records keep signatures that outlive their certificates (長期署名): B-LTA, extended when due."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cityhall.core.audit.models import AuditEntry
from cityhall.documents.longterm import records_due, signatures_extend
from cityhall.documents.models import Document
from cityhall.documents.sheet import sign_decided_document
from cityhall.signing.models import LongTermSignature
from cityhall.testing.engine import approve_to_decision

YEAR = dt.timedelta(days=365)


def _decided(submitted) -> Document:
    return approve_to_decision(submitted())


def test_a_decided_record_is_signed_b_lta_and_verify_pdf_says_so(city, submitted, city_signing, capsys):
    doc = _decided(submitted)
    assert sign_decided_document(doc.pk)
    doc.refresh_from_db()
    state = LongTermSignature.objects.get(owner_type="documents.document", owner_id=doc.pk)
    assert state.level == "B-LTA" and state.proof_until is not None
    assert not records_due(margin=YEAR).filter(pk=doc.pk).exists()
    call_command("verify_pdf", "--require-trusted", doc.signed_pdf.path)
    out = capsys.readouterr().out
    assert "PAdES B-LTA" in out and "署名タイムスタンプ（有効）" in out and "文書タイムスタンプ（有効）" in out

    # By its number, as an operator knows it, read through the storage API (S3 has no path).
    call_command("verify_record", "--require-trusted", doc.number_label)
    by_number = capsys.readouterr().out
    assert by_number.startswith(f"文書: {doc.number_label}") and "PAdES B-LTA" in by_number
    full_width = doc.number_label.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    call_command("verify_record", f" {full_width} ")  # as typed with an IME
    assert "PAdES B-LTA" in capsys.readouterr().out
    call_command("verify_record", str(doc.pk), "--fiscal-year", str(doc.fiscal_year))
    assert "PAdES B-LTA" in capsys.readouterr().out


def test_verify_record_says_why_it_cannot_verify(city, submitted):
    unsigned = _decided(submitted)  # the worker has not signed it yet
    for key, why in ((unsigned.number_label, "署名済みPDFがありません"), ("緑総第99999号", "見つかりません")):
        with pytest.raises(CommandError, match=why) as refused:
            call_command("verify_record", key)
        assert refused.value.returncode == 2
    Document.objects.filter(pk=unsigned.pk).update(fiscal_year=unsigned.fiscal_year - 1)
    twin = _decided(submitted)
    Document.objects.filter(pk=twin.pk).update(number_label=unsigned.number_label)
    with pytest.raises(CommandError, match="複数あります"):
        call_command("verify_record", unsigned.number_label)


def test_a_record_signed_while_the_tsa_was_down_is_extended_once(
    settings, city, submitted, city_signing, django_capture_on_commit_callbacks
):
    settings.CITYHALL_TSA_URL = "http://127.0.0.1:9/tsa"  # nothing listens there
    settings.CITYHALL_TSA_RETRIES = 0
    doc = _decided(submitted)
    assert sign_decided_document(doc.pk)  # the decision gets its signed sheet all the same
    doc.refresh_from_db()
    old_path = Path(doc.signed_pdf.path)
    assert LongTermSignature.objects.get(owner_id=doc.pk).level == "B-B"
    assert list(records_due(margin=YEAR)) == [doc]
    with pytest.raises(CommandError):
        call_command("extend_signatures")  # still down: reported, nothing changed
    doc.refresh_from_db()
    assert Path(doc.signed_pdf.path) == old_path

    settings.CITYHALL_TSA_URL = "local"
    with django_capture_on_commit_callbacks(execute=True):
        result = signatures_extend()
    assert (result.extended, result.failed) == (1, [])
    doc.refresh_from_db()
    data = Path(doc.signed_pdf.path).read_bytes()
    assert hashlib.sha256(data).hexdigest() == doc.signed_pdf_sha256
    assert not old_path.exists()  # replaced after commit
    assert LongTermSignature.objects.get(owner_id=doc.pk).level == "B-LTA"
    entry = AuditEntry.objects.filter(action="documents.document.timestamp").get()
    assert json.loads(entry.after)["level"] == "B-LTA"
    again = signatures_extend()  # idempotent
    assert (again.extended, again.current, again.failed) == (0, 0, [])


def test_disposed_records_are_not_extended(city, submitted, city_signing):
    doc = _decided(submitted)
    sign_decided_document(doc.pk)
    Document.objects.filter(pk=doc.pk).update(status="closed", closed_on=dt.date(2026, 4, 1))
    Document.objects.filter(pk=doc.pk).update(disposition="disposed", disposed_on=dt.date(2027, 4, 1))
    assert not records_due(margin=40 * YEAR).exists()
