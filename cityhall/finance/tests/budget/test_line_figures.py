"""Budget line figures of a page (予算現額・配当済・執行可能額) in grouped queries, equal to the hard stop's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cityhall.core.japanese import next_bank_business_day
from cityhall.finance import balance, services
from cityhall.finance.models import Allotment, BudgetClassification, BudgetLine, Level, PaymentOrder
from cityhall.finance.selectors.budget import allotment_balance
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders import payment_order_draft
from cityhall.finance.services.review import order_review_return
from cityhall.org import services as org_services
from cityhall.org.models import Role
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.engine import decide, submit
from cityhall.testing.finance import FY, make_reserve_line

pytestmark = pytest.mark.django_db


def _order(city, budget, amount: int, **kw) -> PaymentOrder:
    """A decided payment order: 支出負担行為兼支出命令 on the fixture's line unless an encumbrance is given."""
    today = timezone.localdate()
    if "encumbrance" not in kw:
        kw.update(kind="combined", line=budget.line)
    order = payment_order_draft(
        actor=city.drafter,
        title="消耗品の代金の支払について",
        kind=kw.pop("kind", "linked"),
        lines=[OrderLineInput(creditor=budget.creditor, amount=amount)],
        payment_date=next_bank_business_day(today),
        inspection_date=today,
        invoice_received_on=today,
        **kw,
    )
    decide(order.document_id)
    return PaymentOrder.objects.get(pk=order.pk)


def _reserve(budget) -> BudgetLine:
    return make_reserve_line(budget)


@pytest.fixture
def movements(city, budget, encumber, treasurer):
    """Lines moved by 補正, 流用 (decided, circulating, drafted) and 予備費充用, with encumbrances and orders.

    需用費 (line): 5,000,000 + 200,000 (補正) − 300,000 (流用 out, decided); allotted 3,000,000 to 総務課
    and 500,000 to 財政課. 役務費 (other): 1,000,000 + 300,000 + 400,000 (予備費充用) − 100,000 (流用 out,
    circulating). 予備費 (reserve): 1,000,000 − 400,000.
    """
    org_services.role_grant(actor=SETUP, user=city.drafter, role=Role.ACCOUNTING, valid_from=SINCE)
    staff, line = budget.staff, budget.line
    other = services.budget_line_create(
        actor=staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu["11"]
    )
    services.budget_version_create(
        actor=staff,
        account=budget.account,
        fiscal_year=FY,
        name="補正予算（第1号）",
        amounts=[(line, 200_000), (other, 1_000_000)],
    )
    reserve = _reserve(budget)

    def transfer(source, target, amount):
        return services.transfer_draft(
            actor=city.drafter, title="流用", source=source, target=target, amount=amount, reason="不足のため"
        )

    decide(transfer(line, other, 300_000).document_id)
    submit(transfer(other, line, 100_000).document_id)  # 回議中: held out of 役務費, not yet in 需用費
    transfer(line, other, 50_000)  # 起案中: counts nowhere
    use = services.reserve_use_draft(
        actor=city.drafter, title="予備費の充用", source=reserve, target=other, amount=400_000, reason="災害"
    )
    decide(use.document_id)
    services.allotment_set(actor=staff, line=line, section=city.units.zaisei, amount=500_000)
    services.allotment_set(actor=staff, line=other, section=city.units.soumu, amount=600_000)

    decided = encumber(amount=800_000)
    decide(decided.document_id)
    submit(encumber(amount=200_000).document_id)
    encumber(amount=100_000)  # 起案中
    cancelled = encumber(amount=300_000)
    decide(cancelled.document_id)
    services.encumbrance_cancel(actor=city.kacho, encumbrance=cancelled, reason="契約解除")
    submit(encumber(amount=50_000, line=other).document_id)
    _order(city, budget, 100_000, encumbrance=decided)  # within its encumbrance: not counted again
    _order(city, budget, 110_000)  # 兼: commits budget itself
    returned = _order(city, budget, 70_000)
    order_review_return(actor=treasurer, order=returned, reason="請求書の金額が契約と異なる")
    return line, other, reserve


