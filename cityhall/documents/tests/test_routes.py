"""Route rules (事務決裁規程): additions within the rules, consultations, the roster as of the route's date."""

from __future__ import annotations

import datetime as dt

import pytest

from cityhall.core.errors import ValidationFailed
from cityhall.documents import services
from cityhall.documents.models import Document, RouteStep, StepKind
from cityhall.documents.rules import plan_route
from cityhall.org import services as org_services
from cityhall.testing.city import SETUP


def test_extra_reviewer_below_the_decider_is_placed_by_rank(city):
    plan = plan_route(
        drafter=city.drafter,
        matter_kind=city.kinds["spending"],
        amount=800_000,
        on=dt.date(2025, 6, 1),
        extra_reviewers=[city.hosa, city.shunin],
    )
    assert [(s.kind, s.assignee.username) for s in plan.steps] == [
        (StepKind.REVIEW, "shunin"),
        (StepKind.REVIEW, "kakaricho"),
        (StepKind.REVIEW, "hosa"),
        (StepKind.DECIDE, "kacho"),
    ]
    assert plan.decision_label == "課長専決"


@pytest.mark.parametrize(
    ("extra", "consult", "message"),
    [
        (["bucho"], [], "決裁者と同じかそれより上"),
        (["kakaricho"], [], "既にルートに入っています"),
        ([], ["soumu"], "自分の課には合議できません"),
        ([], ["bunsho"], "課を指定してください"),
        ([], ["zaisei", "zaisei"], "重複"),
    ],
)
def test_routes_breaking_the_rules_are_refused_in_japanese(city, draft, extra, consult, message):
    doc = draft(kind="spending", amount=800_000)
    with pytest.raises(ValidationFailed, match=message):
        services.submit(
            actor=city.drafter,
            document=doc,
            expected_version=doc.version,
            extra_reviewers=[getattr(city, name) for name in extra],
            consult_units=[getattr(city.units, name) for name in consult],
        )
    doc.refresh_from_db()
    assert (doc.status, doc.version) == ("draft", 1)
    assert RouteStep.objects.count() == 0


def test_submit_requires_file_plan_class(city, draft):
    doc = draft(file_plan_class=None)
    with pytest.raises(ValidationFailed) as caught:
        services.submit(actor=city.drafter, document=doc, expected_version=doc.version)
    assert caught.value.field == "file_plan_class"


def test_route_uses_the_roster_as_of_its_date(city):
    """After the April transfer the new 課長 decides; before it, the old one."""
    april = dt.date(2026, 4, 1)
    org_services.assignment_create(
        actor=SETUP, user=city.kacho, unit=city.units.zaisei, post=city.posts["kacho"], valid_from=april
    )
    org_services.assignment_create(
        actor=SETUP, user=city.zaisei_kacho, unit=city.units.soumu, post=city.posts["kacho"], valid_from=april
    )
    kind = city.kinds["general"]
    before = plan_route(drafter=city.drafter, matter_kind=kind, amount=None, on=dt.date(2026, 3, 31))
    after = plan_route(drafter=city.drafter, matter_kind=kind, amount=None, on=april)
    assert before.decider == city.kacho
    assert after.decider == city.zaisei_kacho


def test_pending_step_follows_the_post_after_a_transfer(city, draft):
    """A route submitted in March resolves its next approver from the roster of the day it becomes pending."""
    march = dt.date(2026, 3, 30)
    doc = draft(on=march)
    doc = services.submit(actor=city.drafter, document=doc, expected_version=doc.version, on=march)
    april = dt.date(2026, 4, 1)
    org_services.assignment_create(
        actor=SETUP, user=city.kacho, unit=city.units.zaisei, post=city.posts["kacho"], valid_from=april
    )
    org_services.assignment_create(
        actor=SETUP, user=city.jinji_kacho, unit=city.units.soumu, post=city.posts["kacho"], valid_from=april
    )
    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version, on=april)
    decide = doc.steps.get(kind=StepKind.DECIDE)
    assert decide.assignee == city.jinji_kacho
    doc = services.approve(actor=city.jinji_kacho, document=doc, expected_version=doc.version, on=april)
    assert Document.objects.get(pk=doc.pk).decided_by == city.jinji_kacho
