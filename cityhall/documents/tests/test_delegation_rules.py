"""The 事務決裁規程 as data: the most specific row in effect decides; edits are future-dated, audited, 文書主管 only."""

from __future__ import annotations

import datetime as dt

import pytest

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.documents import services
from cityhall.documents.defaults import ensure_defaults
from cityhall.documents.models import DelegationRule, StepKind
from cityhall.documents.rules import decision_rule, plan_route
from cityhall.testing.city import SETUP

pytestmark = pytest.mark.django_db

EDIT = dt.date(2025, 5, 1)  # the day the 文書主管 edits
FROM = dt.date(2025, 6, 1)  # the day the edit takes effect


def _add(city, **kw):
    defaults = {"matter_kind": city.kinds["spending"], "valid_from": FROM, "on": EDIT}
    return services.delegation_rule_add(actor=city.docmgr, **(defaults | kw))


def test_the_most_specific_row_in_effect_decides_and_names_its_consults(city):
    posts, units = city.posts, city.units
    _add(city, unit=units.soumubu, amount_below=3_000_000, decider_post=posts["kacho"], label="課長専決")
    _add(city, budget_setsu="14", amount_below=1_000_000, decider_post=posts["bucho"], label="部長専決")
    _add(
        city, unit=units.soumu, budget_setsu="14", decider_post=posts["shicho"], label="市長決裁",
        consult_units=[units.zaisei],
    )  # fmt: skip
    kind = city.kinds["spending"]

    def label(amount, section, setsu="", on=FROM):
        return decision_rule(kind, amount, section=section, setsu=setsu, on=on).label

    assert label(2_000_000, units.soumu, on=FROM - dt.timedelta(days=1)) == "部長専決"  # not yet in effect
    assert label(2_000_000, units.soumu) == "課長専決"  # the 部 row
    assert label(4_000_000, units.soumu) == "部長専決"  # above the 部 row's band: the whole city's
    assert label(2_000_000, units.soumu, "14") == "市長決裁"  # 課 and 節
    assert label(500_000, units.jinji, "14") == "課長専決"  # 部 before a whole-city 節 row
    assert label(500_000, None, "14") == "部長専決"  # no section: whole-city rows only, 節 first
    plan = plan_route(drafter=city.drafter, matter_kind=kind, amount=2_000_000, on=FROM, setsu="14")
    assert [(s.kind, s.assignee.username) for s in plan.steps] == [
        (StepKind.REVIEW, "kakaricho"),
        (StepKind.REVIEW, "kacho"),
        (StepKind.REVIEW, "bucho"),
        (StepKind.REVIEW, "fukushicho"),
        (StepKind.CONSULT, "zaisei_kacho"),
        (StepKind.DECIDE, "shicho"),
    ]


def test_a_change_applies_from_its_date_and_a_running_route_keeps_its_row(city, draft):
    old = DelegationRule.objects.get(matter_kind=city.kinds["spending"], amount_below=1_000_000)
    before = draft(kind="spending", amount=800_000, on=FROM - dt.timedelta(days=1))
    before = services.submit(
        actor=city.drafter, document=before, expected_version=before.version, on=FROM - dt.timedelta(days=1)
    )
    new = services.delegation_rule_change(
        actor=city.docmgr, rule=old, valid_from=FROM, decider_post=city.posts["kakaricho"], label="係長専決",
        amount_below=1_000_000, note="軽易な支出を係長専決に", on=EDIT,
    )  # fmt: skip
    old.refresh_from_db()
    assert (old.valid_to, new.replaces, new.valid_to) == (FROM - dt.timedelta(days=1), old, None)
    after = draft(kind="spending", amount=800_000, on=FROM)
    after = services.submit(actor=city.drafter, document=after, expected_version=after.version, on=FROM)
    assert (after.decision_label, after.delegation_rule) == ("係長専決", new)
    assert [s.assignee.username for s in after.steps.all()] == ["kakaricho"]
    before.refresh_from_db()
    assert (before.decision_label, before.delegation_rule) == ("課長専決", old)
    for who in (city.kakaricho, city.kacho):  # the running route goes on as it was given
        before = services.approve(actor=who, document=before, expected_version=before.version, on=FROM)
    assert before.decided_by == city.kacho
    actions = AuditEntry.objects.filter(object_type="documents.delegationrule").values_list("action", flat=True)
    assert sorted(actions) == ["documents.delegation_rule.add", "documents.delegation_rule.change"]


def test_edits_are_future_dated_for_the_document_manager_and_cannot_overlap(city):
    posts = city.posts
    rows = DelegationRule.objects.count()
    with pytest.raises(ValidationFailed, match="明日以降") as caught:
        _add(city, valid_from=EDIT, decider_post=posts["kacho"], label="課長専決", amount_below=2_000_000)
    assert caught.value.field == "valid_from"
    with pytest.raises(PermissionDenied):
        services.delegation_rule_add(
            actor=city.kacho, matter_kind=city.kinds["spending"], decider_post=posts["kacho"], label="課長専決",
            valid_from=FROM, on=EDIT,
        )  # fmt: skip
    with pytest.raises(ValidationFailed, match="期間が重なります"):  # the default row of that slot is in effect
        _add(city, decider_post=posts["kacho"], label="課長専決", amount_below=1_000_000)
    with pytest.raises(ValidationFailed) as caught:
        _add(city, decider_post=posts["kacho"], label="課長専決", budget_setsu="十四")
    assert caught.value.field == "budget_setsu"
    with pytest.raises(ValidationFailed) as caught:
        _add(city, matter_kind=city.kinds["general"], decider_post=posts["kacho"], label="課長専決", amount_below=5)
    assert caught.value.field == "amount_below"
    assert DelegationRule.objects.count() == rows

    general = DelegationRule.objects.get(matter_kind=city.kinds["general"])
    with pytest.raises(ValidationFailed):
        services.delegation_rule_end(actor=city.docmgr, rule=general, last_day=EDIT - dt.timedelta(days=1), on=EDIT)
    change = services.delegation_rule_change(
        actor=city.docmgr, rule=general, valid_from=FROM, decider_post=posts["bucho"], label="部長専決",
        amount_below=None, on=EDIT,
    )  # fmt: skip
    with pytest.raises(Conflict, match="改正後の行"):
        services.delegation_rule_end(actor=city.docmgr, rule=general, last_day=EDIT, on=EDIT)
    services.delegation_rule_cancel(actor=city.docmgr, rule=change, on=EDIT)  # the scheduled change is withdrawn
    general.refresh_from_db()
    assert general.valid_to is None and not DelegationRule.objects.filter(pk=change.pk).exists()
    ended = services.delegation_rule_end(actor=city.docmgr, rule=general, last_day=FROM, on=EDIT)
    assert ended.valid_to == FROM
    ensure_defaults(actor=SETUP)  # a kind the city edited is not seeded again
    assert DelegationRule.objects.filter(matter_kind=city.kinds["general"]).count() == 1
    with pytest.raises(ValidationFailed, match="決裁区分が事務決裁規程に定められていません"):
        decision_rule(city.kinds["general"], None, on=FROM + dt.timedelta(days=1))
