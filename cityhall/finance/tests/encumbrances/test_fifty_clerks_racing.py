"""Fifty clerks racing for the last ¥1,000,000 of a line: the sum decided never exceeds the allotment.

Each thread submits its own ¥100,000 encumbrance (支出負担行為) and has it
approved by the 係長 and decided by the 課長 (課長専決), all at once, through
the real services on the test database (SQLite or PostgreSQL).
"""

from __future__ import annotations

import pytest
from django.db.models import Sum

from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus
from cityhall.finance import balance, services
from cityhall.finance.models import Allotment, Encumbrance
from cityhall.testing.race import race as _race

CLERKS = 50
EACH = 100_000


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_encumbrances_never_exceed_the_allotment(city, budget, encumber):
    services.allotment_set(actor=budget.staff, line=budget.line, section=city.units.soumu, amount=1_000_000)
    drafts = [encumber(amount=EACH, title=f"消耗品の購入（{i + 1}）") for i in range(CLERKS)]

    def submit_and_decide(document_id: int):
        def act() -> None:
            doc = Document.objects.get(pk=document_id)
            doc = docs.submit(actor=city.drafter, document=doc, expected_version=doc.version)
            doc = docs.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
            docs.approve(actor=city.kacho, document=doc, expected_version=doc.version)

        return act

    outcomes = _race([submit_and_decide(e.document_id) for e in drafts])

    assert outcomes.count("ok") == 10
    assert outcomes.count("ValidationFailed") == CLERKS - 10
    decided = Encumbrance.objects.filter(document__status=DocumentStatus.DECIDED)
    assert decided.aggregate(total=Sum("amount"))["total"] == 1_000_000
    assert {d.decided_by_id for d in Document.objects.filter(status=DocumentStatus.DECIDED)} == {city.kacho.pk}
    assert Document.objects.filter(status=DocumentStatus.DRAFT).count() == CLERKS - 10
    assert balance.available_amount(Allotment.objects.get(pk=budget.allotment.pk)) == 0
