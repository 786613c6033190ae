"""``seed_demo`` fills the demo city with documents in every state, through the services, once."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.audit import verify_chain
from cityhall.core.audit.labels import known_action
from cityhall.core.audit.models import AuditEntry
from cityhall.core.japanese import fiscal_year
from cityhall.documents.models import (
    DisposalList,
    Disposition,
    Document,
    DocumentStatus,
    Medium,
    PostReview,
    Receipt,
)
from cityhall.documents.selectors import inbox_counts
from cityhall.signing.verify import verify_pdf
from cityhall.testing.plugin import sqlite_only


# The whole demo city through every app's services (two minutes on PostgreSQL in CI): the states it
# reaches are the services', each tested on both databases; finance's demo test runs seed_demo there.
@sqlite_only
@pytest.mark.django_db
def test_seed_demo_makes_every_state_once(city_signing):
    out = io.StringIO()
    call_command("seed_demo", "--staff", "150", stdout=out)
    assert "デモ文書" in out.getvalue()
    today = timezone.localdate()
    # The finance demo adds its own typed documents (finance.*); count only the plain ones here.
    docs = Document.objects.exclude(doc_type__startswith="finance.")
    assert 100 <= docs.count() <= 400
    assert {s for s, _ in DocumentStatus.choices} - {"rejected", "withdrawn"} <= set(
        docs.values_list("status", flat=True)
    )
    assert {fiscal_year(today), fiscal_year(today) - 1} <= set(docs.values_list("fiscal_year", flat=True))
    assert docs.filter(decided_by_proxy=True).exists()
    assert PostReview.objects.filter(done_at__isnull=True, reviewer__username="demo-kacho").exists()
    assert docs.filter(medium=Medium.PAPER, fiscal_year__gte=fiscal_year(today) - 1).exists()
    assert docs.filter(status="closed", expires_on__lt=today, disposition="").exists()  # past retention
    # A decided list carried out: records disposed of (content gone), one 歴史公文書 transferred with its package.
    assert docs.filter(disposition=Disposition.DISPOSED, body="").count() >= 2
    assert docs.filter(disposition=Disposition.TRANSFERRED).count() == 1
    assert DisposalList.objects.exclude(package="").filter(carried_out_at__isnull=False).count() == 1
    assert docs.filter(doc_type="documents.disposal_list", status="circulating").exists()
    assert Receipt.objects.filter(circulated_at__isnull=False).exists()
    assert Receipt.objects.filter(answered_by__isnull=False).exists()
    signed = docs.exclude(signed_pdf="")
    assert 1 <= signed.count() <= 10
    report = verify_pdf(Path(signed[0].signed_pdf.path).read_bytes())
    assert report.signed and report.intact, report.message
    for name in ("demo-kakaricho", "demo-kacho", "demo-bucho"):
        assert inbox_counts(User.objects.get(username=name)).pending > 0, name
    drafter = inbox_counts(User.objects.get(username="demo-drafter"))
    assert drafter.in_progress and drafter.sent_back and drafter.done
    assert inbox_counts(User.objects.get(username="demo-bunsho")).in_progress > 0
    assert verify_chain().ok
    # Every action the demo city's history holds has a Japanese name in the audit room (audit_labels).
    actions = set(AuditEntry.objects.values_list("action", flat=True).distinct())
    assert sorted(a for a in actions if known_action(a) is None) == []

    documents, entries = Document.objects.count(), AuditEntry.objects.count()
    again = io.StringIO()
    call_command("seed_demo", "--staff", "150", stdout=again)
    assert "投入済み" in again.getvalue()
    assert (Document.objects.count(), AuditEntry.objects.count()) == (documents, entries)
