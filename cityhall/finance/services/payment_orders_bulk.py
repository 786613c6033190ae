"""Many payment orders drafted in one transaction (支出命令の一括起案), for imports and recurring payments.

Each order is planned with the same checks as ``payment_order_draft`` and written in a savepoint of
its own: an order that fails (a closed year, an unknown account, the hard stop of the budget) is
reported with its reason and leaves nothing, and the others go on. The budget is checked under the
allotment's lock as for one order, but each allotment is locked and its balance read once for the
batch, and each creditor locked once (``payment_order_locks.DraftChecks``), before the savepoints.
The caller holds the outer transaction, so everything the call creates commits together with the
caller's own rows (the import's report) or not at all. The documents drafted go into the search index
together after commit (``index_new``), not one by one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from cityhall.accounts.models import User
from cityhall.core.errors import ApplicationError
from cityhall.documents.typed import index_new
from cityhall.finance.models import BudgetLine, Encumbrance, PaymentMethod, PaymentOrder
from cityhall.finance.services._common import require_user, today
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_order_locks import DraftChecks
from cityhall.finance.services.payment_orders import _draft_in_transaction, _plan


@dataclass(frozen=True)
class OrderDraft:
    """One payment order to draft, as ``payment_order_draft`` takes it; ``key`` names it for the caller."""

    key: str
    title: str
    kind: str
    lines: Sequence[OrderLineInput]
    payment_date: dt.date
    line: BudgetLine | None = None
    encumbrance: Encumbrance | None = None
    invoice_received_on: dt.date | None = None
    inspection_date: dt.date | None = None
    inspector: User | None = None
    description: str = ""
    body: str = ""
    payment_method: str = PaymentMethod.TRANSFER
    method: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DraftOutcome:
    """What became of one ``OrderDraft``: the order, or the error that refused it (nothing written)."""

    key: str
    order: PaymentOrder | None
    error: ApplicationError | None


_NO_METHOD: dict[str, Any] = {
    "payment_timing": "regular",
    "advance_holder": None,
    "method_ground": "",
    "transfer_to": "",
    "prior_fiscal_year": None,
}


def _one(actor: User, draft: OrderDraft, day: dt.date, checks: DraftChecks) -> PaymentOrder:
    plan = _plan(
        kind=draft.kind,
        lines=draft.lines,
        payment_date=draft.payment_date,
        line=draft.line,
        encumbrance=draft.encumbrance,
        payment_method=draft.payment_method,
        inspection_date=draft.inspection_date,
        inspector=draft.inspector,
        drafter=actor,
        invoice_received_on=draft.invoice_received_on,
        description=draft.description,
        day=day,
        method=_NO_METHOD | draft.method,
    )
    # Outside the savepoint: the batch's locks outlive an order that is refused after taking them.
    prepared = checks.run(actor, day, plan)
    with transaction.atomic():  # a savepoint: a refused order leaves nothing, the others go on
        return _draft_in_transaction(
            actor, plan, day, title=draft.title, body=draft.body, prepared=prepared, index=False
        )


def payment_orders_draft_many(
    *, actor: Any, drafts: Sequence[OrderDraft], on: dt.date | None = None
) -> list[DraftOutcome]:
    """Draft each order of ``drafts`` inside the caller's transaction; one outcome per draft, in order.

    Must run inside ``transaction.atomic`` of the caller (the import), which decides whether all the
    created orders commit.
    """
    actor = require_user(actor)
    day = today(on)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("payment_orders_draft_many needs the caller's transaction")
    outcomes = []
    checks = DraftChecks()  # one lock and one balance read per allotment for the whole batch
    for draft in drafts:
        try:
            outcomes.append(DraftOutcome(draft.key, _one(actor, draft, day, checks), None))
        except ApplicationError as exc:
            outcomes.append(DraftOutcome(draft.key, None, exc))
    index_new([outcome.order.document_id for outcome in outcomes if outcome.order is not None])
    return outcomes
