"""Many lines and first allotments at once (当初予算書の移行): the single services' rules, the refused one named."""

from __future__ import annotations

import pytest
from django.db import transaction

from cityhall.core.errors import ValidationFailed
from cityhall.finance.models import Allotment, BudgetLine
from cityhall.finance.services.allotments import allotments_insert
from cityhall.finance.services.budget import LineHeadings, budget_lines_insert, budget_version_insert
from cityhall.testing.finance import FY

pytestmark = pytest.mark.django_db

NEXT = FY + 1


def test_a_line_twice_in_one_call_is_refused_by_its_index_and_none_is_created(budget):
    heads = [LineHeadings(budget.moku, budget.setsu[s]) for s in ("10", "11", "10")]

    with pytest.raises(ValidationFailed, match="既にあります") as refused, transaction.atomic():
        budget_lines_insert(actor=budget.staff, account=budget.account, fiscal_year=NEXT, lines=heads)

    assert refused.value.extra == {"line": 2}
    assert not BudgetLine.objects.filter(fiscal_year=NEXT).exists()


def test_first_allotments_stay_within_each_lines_budget_and_are_not_given_twice(city, budget):
    with transaction.atomic():
        heads = [LineHeadings(budget.moku, budget.setsu[s]) for s in ("10", "11")]
        lines = budget_lines_insert(actor=budget.staff, account=budget.account, fiscal_year=NEXT, lines=heads)
        budget_version_insert(
            actor=budget.staff,
            account=budget.account,
            fiscal_year=NEXT,
            name="当初予算",
            amounts=[(lines[0], 1_000), (lines[1], 500)],
        )
        soumu, jinji = city.units.soumu, city.units.jinji
        over = [(lines[0], soumu, 600), (lines[1], soumu, 500), (lines[0], jinji, 401)]
        with pytest.raises(ValidationFailed, match="予算額を超えます") as refused:
            allotments_insert(actor=budget.staff, allotments=over)
        assert refused.value.extra == {"allotment": 2}
        assert not Allotment.objects.filter(line__in=lines).exists()

        made = allotments_insert(actor=budget.staff, allotments=[(lines[0], soumu, 600), (lines[0], jinji, 400)])
        assert [a.amount for a in made] == [600, 400]
        with pytest.raises(ValidationFailed, match="既に総務課に配当"):
            allotments_insert(actor=budget.staff, allotments=[(lines[0], soumu, 0)])
