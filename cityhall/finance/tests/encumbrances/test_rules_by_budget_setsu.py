"""The 事務決裁規程 may have rows for one budget 節: finance's documents tell their 節 (``rule_facts``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.documents import services as docs
from cityhall.documents.models import StepKind
from cityhall.testing.engine import submit
from cityhall.testing.web import client_for

pytestmark = pytest.mark.django_db


def test_a_row_for_the_lines_setsu_routes_the_encumbrance_and_the_order(city, budget, encumber, draft_order):
    today = timezone.localdate()
    rule = docs.delegation_rule_add(  # 需用費 (節10, the fixture's line) under ¥1,000,000: 部長専決 with 財政課
        actor=city.docmgr, matter_kind=city.kinds["spending"], budget_setsu="10", amount_below=1_000_000,
        decider_post=city.posts["bucho"], label="部長専決", consult_units=[city.units.zaisei],
        valid_from=today, on=today - dt.timedelta(days=1),
    )  # fmt: skip
    for obj in (encumber(amount=800_000, contract_method="none"), draft_order(amounts=(110_000,))):
        doc = submit(obj)
        assert (doc.decision_label, doc.delegation_rule) == ("部長専決", rule)
        consults = doc.steps.filter(kind=StepKind.CONSULT).values_list("assignee__username", flat=True)
        assert list(consults) == ["zaisei_kacho"]
    # The new-encumbrance screen previews the route with the chosen line's 節.
    client = client_for(city.drafter)
    query = {"contract_method": "none", "amount": "800,000", "line": budget.line.pk}
    redirected = client.get(reverse("finance:encumbrance_route"), query)
    assert "setsu=10" in redirected["Location"]
    assert "部長専決" in client.get(redirected["Location"]).content.decode()