def test_grouped_figures_equal_the_per_line_balance_functions(city, budget, movements):
    line, other, reserve = movements
    lines = list(BudgetLine.objects.filter(pk__in=[line.pk, other.pk, reserve.pk]))
    figures = balance.line_figures_for(lines)
    assert {pk: (f.budget, f.allotted) for pk, f in figures.items()} == {
        line.pk: (4_900_000, 3_500_000),
        other.pk: (1_600_000, 600_000),
        reserve.pk: (600_000, 0),
    }
    for each in lines:
        assert figures[each.pk].budget == balance.line_amount(each)
        assert figures[each.pk].allotted == balance.allotted_amount(each)
        assert [a.allotment.pk for a in figures[each.pk].allotments] == list(
            Allotment.objects.filter(line=each).order_by("section__code").values_list("pk", flat=True)
        )
        for row in figures[each.pk].allotments:
            allotment = row.allotment
            assert row.encumbered == balance.encumbered_amount(allotment)
            assert row.unencumbered_orders == balance.unencumbered_orders_amount(allotment)
            assert row.available == balance.available_amount(allotment)
    soumu = {a.allotment.section_id: a for a in figures[line.pk].allotments}[city.units.soumu.pk]
    # 800,000 decided + 200,000 circulating held; the 兼 order 110,000; the returned one and the linked do not count.
    assert (soumu.encumbered, soumu.unencumbered_orders, soumu.available) == (1_000_000, 110_000, 1_890_000)
    # The figures without allotments, and with one section's, read the same line amounts.
    bare = balance.line_figures_for(lines, allotments=False)
    assert {pk: (f.budget, f.allotted, f.allotments) for pk, f in bare.items()} == {
        pk: (f.budget, f.allotted, ()) for pk, f in figures.items()
    }
    own = balance.line_figures_for(lines, sections={city.units.zaisei.pk})
    assert own[line.pk].allotted == 3_500_000
    assert [a.allotment.section_id for a in own[line.pk].allotments] == [city.units.zaisei.pk]
    assert own[other.pk].allotments == () and balance.line_figures_for([]) == {}


def _add_lines(budget, city, count: int) -> None:
    """``count`` more lines under a new 目, each with 当初予算, an allotment to 総務課 and an encumbrance."""
    staff = budget.staff
    taken = BudgetClassification.objects.filter(level=Level.MOKU, parent=budget.kou).count()
    setsu = sorted(budget.setsu.values(), key=lambda h: h.sort_order)
    new: list[BudgetLine] = []
    for start in range(0, count, len(setsu)):
        code = str(taken + 1 + start // len(setsu))
        moku = services.heading_create(
            actor=staff, level=Level.MOKU, code=code, name=f"目{code}", account=budget.account, parent=budget.kou
        )
        for heading in setsu[: min(len(setsu), count - start)]:
            new.append(
                services.budget_line_create(
                    actor=staff, account=budget.account, fiscal_year=FY, moku=moku, setsu=heading
                )
            )
    services.budget_version_create(
        actor=staff, account=budget.account, fiscal_year=FY, name="補正予算", amounts=[(x, 100_000) for x in new]
    )
    for each in new:
        services.allotment_set(actor=staff, line=each, section=city.units.soumu, amount=50_000)
        services.allotment_set(actor=staff, line=each, section=city.units.zaisei, amount=10_000)


def _count(client: Client, url: str, params: dict[str, int]) -> tuple[int, int]:
    """(queries, items shown) of one GET."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    if response.headers["Content-Type"].startswith("application/json"):
        shown = response.json()["count"]
    else:
        shown = response.content.decode().count('class="fin-heading"')
    return len(queries), shown


def test_the_list_page_and_the_api_read_a_fixed_number_of_queries(city, budget, encumber):
    decide(encumber(amount=100_000).document_id)
    staff, clerk = Client(), Client()
    staff.force_login(budget.staff)
    clerk.force_login(city.drafter)
    page = (staff, reverse("finance:budget"), {"fiscal_year": FY})
    api = (staff, "/api/finance/lines", {"fiscal_year": FY})
    own = (clerk, "/api/finance/lines", {"fiscal_year": FY})  # 総務課's allotments only
    _add_lines(budget, city, 2)
    few = [_count(*call) for call in (page, api, own)]
    _add_lines(budget, city, 30)
    many = [_count(*call) for call in (page, api, own)]
    assert [shown for _q, shown in few] == [3, 3, 3] and [shown for _q, shown in many] == [33, 33, 33]
    assert [q for q, _s in many] == [q for q, _s in few]
    # The page's own figures take four queries; the rest is the signed-in layout (menu, roles, messages).
    assert many[0][0] <= 40 and many[1][0] <= 20 and many[2][0] <= 20, many


def test_allotment_balance_matches_the_hard_stop(city, budget, encumber, draft_order):
    decide(encumber(amount=100_000))
    submit(draft_order(amounts=(900_000,), title="電気料"))  # 兼: counted as ordered, not encumbered
    figures = allotment_balance(budget.allotment)
    assert (figures.encumbered, figures.ordered, figures.available) == (100_000, 900_000, 2_000_000)
    assert figures.available == balance.available_amount(budget.allotment)
