"""Invariants of budget control under random use (予算統制の不変条件, hypothesis stateful test).

Random staff set budget versions (当初・補正), allotments (配当), draft budget
transfers (流用) and encumbrances (支出負担行為), move them through the approval
engine (submit, approve up to the decision, send back, pull back, reject,
withdraw), amend and cancel decided encumbrances, with random amounts that
include invalid ones (decimals, text, zero, negative, far too big). A refused
step must change nothing. After every step, computed from the database
independently of ``cityhall.finance.balance``:

- no allotment's available balance (執行可能額) is negative, and the
  encumbrances holding budget never exceed the allotment;
- a line's budget (予算現額) is never below what is allotted from it;
- every amount is whole yen.

Each example starts from the same budget: the database is rolled back to a
savepoint when the example ends. The normal run takes a few hundred steps;
``CITYHALL_HYPOTHESIS_PROFILE=thorough`` (``make property``) runs thousands.
"""

from __future__ import annotations

import os
from collections import defaultdict
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, settings
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
from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus, RouteStep, StepState
from cityhall.finance import services
from cityhall.finance.models import (
    Allotment,
    BudgetAmount,
    BudgetLine,
    BudgetTransfer,
    Encumbrance,
    PaymentBatch,
    PaymentOrder,
)
from cityhall.org import services as org_services
from cityhall.org.models import Role

from .conftest import FY, SETUP, SINCE

PROFILES: dict[str, dict[str, Any]] = {
    "default": {"max_examples": 8, "stateful_step_count": 40, "derandomize": True},
    "thorough": {"max_examples": 150, "stateful_step_count": 80, "derandomize": False},
}
PROFILE = PROFILES[os.environ.get("CITYHALL_HYPOTHESIS_PROFILE", "default")]

# Document states that hold budget (回議中・決裁済・完結), stated here independently of balance.py.
HOLDING = (DocumentStatus.CIRCULATING, DocumentStatus.DECIDED, DocumentStatus.CLOSED)
DECIDED = (DocumentStatus.DECIDED, DocumentStatus.CLOSED)
EDITABLE = (DocumentStatus.DRAFT, DocumentStatus.SENT_BACK)
ENGINE_ACTIONS = ["submit", "decide", "approve", "send_back", "pull_back", "reject", "withdraw"]

# Amounts: mostly plausible whole yen, sometimes invalid (decimals, text, zero, negative, far too big).
VALID_YEN = st.integers(min_value=1, max_value=3_000_000)
INVALID_YEN = st.sampled_from(
    [0, -1, -500_000, Decimal("1000.5"), 1000.5, "12.3", "千円", "", None, True, 10**15, 9 * 10**17]
)
AMOUNT = st.one_of(VALID_YEN, VALID_YEN, VALID_YEN, INVALID_YEN)
# A 補正 may also take budget away.
CHANGE = st.one_of(st.integers(min_value=-3_000_000, max_value=3_000_000), INVALID_YEN)


def _fingerprint() -> tuple:
    """Everything a finance step may change; a refused step must leave it exactly as it was."""
    return (
        tuple(Allotment.objects.order_by("pk").values_list("pk", "amount")),
        tuple(BudgetAmount.objects.order_by("pk").values_list("pk", "line_id", "amount")),
        tuple(BudgetTransfer.objects.order_by("pk").values_list("pk", "amount")),
        tuple(Encumbrance.objects.order_by("pk").values_list("pk", "amount", "cancelled_at")),
        tuple(Document.objects.order_by("pk").values_list("pk", "status", "version", "amount")),
        tuple(RouteStep.objects.order_by("pk").values_list("pk", "state")),
        tuple(PaymentOrder.objects.order_by("pk").values_list("pk", "total_amount", "review_status", "batch_id")),
        tuple(PaymentBatch.objects.order_by("pk").values_list("pk", "status", "total_amount")),
        AuditEntry.objects.count(),
    )


def _sums(rows: Any, key: str, amount: str) -> list[tuple[int, int]]:
    """Σ ``amount`` grouped by ``key`` in one query."""
    return list(rows.order_by().values(key).annotate(total=Sum(amount)).values_list(key, "total"))


