"""Invariants of the approval engine under random use (hypothesis stateful test).

Random staff take random actions on random documents, sometimes with a stale
version, while days pass across the April transfer and people go absent; an
approver may send a draft back to an earlier approver (差戻し先の選択).
After every step: no action succeeded that ``available_actions`` did not
allow (an independent statement of the permissions), a failed action changed
nothing, decided records never change except by formal addition, a route
runs stage by stage (all acted before the pending stage, all waiting after), every
success wrote audit entries and the hash chain verifies, numbers per section
and fiscal year are unique and gap-free, and each document is in exactly one
consistent state.

The normal run takes a few hundred steps; ``CITYHALL_HYPOTHESIS_PROFILE=thorough``
(used by ``make bench``) runs thousands.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections import defaultdict
from typing import Any

import pytest
from django.db.models import F
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

from cityhall.core.audit import verify_chain
from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import ApplicationError
from cityhall.documents import services
from cityhall.documents.models import (
    DONE_STEP_STATES,
    Document,
    DocumentNumberCounter,
    DocumentStatus,
    RouteStep,
    StepKind,
    StepState,
)
from cityhall.documents.rules import send_back_targets
from cityhall.documents.selectors import available_actions
from cityhall.documents.services._common import RECORD_FIELDS
from cityhall.org import services as org_services
from cityhall.testing.city import SETUP
from cityhall.testing.plugin import database

# On PostgreSQL too: gap-free numbers and stage order under each database's locking.
pytestmark = database

PROFILES: dict[str, dict[str, Any]] = {
    "default": {"max_examples": 10, "stateful_step_count": 40, "derandomize": True},
    "thorough": {"max_examples": 200, "stateful_step_count": 60, "derandomize": False},
}
PROFILE = PROFILES[os.environ.get("CITYHALL_HYPOTHESIS_PROFILE", "default")]
START = dt.date(2026, 3, 27)
APRIL = dt.date(2026, 4, 1)

# service name -> (callable taking actor, document, version, day, data; the action name in available_actions)
ACTIONS = {
    "approve": lambda a, d, v, day, _: services.approve(actor=a, document=d, expected_version=v, on=day),
    "agree": lambda a, d, v, day, _: services.agree(actor=a, document=d, expected_version=v, on=day),
    "object": lambda a, d, v, day, _: services.object_to(
        actor=a, document=d, expected_version=v, comment="異議あり", on=day
    ),
    "send_back": lambda a, d, v, day, _: services.send_back(
        actor=a, document=d, expected_version=v, comment="要修正", on=day
    ),
    "send_back_to": lambda a, d, v, day, _: services.send_back(
        actor=a, document=d, expected_version=v, comment="前の回議者へ", to=_earlier_step(a, d), on=day
    ),
    "reject": lambda a, d, v, day, _: services.reject(actor=a, document=d, expected_version=v, comment="不要", on=day),
    "pull_back": lambda a, d, v, day, _: services.pull_back(actor=a, document=d, expected_version=v),
    "withdraw": lambda a, d, v, day, _: services.withdraw(actor=a, document=d, expected_version=v),
    "skip_absent": lambda a, d, v, day, _: services.skip_absent(actor=a, document=d, expected_version=v, on=day),
    "submit": lambda a, d, v, day, consult: services.submit(
        actor=a, document=d, expected_version=v, consult_units=consult, on=day
    ),
    "edit": lambda a, d, v, day, _: services.draft_update(actor=a, document=d, expected_version=v, body="修正"),
    "close": lambda a, d, v, day, _: services.close(actor=a, document=d, expected_version=v, closed_on=day),
    "formal_addition": lambda a, d, v, day, _: services.formal_addition(
        actor=a, document=d, expected_version=v, field="location", value=f"書庫{v}", reason="補正", on=day
    ),
}


def _earlier_step(actor: Any, document: Document) -> int:
    """The first earlier approver the actor's pending step may send back to, else any step (to be refused)."""
    steps = list(RouteStep.objects.filter(document=document, round=document.current_round).order_by("order"))
    mine = next((s for s in steps if s.state == StepState.PENDING and s.assignee_id == actor.pk), None)
    targets = send_back_targets(steps, mine) if mine is not None else []
    if targets:
        return targets[0].pk
    return steps[0].pk if steps else 1


