"""The ¥800,000 spending route: 係長 → 課長 (課長専決), and the engine's basic path."""

from __future__ import annotations

import pytest

from cityhall.core.audit import verify_chain
from cityhall.core.audit.models import AuditEntry
from cityhall.documents import services
from cityhall.documents.models import DocumentStatus, StepKind, StepState
from cityhall.documents.selectors import Bucket, inbox, inbox_counts


def test_800k_spending_goes_kakaricho_then_kacho(city, submitted):
    doc = submitted(kind="spending", amount=800_000)
    steps = list(doc.steps.order_by("order"))
    assert [(s.kind, s.assignee.username, s.state) for s in steps] == [
        (StepKind.REVIEW, "kakaricho", StepState.PENDING),
        (StepKind.DECIDE, "kacho", StepState.WAITING),
    ]
    assert doc.decision_label == "課長専決"
    assert doc.number_label == "緑総第1号"
    assert list(inbox(city.kakaricho, Bucket.PENDING)) == [doc]
    assert inbox_counts(city.drafter).in_progress == 1

    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    assert list(inbox(city.kacho, Bucket.PENDING)) == [doc]
    doc = services.approve(actor=city.kacho, document=doc, expected_version=doc.version, comment="了")
    assert doc.status == DocumentStatus.DECIDED
    assert doc.decided_by == city.kacho
    assert not doc.decided_by_proxy
    assert inbox_counts(city.drafter).done == 1
    assert AuditEntry.objects.filter(action="documents.document.decide", object_id=str(doc.pk)).exists()
    assert verify_chain().ok


@pytest.mark.parametrize(
    ("amount", "label", "decider"),
    [
        (999_999, "課長専決", "kacho"),
        (1_000_000, "部長専決", "bucho"),
        (4_999_999, "部長専決", "bucho"),
        (5_000_000, "副市長決裁", "fukushicho"),
        (30_000_000, "市長決裁", "shicho"),
    ],
)
def test_delegation_rule_bounds(city, submitted, amount, label, decider):
    doc = submitted(kind="spending", amount=amount)
    assert doc.decision_label == label
    last = doc.steps.order_by("order").last()
    assert last.kind == StepKind.DECIDE
    assert last.assignee.username == decider
