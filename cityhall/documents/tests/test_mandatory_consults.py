"""Mandatory consults (必須合議先) of a kind of matter: on every route of the kind, never left out by the drafter."""

from __future__ import annotations

import datetime as dt

import pytest

from cityhall.core.errors import ValidationFailed
from cityhall.documents.models import MatterKind, StepKind
from cityhall.documents.rules import plan_route
from cityhall.org import services as org_services
from cityhall.testing.city import SETUP

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 6, 1)


def _steps(plan):
    return [(s.kind, s.stage, s.assignee.username) for s in plan.steps]


def test_a_kind_with_a_mandatory_consult_puts_it_before_the_decision_whatever_the_drafter_names(city):
    kind = city.kinds["general"]
    kind.consult_units.set([city.units.jinji])
    for named in ([], [city.units.jinji]):
        plan = plan_route(drafter=city.drafter, matter_kind=kind, amount=None, on=DAY, consult_units=named)
        assert _steps(plan) == [
            (StepKind.REVIEW, 1, "kakaricho"),
            (StepKind.CONSULT, 2, "jinji_kacho"),
            (StepKind.DECIDE, 3, "kacho"),
        ]
    plan = plan_route(drafter=city.drafter, matter_kind=kind, amount=None, on=DAY, consult_units=[city.units.zaisei])
    assert sorted(s.assignee.username for s in plan.steps if s.kind == StepKind.CONSULT) == [
        "jinji_kacho",
        "zaisei_kacho",
    ]


def test_the_drafters_own_section_as_mandatory_consult_is_already_on_the_route(city):
    kind = city.kinds["general"]
    kind.consult_units.set([city.units.soumu])
    plan = plan_route(drafter=city.drafter, matter_kind=kind, amount=None, on=DAY)
    assert [s.kind for s in plan.steps] == [StepKind.REVIEW, StepKind.DECIDE]


def test_a_mandatory_consult_without_a_head_on_the_day_stops_the_route_in_japanese(city):
    kind = city.kinds["general"]
    empty = org_services.unit_create(
        actor=SETUP, municipality=city.town, kind="section", code="0199", name="会計課",
        parent=city.units.soumubu, valid_from=dt.date(2000, 4, 1),
    )  # fmt: skip
    kind.consult_units.set([empty])
    with pytest.raises(ValidationFailed, match="必須合議先の会計課に2025年06月01日現在の課長がいない") as caught:
        plan_route(drafter=city.drafter, matter_kind=kind, amount=None, on=DAY)
    assert caught.value.field == "matter_kind"


def test_the_defaults_give_the_budget_movements_their_own_rows_and_the_budget_section(city):
    for code, label, post in (
        ("budget_transfer", "部長専決", "bucho"),
        ("reserve_use", "副市長決裁", "fukushicho"),
        ("carry_over", "市長決裁", "shicho"),
    ):
        kind = MatterKind.objects.get(code=code)
        assert list(kind.consult_units.all()) == [city.units.zaisei]
        rule = kind.delegation_rules.get()
        assert (rule.label, rule.decider_post.code, rule.amount_below) == (label, post, None)
