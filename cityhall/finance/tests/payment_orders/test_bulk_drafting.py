"""Many payment orders in the caller's transaction: a refused one leaves nothing, the others go on."""

from __future__ import annotations

import pytest
from django.db import transaction

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import ValidationFailed
from cityhall.documents.models import Document
from cityhall.documents.selectors import search_documents
from cityhall.finance.models import PaymentOrder
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders import payment_order_draft
from cityhall.finance.services.payment_orders_bulk import OrderDraft, payment_orders_draft_many
from cityhall.testing.finance import pay_day

pytestmark = pytest.mark.django_db


def _draft(budget, key: str, amount: int) -> OrderDraft:
    return OrderDraft(
        key=key,
        title=f"請求書 {key} の支払について",
        kind="combined",
        lines=[OrderLineInput(creditor=budget.creditor, amount=amount)],
        payment_date=pay_day(),
        line=budget.line,
    )


def test_a_refused_order_is_reported_and_the_others_are_drafted(city, budget):
    amounts = {"A": 1_000_000, "B": 3_500_000, "C": 2_000_000, "D": 3_000_001}
    drafts = [_draft(budget, key, amount) for key, amount in amounts.items()]
    with transaction.atomic():
        outcomes = payment_orders_draft_many(actor=city.drafter, drafts=drafts)
    assert [o.key for o in outcomes] == ["A", "B", "C", "D"]
    assert [o.order is None for o in outcomes] == [False, True, False, True]
    # ¥3,000,000 allotted and drafts hold none: B alone exceeds it, and so does D with the balance read once.
    for draft, refused in ((drafts[1], outcomes[1]), (drafts[3], outcomes[3])):
        with pytest.raises(ValidationFailed) as alone:  # the same draft through the one-order service
            payment_order_draft(
                actor=city.drafter, title=draft.title, kind=draft.kind, lines=draft.lines,
                payment_date=draft.payment_date, line=draft.line,
            )  # fmt: skip
        assert refused.error is not None and refused.error.message == alone.value.message
        assert f"要求額: {amounts[refused.key]:,}円" in refused.error.message
    orders = PaymentOrder.objects.order_by("pk")
    made = [o.order.pk for o in outcomes if o.order is not None]
    assert [o.pk for o in orders] == made and len(made) == 2
    assert AuditEntry.objects.filter(action="finance.payment_order.create").count() == 2


def test_nothing_stays_when_the_callers_transaction_rolls_back(city, budget):
    with transaction.atomic():
        payment_orders_draft_many(actor=city.drafter, drafts=[_draft(budget, "A", 1_000)])
        transaction.set_rollback(True)
    assert not PaymentOrder.objects.exists() and not Document.objects.exists()


def test_the_drafted_orders_are_found_by_search_after_commit(city, budget, django_capture_on_commit_callbacks):
    drafts = [_draft(budget, key, 1_000) for key in ("甲", "乙", "丙")]
    drafts[1] = _draft(budget, "乙", 9_000_000)  # refused by the budget: nothing of it stays, nor in the index
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        outcomes = payment_orders_draft_many(actor=city.drafter, drafts=drafts)
    assert len(callbacks) == 1  # the documents go into the index together
    found = {key: [d.pk for d in search_documents(city.drafter, f"請求書 {key} の支払")] for key in ("甲", "乙", "丙")}
    assert found == {
        "甲": [outcomes[0].order.document_id],  # type: ignore[union-attr]
        "乙": [],
        "丙": [outcomes[2].order.document_id],  # type: ignore[union-attr]
    }
