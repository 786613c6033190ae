"""Two 変更契約 racing for the same last yen: the increases held never exceed the allotment.

Each thread submits its own increase (and has it decided) at the same moment, through the real
services on the test database (SQLite or PostgreSQL): the allotment lock serialises the hard stop.
"""

from __future__ import annotations

import pytest

from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus
from cityhall.finance import balance, services
from cityhall.finance.models import Allotment, Encumbrance, EncumbranceChange
from cityhall.testing.engine import decide
from cityhall.testing.race import race


@pytest.mark.django_db(transaction=True)
def test_two_increases_racing_for_the_last_yen(city, budget, encumber):
    first, second = encumber(amount=800_000, title="その1"), encumber(amount=800_000, title="その2")
    decide(first)
    decide(second)
    assert balance.available_amount(Allotment.objects.get(pk=budget.allotment.pk)) == 1_400_000
    changes = [
        services.encumbrance_change_draft(actor=city.drafter, encumbrance=enc, new_amount=1_800_000, reason="増")
        for enc in (first, second)
    ]

    def submit_and_decide(document_id: int):
        def act() -> None:
            doc = Document.objects.get(pk=document_id)
            doc = docs.submit(actor=city.drafter, document=doc, expected_version=doc.version)
            while doc.status == DocumentStatus.CIRCULATING:
                step = doc.steps.get(round=doc.current_round, state="pending")
                doc = docs.approve(actor=step.assignee, document=doc, expected_version=doc.version)

        return act

    outcomes = race([submit_and_decide(c.document_id) for c in changes])

    assert sorted(outcomes) == ["ValidationFailed", "ok"]
    applied = EncumbranceChange.objects.filter(applied_at__isnull=False)
    assert applied.count() == 1
    amounts = sorted(Encumbrance.objects.filter(pk__in=[first.pk, second.pk]).values_list("amount", flat=True))
    assert amounts == [800_000, 1_800_000]
    assert balance.available_amount(Allotment.objects.get(pk=budget.allotment.pk)) == 400_000
