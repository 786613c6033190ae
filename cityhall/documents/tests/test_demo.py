"""``seed_demo`` fills the demo city with documents in every state, through the services, once."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
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
    DelegationRule,
    DisposalList,
    Disposition,
    Document,
    DocumentStatus,
    Medium,
    PostReview,
    Receipt,
    RecordLoan,
    StoredRecord,
)
from cityhall.documents.selectors import inbox_counts
from cityhall.signing.verify import verify_pdf
from cityhall.testing.plugin import sqlite_only
from cityhall.testing.web import client_for


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
    assert 300 <= docs.count() <= 800  # with the 年度's past months (demo.history)
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
    # The 事務決裁規程 as the 文書主管 edited it: changes scheduled from the next 1 April (施行予定).
    assert DelegationRule.objects.filter(valid_from__gt=today, replaces__isnull=False).count() >= 3
    online = Receipt.objects.filter(channel="online", has_personal_info=True, circulation_done_at__isnull=False)
    assert online.filter(readers__reader__username="demo-kacho", readers__seen_at__isnull=False).exists()
    assert StoredRecord.objects.exists()  # the 書庫: paper originals in boxes, one loan overdue
    assert RecordLoan.objects.filter(returned_on__isnull=True, due_on__lt=today).count() == 1
    signed = docs.exclude(signed_pdf="")
    assert 1 <= signed.count() <= 10
    report = verify_pdf(Path(signed[0].signed_pdf.path).read_bytes())
    assert report.signed and report.intact and report.trusted, report.message
    assert report.level == "B-LTA" and report.timestamps  # a record signed for its whole retention
    for name in ("demo-kakaricho", "demo-kacho", "demo-bucho"):
        assert inbox_counts(User.objects.get(username=name)).pending > 0, name
    drafter = inbox_counts(User.objects.get(username="demo-drafter"))
    assert drafter.in_progress and drafter.sent_back and drafter.done
    assert inbox_counts(User.objects.get(username="demo-bunsho")).in_progress > 0
    assert verify_chain().ok
    _dashboard_has_every_chart(today)
    # Every action the demo city's history holds has a Japanese name in the audit room (audit_labels).
    actions = set(AuditEntry.objects.values_list("action", flat=True).distinct())
    assert sorted(a for a in actions if known_action(a) is None) == []

    documents, entries = Document.objects.count(), AuditEntry.objects.count()
    again = io.StringIO()
    call_command("seed_demo", "--staff", "150", stdout=again)
    assert "投入済み" in again.getvalue()
    assert (Document.objects.count(), AuditEntry.objects.count()) == (documents, entries)


def _dashboard_has_every_chart(today: dt.date) -> None:
    """The mayor's DX dashboard: decisions in every month of the 年度 so far, paper in past months, and
    times to decision that differ by kind and by section (the history's routes took hours to days)."""
    page = client_for(User.objects.get(username="demo-shicho")).get("/dashboard/")
    assert page.status_code == 200
    found = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', page.content.decode())
    assert found is not None
    chart = json.loads(found.group(1))
    months = (today.month - 4) % 12 + 1  # April to this month
    assert all(n > 0 for n in chart["electronic"][:months]), chart["electronic"]
    assert sum(n > 0 for n in chart["paper"][: months - 1]) >= min(3, months - 1), chart["paper"]
    assert len(set(chart["kind_median"])) > 1 and len(set(chart["section_p90"])) > 2
    assert max(chart["section_median"]) >= 0.5  # days
    assert any(h > 0 for h in chart["hours"])
    assert 'data-testid="post-reviews">0<' not in page.content.decode()