def _state(document: Document) -> tuple:
    fresh = Document.objects.get(pk=document.pk)
    steps = tuple(RouteStep.objects.filter(document=fresh).order_by("round", "order").values_list("state", "acted_by"))
    return (fresh.version, fresh.status, tuple(getattr(fresh, f) for f in RECORD_FIELDS), steps)


class EngineMachine(RuleBasedStateMachine):
    """Drives the engine; ``city`` is set on the class by the test."""

    city: Any = None
    successes: defaultdict[str, int] = defaultdict(int)

    @initialize()
    def start(self) -> None:
        c = self.city
        self.day = START
        self.staff = [
            c.drafter, c.drafter2, c.shunin, c.kakaricho, c.hosa, c.kacho, c.bucho,
            c.zaisei_kacho, c.jinji_kacho, c.docmgr, c.outsider, c.fukushicho, c.shicho,
        ]  # fmt: skip
        self.doc_ids: list[int] = []
        self.absences = 0
        self.stand_ins = 0
        self.decided: dict[int, tuple] = {}
        self.successes = EngineMachine.successes

    @precondition(lambda self: self.day < START + dt.timedelta(days=21))
    @rule(days=st.integers(min_value=0, max_value=3))
    def pass_days(self, days: int) -> None:
        self.day += dt.timedelta(days=days)

    @precondition(lambda self: self.absences < 4)
    @rule(who=st.integers(0, 12), proxy=st.one_of(st.none(), st.integers(0, 12)), length=st.integers(0, 3))
    def go_absent(self, who: int, proxy: int | None, length: int) -> None:
        self.absences += 1
        user = self.staff[who]
        proxy_user = None if proxy is None or proxy == who else self.staff[proxy]
        with contextlib.suppress(ApplicationError):
            org_services.absence_register(
                actor=SETUP,
                user=user,
                starts_on=self.day,
                ends_on=self.day + dt.timedelta(days=length),
                proxy=proxy_user,
            )

    @precondition(lambda self: self.stand_ins < 3 and bool(self.doc_ids))
    @rule(data=st.data())
    def the_drafter_stands_in_for_the_decider(self, data: st.DataObject) -> None:
        """The decider of a circulating draft goes absent with its drafter as 代決者, who then tries to decide it."""
        deciding = RouteStep.objects.filter(
            document_id__in=self.doc_ids,
            kind=StepKind.DECIDE,
            state=StepState.PENDING,
            document__status=DocumentStatus.CIRCULATING,
        ).select_related("document")
        candidates = sorted(deciding, key=lambda step: step.pk)
        if not candidates:
            return
        step = data.draw(st.sampled_from(candidates))
        self.stand_ins += 1
        with contextlib.suppress(ApplicationError):
            org_services.absence_register(
                actor=SETUP, user=step.assignee, starts_on=self.day, ends_on=self.day, proxy=step.document.drafter
            )
            self.successes["drafter_stands_in"] += 1
        document = Document.objects.get(pk=step.document_id)
        with contextlib.suppress(ApplicationError):  # the engine must refuse; the invariants check it did
            services.approve(actor=document.drafter, document=document, expected_version=document.version, on=self.day)

    @precondition(lambda self: len(self.doc_ids) < 8)
    @rule(
        who=st.sampled_from([0, 1, 2, 3, 4]),  # 4: 課長補佐, who may also stand in for the 課長
        kind=st.sampled_from(["general", "spending", "routine"]),
        amount=st.sampled_from([0, 800_000, 1_000_000, 6_000_000]),
        important=st.booleans(),
        confidential=st.booleans(),
    )
    def draft(self, who: int, kind: str, amount: int, important: bool, confidential: bool) -> None:
        document = services.draft_create(
            actor=self.staff[who],
            title="起案",
            matter_kind=self.city.kinds[kind],
            amount=amount if kind == "spending" else None,
            is_important=important,
            is_confidential=confidential,
            file_plan_class=self.city.plan,
            on=self.day,
        )
        self.doc_ids.append(document.pk)

    def _people_around(self, document: Document) -> list:
        """The drafter, the pending assignees and their proxies: those likely to be allowed to act."""
        from cityhall.org.selectors import proxy_for

        people = [document.drafter, self.city.docmgr]
        for step in RouteStep.objects.filter(document=document, state=StepState.PENDING).select_related("assignee"):
            people.append(step.assignee)
            proxy = proxy_for(step.assignee, on=self.day)
            if proxy is not None:
                people.append(proxy)
        approved = RouteStep.objects.filter(document=document, state=StepState.APPROVED).select_related("acted_by")
        people += [s.acted_by for s in approved if s.acted_by is not None]
        return people

    @precondition(lambda self: bool(self.doc_ids))
    @rule(data=st.data(), count=st.integers(1, 4))
    def act(self, data: st.DataObject, count: int) -> None:
        """A few actions in a row (invariants are checked after the rule)."""
        for _ in range(count):
            focused = data.draw(st.integers(0, 3)) > 0
            self._act_once(data, focused, data.draw(st.integers(0, 9)), data.draw(st.booleans()))

    def _act_once(self, data: st.DataObject, focused: bool, stale: int, consult: bool) -> None:
        """One action: either by someone around the document (likely allowed) or by anyone at all."""
        live = list(
            Document.objects.filter(pk__in=self.doc_ids)
            .exclude(status__in=[DocumentStatus.WITHDRAWN, DocumentStatus.REJECTED, DocumentStatus.CLOSED])
            .values_list("pk", flat=True)
        )
        pool = live if focused and live else self.doc_ids
        document = Document.objects.select_related("drafter").get(pk=data.draw(st.sampled_from(sorted(pool))))
        if focused:
            actor = data.draw(st.sampled_from(self._people_around(document)))
        else:
            actor = data.draw(st.sampled_from(self.staff))
        allowed = available_actions(actor, document, on=self.day)
        names = sorted(ACTIONS)
        likely = sorted((allowed | {"submit"} if "resubmit" in allowed else allowed) & set(ACTIONS))
        if data.draw(st.integers(0, 4)) > 0:  # withdrawing ends the story: keep it rarer
            likely = [a for a in likely if a not in ("withdraw", "edit")] or likely
        if focused and "approve" in likely and data.draw(st.booleans()):
            likely = ["approve"]  # moving forward is the common case
        elif focused and "send_back_to" in likely and data.draw(st.booleans()):
            likely = ["send_back_to"]  # rarer than the rest, but the route must resume from the target
        action = data.draw(st.sampled_from(likely if focused and likely else names))
        is_stale = stale == 0
        version = document.version - 1 if is_stale else document.version
        before = _state(document)
        audit_before = AuditEntry.objects.count()
        units = [self.city.units.zaisei] if consult else []
        try:
            ACTIONS[action](actor, document, version, self.day, units)
        except ApplicationError:
            assert _state(document) == before, f"failed {action} changed the document"
            return
        self.successes[action] += 1
        self.successes["_steps"] += 1
        assert not is_stale, f"{action} succeeded on a stale version"
        permitted = action in allowed or (action == "submit" and "resubmit" in allowed)
        assert permitted, f"{actor.username} did {action} on {document.status} without permission ({sorted(allowed)})"
        assert AuditEntry.objects.count() > audit_before, f"{action} wrote no audit entry"
        fresh = Document.objects.get(pk=document.pk)
        if fresh.is_decided:
            self.decided[fresh.pk] = tuple(getattr(fresh, f) for f in RECORD_FIELDS)

    @invariant()
    def decided_records_never_change(self) -> None:
        for pk, fields in self.decided.items():
            fresh = Document.objects.get(pk=pk)
            assert fresh.is_decided
            assert tuple(getattr(fresh, f) for f in RECORD_FIELDS) == fields

    @invariant()
    def numbers_unique_and_gap_free(self) -> None:
        numbers = defaultdict(list)
        for section, year, number in Document.objects.filter(sub_number=0).values_list(
            "section_id", "fiscal_year", "number"
        ):
            numbers[(section, year)].append(number)
        for key, values in numbers.items():
            assert sorted(values) == list(range(1, len(values) + 1)), key
        for counter in DocumentNumberCounter.objects.all():
            assert counter.last_number == len(numbers[(counter.section_id, counter.fiscal_year)])

    @invariant()
    def each_document_in_one_consistent_state(self) -> None:
        for document in Document.objects.filter(pk__in=self.doc_ids):
            assert document.status in DocumentStatus.values
            steps = list(RouteStep.objects.filter(document=document, round=document.current_round))
            pending_stages = {s.stage for s in steps if s.state == StepState.PENDING}
            if document.status == DocumentStatus.CIRCULATING:
                assert len(pending_stages) == 1, (document.pk, pending_stages)
            else:
                assert not pending_stages, (document.pk, document.status)
            if document.is_decided:
                assert sum(s.state == StepState.DECIDED for s in steps) == (document.medium == "electronic")

    @invariant()
    def a_route_runs_stage_by_stage(self) -> None:
        """Every step before the pending stage was acted on, every step after it waits (差戻し先から再開 too)."""
        for document in Document.objects.filter(pk__in=self.doc_ids, status=DocumentStatus.CIRCULATING):
            steps = list(RouteStep.objects.filter(document=document, round=document.current_round))
            stage = min(s.stage for s in steps if s.state == StepState.PENDING)
            assert all(s.state in DONE_STEP_STATES for s in steps if s.stage < stage), document.pk
            assert all(s.state == StepState.WAITING for s in steps if s.stage > stage), document.pk

    @invariant()
    def nobody_decides_or_approves_their_own_draft(self) -> None:
        """Separation of duties (職務分掌): the drafter is never among those who approved, agreed or decided."""
        documents = Document.objects.filter(pk__in=self.doc_ids)
        assert not documents.filter(decided_by=F("drafter")).exists()
        acted = RouteStep.objects.filter(document__in=documents, acted_by=F("document__drafter"))
        judged = (StepState.APPROVED, StepState.AGREED, StepState.OBJECTED, StepState.DECIDED, StepState.REJECTED)
        assert not acted.filter(state__in=judged).exists()

    @invariant()
    def audit_chain_verifies(self) -> None:
        assert verify_chain().ok


@pytest.mark.slow
def test_engine_invariants_under_random_use(city):
    transfer = [(city.kacho, city.units.jinji), (city.jinji_kacho, city.units.soumu)]
    for user, unit in transfer:
        org_services.assignment_create(actor=SETUP, user=user, unit=unit, post=city.posts["kacho"], valid_from=APRIL)
    EngineMachine.city = city
    EngineMachine.successes = defaultdict(int)
    run_state_machine_as_test(
        EngineMachine,
        settings=settings(
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            **PROFILE,
        ),
    )
    # The run reached the interesting places: decisions, send-backs and pull-backs happened.
    reached = EngineMachine.successes
    print("engine state machine:", dict(sorted(reached.items())))
    assert reached["approve"] and reached["submit"], dict(reached)
    assert Document.objects.filter(status__in=[DocumentStatus.DECIDED, DocumentStatus.CLOSED]).exists()