class FinanceMachine(RuleBasedStateMachine):
    """Drives the finance services; ``city`` and ``budget`` are set on the class by the test."""

    city: Any = None
    budget: Any = None
    lines: list[BudgetLine] = []
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

    # --- budget -------------------------------------------------------------------------

    @rule(data=st.data(), change=CHANGE)
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

    @rule(data=st.data(), amount=st.one_of(st.integers(0, 6_000_000), INVALID_YEN))
    def allot(self, data: st.DataObject, amount: Any) -> None:
        line = data.draw(st.sampled_from(self.lines))
        section = data.draw(st.sampled_from(self.sections))
        self._try("allot", lambda: services.allotment_set(actor=self.staff, line=line, section=section, amount=amount))

    @rule(data=st.data(), amount=AMOUNT)
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
        if made is not None:
            self.documents.append(made.document_id)

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
            ),
        )
        if made is not None:
            self.documents.append(made.document_id)

    def _encumbrances(self, data: st.DataObject) -> list[Encumbrance]:
        """Mostly decided, live encumbrances (the ones that may change); sometimes any."""
        rows = Encumbrance.objects.filter(document_id__in=self.documents).order_by("pk")
        if data.draw(st.integers(0, 4)):
            rows = rows.filter(document__status__in=DECIDED, cancelled_at__isnull=True)
        return list(rows)

    @precondition(lambda self: bool(self.documents))
    @rule(data=st.data(), amount=AMOUNT)
    def amend(self, data: st.DataObject, amount: Any) -> None:
        candidates = self._encumbrances(data)
        if not candidates:
            return
        encumbrance = data.draw(st.sampled_from(candidates))
        self._try(
            "encumbrance_amend",
            lambda: services.encumbrance_amend(
                actor=self.drafters[encumbrance.section_id], encumbrance=encumbrance, amount=amount, reason="数量の変更"
            ),
        )

    @precondition(lambda self: bool(self.documents))
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        candidates = self._encumbrances(data)
        if not candidates:
            return
        encumbrance = data.draw(st.sampled_from(candidates))
        self._try(
            "encumbrance_cancel",
            lambda: services.encumbrance_cancel(
                actor=self.drafters[encumbrance.section_id], encumbrance=encumbrance, reason="契約の解除"
            ),
        )

    # --- the approval engine ------------------------------------------------------------

    def _pending(self, document: Document) -> list[RouteStep]:
        return list(
            RouteStep.objects.filter(
                document=document, round=document.current_round, state=StepState.PENDING
            ).select_related("assignee")
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
        encumbered = dict(
            Encumbrance.objects.filter(cancelled_at__isnull=True, document__status__in=HOLDING)
            .values("allotment_id")
            .annotate(total=Sum("amount"))
            .values_list("allotment_id", "total")
        )
        self_committing = dict(
            PaymentOrder.objects.filter(document__status__in=HOLDING, encumbrance__isnull=True)
            .exclude(review_status="returned")
            .values("allotment_id")
            .annotate(total=Sum("total_amount"))
            .values_list("allotment_id", "total")
        )
        for allotment in Allotment.objects.select_related("line"):
            held = encumbered.get(allotment.pk, 0)
            available = allotment.amount - held - self_committing.get(allotment.pk, 0)
            assert held <= allotment.amount, (allotment.line.label, allotment.amount, held)
            assert available >= 0, (allotment.line.label, allotment.section_id, allotment.amount, available)

    @invariant()
    def lines_cover_their_allotments(self) -> None:
        """予算現額 (versions + decided transfers in − held transfers out) ≥ Σ allotments, per line."""
        current: defaultdict[int, int] = defaultdict(int)
        for line_id, total in _sums(BudgetAmount.objects.all(), "line_id", "amount"):
            current[line_id] += total
        for line_id, total in _sums(BudgetTransfer.objects.filter(document__status__in=DECIDED), "target_id", "amount"):
            current[line_id] += total
        for line_id, total in _sums(BudgetTransfer.objects.filter(document__status__in=HOLDING), "source_id", "amount"):
            current[line_id] -= total
        for line_id, allotted in _sums(Allotment.objects.all(), "line_id", "amount"):
            assert current[line_id] >= allotted, (line_id, current[line_id], allotted)

    @invariant()
    def every_amount_is_whole_yen(self) -> None:
        amounts = [
            *Allotment.objects.values_list("amount", flat=True),
            *BudgetAmount.objects.values_list("amount", flat=True),
            *BudgetTransfer.objects.values_list("amount", flat=True),
            *Encumbrance.objects.values_list("amount", flat=True),
            *Document.objects.filter(pk__in=self.documents).values_list("amount", flat=True),
            *PaymentOrder.objects.values_list("total_amount", flat=True),
            *PaymentBatch.objects.values_list("total_amount", flat=True),
        ]
        assert all(type(a) is int for a in amounts), [a for a in amounts if type(a) is not int]


@pytest.mark.slow
def test_budget_control_invariants_under_random_use(city, budget):
    org_services.role_grant(actor=SETUP, user=city.drafter, role=Role.ACCOUNTING, valid_from=SINCE)
    service = services.budget_line_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu["11"]
    )
    services.budget_version_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, name="当初予算（役務費）",
        amounts=[(service, 2_000_000)],
    )  # fmt: skip
    services.allotment_set(actor=budget.staff, line=service, section=city.units.jinji, amount=1_500_000)
    services.allotment_set(actor=budget.staff, line=service, section=city.units.soumu, amount=300_000)
    services.allotment_set(actor=budget.staff, line=budget.line, section=city.units.jinji, amount=1_000_000)
    FinanceMachine.city = city
    FinanceMachine.budget = budget
    FinanceMachine.lines = [budget.line, service]
    FinanceMachine.successes = defaultdict(int)
    run_state_machine_as_test(
        FinanceMachine,
        settings=settings(
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            **PROFILE,
        ),
    )
    reached = FinanceMachine.successes
    print("finance state machine:", dict(sorted(reached.items())))
    print("refusals:", dict(sorted(FinanceMachine.reasons.items())))
    # The run reached the interesting places: decisions of both kinds, amendments, refusals.
    assert reached["finance.encumbrance:decide"] and reached["finance.budget_transfer:decide"], dict(reached)
    assert reached["encumbrance_draft"] and reached["encumbrance_draft:refused"], dict(reached)
