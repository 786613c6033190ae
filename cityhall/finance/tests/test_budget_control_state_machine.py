"""Invariants of budget control under random use (予算統制の不変条件, hypothesis stateful test).

Random staff set budget versions (当初・補正), allotments (配当), draft budget
transfers (流用), encumbrances (支出負担行為) and payment orders (支出命令 against
an encumbrance, 支出負担行為兼支出命令, 集合支出命令), move them through the
approval engine (submit, approve up to the decision, send back, pull back,
reject, withdraw), amend and cancel decided encumbrances (mostly by the one who
decided them; a clerk's attempt must be refused), change them by 変更契約 (増額・減額, routed
and decided like the others); the accounting
manager approves or returns decided orders (会計管理者審査), exports batches as
全銀 files and marks them paid. Amounts are random and include invalid ones
(decimals, text, zero, negative, far too big). A refused step must change
nothing. After every step, computed from the database independently of
``cityhall.finance.balance``:

- no allotment's available balance (執行可能額) is negative, and the
  encumbrances holding budget (with the increases of 変更契約 in circulation) never exceed the allotment;
- a line's budget (予算現額) is never below what is allotted from it;
- Σ ordered ≤ the amount of each encumbrance, and nothing is ordered on a
  cancelled or undecided one;
- each exported or paid batch totals its orders and keeps them as exported;
  Σ paid (orders in paid batches) = Σ totals of the paid batches;
- every amount is whole yen.

Each example starts from the same budget: the database is rolled back to a
savepoint when the example ends. The normal run (``make test``) takes 60
sequences of 20 steps (25 on PostgreSQL); ``CITYHALL_HYPOTHESIS_PROFILE=thorough`` (``make property``)
runs 2,000 sequences of 40 steps.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

import hypothesis
import pytest
from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import ApplicationError
from cityhall.core.japanese.business_days import business_day_on_or_after
from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus, RouteStep, StepState
from cityhall.finance import services
from cityhall.finance.models import (
    Allotment,
    BatchStatus,
    BudgetAmount,
    BudgetLine,
    BudgetTransfer,
    Encumbrance,
    EncumbranceChange,
    OrderKind,
    PaymentBatch,
    PaymentOrder,
    PaymentOrderLine,
    ReviewStatus,
)
from cityhall.finance.services.batches import batch_export, batch_mark_paid
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders import payment_order_draft
from cityhall.finance.services.review import order_review_approve, order_review_return
from cityhall.org import services as org_services
from cityhall.org.models import Role
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.finance import FY

PROFILES: dict[str, dict[str, Any]] = {
    "default": {"max_examples": 60, "stateful_step_count": 20, "derandomize": True},
    "thorough": {"max_examples": 2000, "stateful_step_count": 40, "derandomize": False},
}
PROFILE = PROFILES[os.environ.get("CITYHALL_HYPOTHESIS_PROFILE", "default")]
if os.environ.get("DATABASE_URL", "").startswith("postgres") and "CITYHALL_HYPOTHESIS_PROFILE" not in os.environ:
    # The same rules on PostgreSQL, with fewer runs: each step costs three times what it costs on SQLite,
    # and CI runs both. ``CITYHALL_HYPOTHESIS_PROFILE=thorough`` runs the long search on either.
    PROFILE = PROFILE | {"max_examples": 25}

# Document states that hold budget (回議中・決裁済・完結), stated here independently of balance.py.
HOLDING = (DocumentStatus.CIRCULATING, DocumentStatus.DECIDED, DocumentStatus.CLOSED)
DECIDED = (DocumentStatus.DECIDED, DocumentStatus.CLOSED)
EDITABLE = (DocumentStatus.DRAFT, DocumentStatus.SENT_BACK)
ORDER_KINDS = [OrderKind.LINKED, OrderKind.LINKED, OrderKind.LINKED, OrderKind.COMBINED, OrderKind.COLLECTIVE]
ENGINE_ACTIONS = ["submit", "decide", "approve", "send_back", "pull_back", "reject", "withdraw"]

# Amounts: mostly plausible whole yen, sometimes invalid (decimals, text, zero, negative, far too big).
VALID_YEN = st.integers(min_value=1, max_value=3_000_000)
# Far too big: above the 12 digits of yen() and beyond what the database's bigint holds.
INVALID_YEN = st.sampled_from(
    [0, -1, -500_000, Decimal("1000.5"), 1000.5, "12.3", "千円", "", None, True, 10**12, 10**15, 10**19, 2**63]
)
AMOUNT = st.one_of(VALID_YEN, VALID_YEN, VALID_YEN, INVALID_YEN)
# A 補正 may also take budget away.
CHANGE = st.one_of(st.integers(min_value=-3_000_000, max_value=3_000_000), INVALID_YEN)


class _Read:
    """A read the machine repeats after every step, compiled to SQL once.

    Django compiles a queryset again each time it is evaluated; over 4,000 steps with a dozen
    reads each, compiling cost more than the reads. The rows come straight from the database.
    """

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._sql: tuple[str, tuple[Any, ...]] | None = None

    def rows(self) -> list[tuple[Any, ...]]:
        if self._sql is None:
            self._sql = self._make().query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(*self._sql)
            return cursor.fetchall()


def _sums(rows: Any, key: str, amount: str) -> _Read:
    """Σ ``amount`` grouped by ``key`` (one query)."""
    return _Read(lambda: rows().order_by().values(key).annotate(total=Sum(amount)).values_list(key, "total"))


_FINGERPRINT = [
    _Read(lambda: Allotment.objects.order_by("pk").values_list("pk", "amount")),
    _Read(lambda: BudgetAmount.objects.order_by("pk").values_list("pk", "line_id", "amount")),
    _Read(lambda: BudgetTransfer.objects.order_by("pk").values_list("pk", "amount")),
    _Read(lambda: Encumbrance.objects.order_by("pk").values_list("pk", "amount", "cancelled_at")),
    _Read(lambda: EncumbranceChange.objects.order_by("pk").values_list("pk", "new_amount", "applied_at")),
    _Read(lambda: Document.objects.order_by("pk").values_list("pk", "status", "version", "amount")),
    _Read(lambda: RouteStep.objects.order_by("pk").values_list("pk", "state")),
    _Read(lambda: PaymentOrder.objects.order_by("pk").values_list("pk", "total_amount", "review_status", "batch_id")),
    _Read(lambda: PaymentOrderLine.objects.order_by("pk").values_list("pk", "amount", "withholding")),
    _Read(lambda: PaymentBatch.objects.order_by("pk").values_list("pk", "status", "total_amount", "record_count")),
]


def _fingerprint() -> tuple:
    """Everything a finance step may change; a refused step must leave it exactly as it was."""
    return (*(tuple(read.rows()) for read in _FINGERPRINT), AuditEntry.objects.count())


# The invariants' reads (from the database, independent of balance.py).
_ENCUMBERED = _Read(
    lambda: (
        Encumbrance.objects.filter(cancelled_at__isnull=True, document__status__in=HOLDING)
        .values("allotment_id")
        .annotate(total=Sum("amount"))
        .values_list("allotment_id", "total")
    )
)
_INCREASES = _Read(
    lambda: (
        EncumbranceChange.objects.filter(
            applied_at__isnull=True,
            document__status=DocumentStatus.CIRCULATING,
            new_amount__gt=F("previous_amount"),
            encumbrance__cancelled_at__isnull=True,
        )
        .values("encumbrance__allotment_id")
        .annotate(total=Sum(F("new_amount") - F("previous_amount")))
        .values_list("encumbrance__allotment_id", "total")
    )
)
_SELF_COMMITTING = _Read(
    lambda: (
        PaymentOrder.objects.filter(document__status__in=HOLDING, encumbrance__isnull=True)
        .exclude(review_status="returned")
        .values("allotment_id")
        .annotate(total=Sum("total_amount"))
        .values_list("allotment_id", "total")
    )
)
_ALLOTMENTS = _Read(lambda: Allotment.objects.values_list("pk", "amount", "section_id", "line__label"))
_VERSIONS = _sums(BudgetAmount.objects.all, "line_id", "amount")
_TRANSFERS_IN = _sums(lambda: BudgetTransfer.objects.filter(document__status__in=DECIDED), "target_id", "amount")
_TRANSFERS_OUT = _sums(lambda: BudgetTransfer.objects.filter(document__status__in=HOLDING), "source_id", "amount")
_ALLOTTED = _sums(Allotment.objects.all, "line_id", "amount")
_ORDERED = _sums(
    lambda: PaymentOrder.objects.filter(encumbrance__isnull=False, document__status__in=HOLDING).exclude(
        review_status=ReviewStatus.RETURNED
    ),
    "encumbrance_id",
    "total_amount",
)
_STANDING = _Read(
    lambda: Encumbrance.objects.filter(cancelled_at__isnull=True, document__status__in=DECIDED).values_list(
        "pk", "amount"
    )
)
_BATCH_PAYMENTS = _sums(lambda: PaymentOrder.objects.filter(batch__isnull=False), "batch_id", "payment_amount")
_CLOSED_BATCHES = _Read(lambda: PaymentBatch.objects.exclude(status=BatchStatus.OPEN).values_list("pk", "total_amount"))
_BATCH_ORDERS = _Read(lambda: PaymentOrder.objects.filter(batch__isnull=False).values_list("batch_id", "pk"))
_PAID = _Read(lambda: PaymentOrder.objects.filter(batch__status=BatchStatus.PAID).values_list("payment_amount"))
_PAID_TOTALS = _Read(lambda: PaymentBatch.objects.filter(status=BatchStatus.PAID).values_list("total_amount"))
_UNAPPROVED_IN_BATCH = _Read(
    lambda: (
        PaymentOrder.objects.filter(batch__isnull=False).exclude(review_status=ReviewStatus.APPROVED).values_list("pk")
    )
)
_AMOUNTS = [
    _Read(lambda: Allotment.objects.values_list("amount")),
    _Read(lambda: BudgetAmount.objects.values_list("amount")),
    _Read(lambda: BudgetTransfer.objects.values_list("amount")),
    _Read(lambda: Encumbrance.objects.values_list("amount")),
    _Read(lambda: EncumbranceChange.objects.values_list("new_amount", "previous_amount")),
    _Read(lambda: PaymentOrder.objects.values_list("total_amount", "payment_amount")),
    _Read(lambda: PaymentOrderLine.objects.values_list("amount", "tax_amount")),
    _Read(lambda: PaymentBatch.objects.values_list("total_amount")),
]


class FinanceMachine(RuleBasedStateMachine):
    """Drives the finance services; ``city`` and ``budget`` are set on the class by the test."""

    city: Any = None
    budget: Any = None
    lines: list[BudgetLine] = []
    creditors: list[Any] = []
    successes: defaultdict[str, int] = defaultdict(int)
    reasons: defaultdict[str, int] = defaultdict(int)

    @initialize()
    def start(self) -> None:
        # Roll every example back to the same starting budget (the services' durable
        # transactions nest inside the test's transaction: a bare savepoint is no atomic block).
        self.savepoint = transaction.savepoint()
        c = self.city
        self.staff = self.budget.staff  # 会計: budgets, allotments
        self.sections = [c.units.soumu, c.units.jinji]
        # Who drafts for each section: 総務課 文書法制係 主事, 人事課 主事.
        self.drafters = {c.units.soumu.pk: c.drafter, c.units.jinji.pk: c.outsider}
        self.documents: list[int] = []
        self.treasurer = c.docmgr  # 会計管理者 (granted by the test)
        self.creditors = FinanceMachine.creditors
        today = timezone.localdate()
        self.today = today
        # A bank business day (銀行営業日), today or the next one, so the review and the export can pass.
        self.payment_date = business_day_on_or_after(today)
        self.exported: dict[int, frozenset[int]] = {}  # batch → its orders when exported
        self.versions = 1
        self.successes = FinanceMachine.successes
        self.reasons = FinanceMachine.reasons

    def teardown(self) -> None:
        if getattr(self, "savepoint", None) is not None:
            transaction.savepoint_rollback(self.savepoint)

    # --- running a service -------------------------------------------------------------

    def _try(self, name: str, call: Any) -> Any:
        """Run one service call; a refusal (ApplicationError) must leave the finance data unchanged."""
        before = _fingerprint()
        try:
            result = call()
        except ApplicationError as refused:
            self.successes[f"{name}:refused"] += 1
            self.reasons[f"{name}: {refused.message[:40]}"] += 1
            assert _fingerprint() == before, f"refused {name} changed the data"
            return None
        self.successes[name] += 1
        assert AuditEntry.objects.count() > before[-1], f"{name} wrote no audit entry"
        return result

    def _track(self, data: st.DataObject, made: Any) -> None:
        """Keep a new document; most go straight on through submission to the decision (決裁)."""
        if made is None:
            return
        self.documents.append(made.document_id)
        if data.draw(st.integers(0, 3)):
            document = Document.objects.select_related("drafter").get(pk=made.document_id)
            submitted = self._try(
                f"{document.doc_type}:submit",
                partial(docs.submit, actor=document.drafter, document=document, expected_version=document.version),
            )
            if submitted is not None and data.draw(st.integers(0, 3)):
                self._decide(submitted)

    # --- budget -------------------------------------------------------------------------

    @rule(data=st.data(), which=st.sampled_from(["version", "allot", "allot", "transfer"]))
    def budget_change(self, data: st.DataObject, which: str) -> None:
        """The 会計 side: a 補正, an allotment (配当) or a transfer (流用), as one rule among the others."""
        if which == "version":
            self.supplementary_budget(data, data.draw(CHANGE))
        elif which == "allot":
            self.allot(data, data.draw(st.one_of(st.integers(0, 6_000_000), INVALID_YEN)))
        else:
            self.transfer(data, data.draw(AMOUNT))

    def supplementary_budget(self, data: st.DataObject, change: Any) -> None:
        """A 補正予算 changing one line (or a 当初 on a line without one)."""
        line = data.draw(st.sampled_from(self.lines))
        self.versions += 1
        self._try(
            "budget_version",
            lambda: services.budget_version_create(
                actor=self.staff,
                account=self.budget.account,
                fiscal_year=FY,
                name=f"補正予算第{self.versions}号",
                amounts=[(line, change)],
            ),
        )

    def allot(self, data: st.DataObject, amount: Any) -> None:
        line = data.draw(st.sampled_from(self.lines))
        section = data.draw(st.sampled_from(self.sections))
        self._try("allot", lambda: services.allotment_set(actor=self.staff, line=line, section=section, amount=amount))

    def transfer(self, data: st.DataObject, amount: Any) -> None:
        """Draft a 流用 between two lines of the same 項 (by a clerk with the 会計 role)."""
        source = data.draw(st.sampled_from(self.lines))
        # Mostly another line of the same 項; sometimes the same line, which must be refused.
        target = data.draw(st.sampled_from([ln for ln in self.lines if ln.pk != source.pk] * 4 + [source]))
        made = self._try(
            "transfer_draft",
            lambda: services.transfer_draft(
                actor=self.city.drafter,
                title="予算流用について",
                source=source,
                target=target,
                amount=amount,
                reason="執行見込みによる",
            ),
        )
        self._track(data, made)

    # --- encumbrance --------------------------------------------------------------------

    @rule(data=st.data(), amount=AMOUNT)
    def encumber(self, data: st.DataObject, amount: Any) -> None:
        section = data.draw(st.sampled_from(self.sections))
        line = data.draw(st.sampled_from(self.lines))
        made = self._try(
            "encumbrance_draft",
            lambda: services.encumbrance_draft(
                actor=self.drafters[section.pk],
                title="消耗品の購入について",
                line=line,
                creditor=self.budget.creditor,
                amount=amount,
                contract_method="negotiated",
                negotiated_ground="2",
            ),
        )
        self._track(data, made)

    def _encumbrances(self, data: st.DataObject) -> list[Encumbrance]:
        """Mostly decided, live encumbrances (the ones that may change); sometimes any."""
        rows = Encumbrance.objects.filter(document_id__in=self.documents).order_by("pk")
        if data.draw(st.integers(0, 4)):
            rows = rows.filter(document__status__in=DECIDED, cancelled_at__isnull=True)
        return list(rows)

    @precondition(lambda self: bool(self.documents))
    @rule(data=st.data(), cancel=st.integers(0, 3))
    def change_encumbrance(self, data: st.DataObject, cancel: int) -> None:
        """Amend (減額; an increase must be refused) or, less often, cancel (取消) an encumbrance."""
        if cancel:
            self.amend(data, data.draw(AMOUNT))
        else:
            self.cancel(data)

    def amend(self, data: st.DataObject, amount: Any) -> None:
        candidates = self._encumbrances(data)
        if not candidates:
            return
        encumbrance = data.draw(st.sampled_from(candidates))
        current = Encumbrance.objects.get(pk=encumbrance.pk).amount
        actor, by_clerk = self._changer(data, encumbrance)
        done = self._try(
            "encumbrance_amend",
            lambda: services.encumbrance_amend(
                actor=actor, encumbrance=encumbrance, amount=amount, reason="数量の変更"
            ),
        )
        if isinstance(amount, int) and not isinstance(amount, bool) and amount > current:
            # 増額 is a new commitment (a new encumbrance for the difference): refused, and _try saw nothing change.
            assert done is None, f"an increase from {current} to {amount} was accepted"
        assert not (by_clerk and done is not None), "a clerk amended a decided encumbrance"

    @precondition(lambda self: bool(self.documents))
    @rule(data=st.data(), amount=AMOUNT)
    def change_contract(self, data: st.DataObject, amount: Any) -> None:
        """A 変更契約 (増額・減額) of a decided encumbrance by its section's clerk, routed like the others."""
        candidates = self._encumbrances(data)
        if not candidates:
            return
        encumbrance = data.draw(st.sampled_from(candidates))
        made = self._try(
            "encumbrance_change_draft",
            lambda: services.encumbrance_change_draft(
                actor=self.drafters[encumbrance.section_id],
                encumbrance=encumbrance,
                new_amount=amount,
                reason="数量の変更",
            ),
        )
        self._track(data, made)

    def _changer(self, data: st.DataObject, encumbrance: Encumbrance) -> tuple[Any, bool]:
        """Who tries to amend or cancel: mostly the one who decided it (決裁者), sometimes the section's clerk.

        Returns the actor and whether it is the clerk (起案者), whose attempt must be refused.
        """
        document = Document.objects.select_related("decided_by").get(pk=encumbrance.document_id)
        clerk = self.drafters[encumbrance.section_id]
        if document.decided_by is not None and data.draw(st.integers(0, 3)):
            return document.decided_by, False
        return clerk, True

    def cancel(self, data: st.DataObject) -> None:
        candidates = self._encumbrances(data)
        if not candidates:
            return
        encumbrance = data.draw(st.sampled_from(candidates))
        actor, by_clerk = self._changer(data, encumbrance)
        done = self._try(
            "encumbrance_cancel",
            lambda: services.encumbrance_cancel(actor=actor, encumbrance=encumbrance, reason="契約の解除"),
        )
        assert not (by_clerk and done is not None), "a clerk cancelled a decided encumbrance"

    # --- payment orders, review and payment ----------------------------------------------

    def _order_lines(self, data: st.DataObject, kind: str, amount: Any) -> list[OrderLineInput]:
        """One line (two or three for a 集合支出命令), sometimes with withholding (源泉徴収) by its 源泉区分."""
        count = data.draw(st.integers(2, 3)) if kind == OrderKind.COLLECTIVE else 1
        creditors = [self.budget.creditor] if kind == OrderKind.LINKED else self.creditors
        out = []
        for i in range(count):
            line_amount = amount if i == 0 else data.draw(VALID_YEN)
            creditor = data.draw(st.sampled_from(creditors))
            # 源泉区分 only for an individual (所得税法第204条第1項): the withholding is computed from it.
            kind = data.draw(st.sampled_from(["", "", "", "manuscript"])) if creditor.is_individual else ""
            rate = data.draw(st.sampled_from([10, 10, 8, 0]))
            out.append(OrderLineInput(creditor=creditor, amount=line_amount, tax_rate=rate, withholding_kind=kind))
        return out

    @rule(
        data=st.data(),
        amount=AMOUNT,
        kind=st.sampled_from([OrderKind.LINKED] * 3 + [OrderKind.COMBINED, OrderKind.COLLECTIVE]),
    )
    def order(self, data: st.DataObject, amount: Any, kind: str) -> None:
        """Draft a payment order: against a decided encumbrance, or one that commits itself (兼・集合)."""
        encumbrance = None
        if kind == OrderKind.LINKED:
            candidates = self._encumbrances(data)
            if not candidates:
                return
            encumbrance = data.draw(st.sampled_from(candidates))
            section_id = encumbrance.section_id
            line = None
            if data.draw(st.integers(0, 3)):  # mostly within the encumbrance; the rest may exceed it
                amount = data.draw(st.integers(1, max(encumbrance.amount, 1)))
        else:
            section_id = data.draw(st.sampled_from(self.sections)).pk
            line = data.draw(st.sampled_from(self.lines))
        lines = self._order_lines(data, kind, amount)
        method = data.draw(st.sampled_from(["transfer", "transfer", "transfer", "cash"]))  # 口座振込 or 窓口払
        made = self._try(
            f"order_draft:{kind}",
            lambda: payment_order_draft(
                actor=self.drafters[section_id],
                title="物品購入代金の支払について",
                kind=kind,
                lines=lines,
                payment_date=self.payment_date,
                payment_method=method,
                line=line,
                encumbrance=encumbrance,
                inspection_date=self.today,
                inspector=self.city.shunin,
                invoice_received_on=self.today,
            ),
        )
        self._track(data, made)

    @precondition(lambda self: bool(self.documents))
    @rule(data=st.data(), approve=st.integers(0, 3), reason=st.sampled_from(["請求書の金額誤り", "", "   "]))
    def review(self, data: st.DataObject, approve: int, reason: str) -> None:
        """The accounting manager approves (審査済) or returns (返付) a decided order; sometimes an undecided one."""
        rows = PaymentOrder.objects.filter(document_id__in=self.documents).order_by("pk")
        if data.draw(st.integers(0, 4)):
            rows = rows.filter(review_status=ReviewStatus.WAITING, document__status__in=DECIDED)
        candidates = list(rows)
        if not candidates:
            return
        order = data.draw(st.sampled_from(candidates))
        if approve:
            done = self._try("review_approve", lambda: order_review_approve(actor=self.treasurer, order=order))
            if done is not None and data.draw(st.booleans()):  # often the batch goes out at once
                self._export(done.batch)
                if data.draw(st.booleans()):
                    self._try("batch_mark_paid", lambda: batch_mark_paid(actor=self.treasurer, batch=done.batch))
        else:
            self._try("review_return", lambda: order_review_return(actor=self.treasurer, order=order, reason=reason))

    @precondition(lambda self: bool(self.documents))
    @rule(data=st.data(), paid=st.booleans())
    def pay(self, data: st.DataObject, paid: bool) -> None:
        """Export a batch as the 全銀 file (振込データ出力), or mark an exported one paid (支払済)."""
        batches = list(PaymentBatch.objects.order_by("pk"))
        if not batches:
            return
        batch = data.draw(st.sampled_from(batches))
        if paid:
            self._try("batch_mark_paid", lambda: batch_mark_paid(actor=self.treasurer, batch=batch))
            return
        self._export(batch)

    def _export(self, batch: PaymentBatch) -> None:
        done = self._try("batch_export", lambda: batch_export(actor=self.treasurer, batch=batch))
        if done is not None:
            self.exported[batch.pk] = frozenset(PaymentOrder.objects.filter(batch=batch).values_list("pk", flat=True))

    # --- the approval engine ------------------------------------------------------------

    def _pending(self, document: Document) -> list[RouteStep]:
        return list(
            RouteStep.objects.filter(document=document, round=document.current_round, state=StepState.PENDING)
            .select_related("assignee")
            .order_by("order", "pk")  # the same step on every database, so the run repeats
        )

    @precondition(lambda self: bool(self.documents))
    @rule(data=st.data(), count=st.integers(1, 3))
    def act(self, data: st.DataObject, count: int) -> None:
        """A few engine actions in a row (invariants are checked after the rule)."""
        for _ in range(count):
            self._act_once(data, data.draw(st.integers(0, 5)))

    def _act_once(self, data: st.DataObject, focused: int) -> None:
        """One engine action on a tracked document, mostly the one that moves it on, by whoever may take it."""
        live = list(
            Document.objects.filter(pk__in=self.documents, status__in=[*EDITABLE, DocumentStatus.CIRCULATING])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        pool = live if focused and live else self.documents
        document = Document.objects.select_related("drafter").get(pk=data.draw(st.sampled_from(pool)))
        if not focused:
            action = data.draw(st.sampled_from(ENGINE_ACTIONS))
        elif document.status == DocumentStatus.CIRCULATING:
            action = data.draw(st.sampled_from(["decide"] * 4 + ["approve", "send_back", "pull_back", "reject"]))
        else:
            action = data.draw(st.sampled_from(["submit"] * 5 + ["withdraw"]))
        if action == "decide":
            self._decide(document)
            return
        drafter = document.drafter
        pending = self._pending(document)
        assignee = pending[0].assignee if pending else drafter
        v = document.version
        calls = {
            "submit": lambda: docs.submit(actor=drafter, document=document, expected_version=v),
            "approve": lambda: docs.approve(actor=assignee, document=document, expected_version=v),
            "send_back": lambda: docs.send_back(
                actor=assignee, document=document, expected_version=v, comment="要修正"
            ),
            "pull_back": lambda: docs.pull_back(actor=drafter, document=document, expected_version=v),
            "reject": lambda: docs.reject(actor=assignee, document=document, expected_version=v, comment="不要"),
            "withdraw": lambda: docs.withdraw(actor=drafter, document=document, expected_version=v),
        }
        self._try(f"{document.doc_type}:{action}", calls[action])
        if action == "submit" and focused > 2:
            self._decide(document)  # most submissions go on to the decision

    def _decide(self, document: Document) -> None:
        """Approve step by step up to the decision (決裁); each approval is its own checked step."""
        for _ in range(8):
            document = Document.objects.get(pk=document.pk)
            pending = self._pending(document) if document.status == DocumentStatus.CIRCULATING else []
            if not pending:
                break
            done = self._try(
                f"{document.doc_type}:approve",
                partial(docs.approve, actor=pending[0].assignee, document=document, expected_version=document.version),
            )
            if done is None:
                return
            if done.status in DECIDED:
                self.successes[f"{document.doc_type}:decide"] += 1
                return

    # --- invariants (from the database, independent of balance.py) -----------------------

    @invariant()
    def allotments_within_budget_and_never_overspent(self) -> None:
        encumbered = dict(_ENCUMBERED.rows())
        increases = dict(_INCREASES.rows())
        self_committing = dict(_SELF_COMMITTING.rows())
        for pk, amount, section_id, label in _ALLOTMENTS.rows():
            held = encumbered.get(pk, 0) + increases.get(pk, 0)
            available = amount - held - self_committing.get(pk, 0)
            assert held <= amount, (label, amount, held)
            assert available >= 0, (label, section_id, amount, available)

    @invariant()
    def lines_cover_their_allotments(self) -> None:
        """予算現額 (versions + decided transfers in − held transfers out) ≥ Σ allotments, per line."""
        current: defaultdict[int, int] = defaultdict(int)
        for line_id, total in _VERSIONS.rows():
            current[line_id] += total
        for line_id, total in _TRANSFERS_IN.rows():
            current[line_id] += total
        for line_id, total in _TRANSFERS_OUT.rows():
            current[line_id] -= total
        for line_id, allotted in _ALLOTTED.rows():
            assert current[line_id] >= allotted, (line_id, current[line_id], allotted)

    @invariant()
    def orders_within_their_encumbrance(self) -> None:
        """Σ ordered (orders holding budget) ≤ the encumbrance's amount; nothing on a cancelled or undecided one."""
        standing = dict(_STANDING.rows())
        for encumbrance_id, total in _ORDERED.rows():
            assert total <= standing.get(encumbrance_id, 0), (encumbrance_id, total, standing.get(encumbrance_id))

    @invariant()
    def paid_equals_exported_batches(self) -> None:
        """Each exported or paid batch totals its orders and keeps them; Σ paid = Σ totals of the paid batches."""
        by_batch = dict(_BATCH_PAYMENTS.rows())
        orders_of: defaultdict[int, set[int]] = defaultdict(set)
        for batch_id, order_id in _BATCH_ORDERS.rows():
            orders_of[batch_id].add(order_id)
        for batch_id, total in _CLOSED_BATCHES.rows():
            assert total == by_batch.get(batch_id, 0), (batch_id, total, by_batch)
            if batch_id in self.exported:
                assert frozenset(orders_of[batch_id]) == self.exported[batch_id], (batch_id, "orders changed")
        paid = sum(amount for (amount,) in _PAID.rows())
        totals = sum(total for (total,) in _PAID_TOTALS.rows())
        assert paid == totals, (paid, totals)
        assert not _UNAPPROVED_IN_BATCH.rows()

    @invariant()
    def every_amount_is_whole_yen(self) -> None:
        amounts = [value for read in _AMOUNTS for row in read.rows() for value in row]
        amounts += Document.objects.filter(pk__in=self.documents).values_list("amount", flat=True)
        assert all(type(a) is int for a in amounts), [a for a in amounts if type(a) is not int]


@pytest.mark.slow
def test_budget_control_invariants_under_random_use(city, budget, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # the exported 全銀 files
    org_services.role_grant(actor=SETUP, user=city.drafter, role=Role.ACCOUNTING, valid_from=SINCE)
    service = services.budget_line_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu["11"]
    )
    services.budget_version_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, name="補正予算（役務費）",
        amounts=[(service, 2_000_000)],
    )  # fmt: skip
    services.allotment_set(actor=budget.staff, line=service, section=city.units.jinji, amount=1_500_000)
    services.allotment_set(actor=budget.staff, line=service, section=city.units.soumu, amount=300_000)
    services.allotment_set(actor=budget.staff, line=budget.line, section=city.units.jinji, amount=1_000_000)
    org_services.role_grant(actor=SETUP, user=city.docmgr, role=Role.TREASURER, valid_from=SINCE)
    second = services.creditor_create(
        actor=budget.staff,
        code="100002",
        name="有限会社スズキ印刷",
        kana="スズキインサツ",
        address="東京都港区",
        bank_account=services.BankAccountInput("0001", "001", "1", "7654321", "有限会社スズキインサツ"),
    ).creditor
    FinanceMachine.creditors = [budget.creditor, second]
    FinanceMachine.city = city
    FinanceMachine.budget = budget
    FinanceMachine.lines = [budget.line, service]
    FinanceMachine.successes = defaultdict(int)
    run_state_machine_as_test(
        FinanceMachine,
        settings=hypothesis.settings(
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            **PROFILE,
        ),
    )
    reached = FinanceMachine.successes
    print("finance state machine:", dict(sorted(reached.items())))
    print("refusals:", dict(sorted(FinanceMachine.reasons.items())))
    # The run reached the interesting places (kept loose: any change in the services reshuffles the run):
    # transfers, decided encumbrances and orders, reviews, and refusals.
    assert reached["transfer_draft"] and reached["finance.budget_transfer:submit"], dict(reached)
    assert reached["finance.encumbrance:decide"] and reached["encumbrance_draft:refused"], dict(reached)
    assert reached["finance.payment_order:decide"] and reached["review_approve"], dict(reached)
    # Decided encumbrances were changed by their decider (減額・取消), and clerks' attempts were refused.
    assert reached["encumbrance_amend"] + reached["encumbrance_cancel"], dict(reached)
    assert reached["encumbrance_change_draft"] and reached["finance.encumbrance_change:submit"], dict(reached)
