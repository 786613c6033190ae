"""Tables people can read: the budget report fits 1366 px with amounts unbroken; on a phone lists become cards."""

from __future__ import annotations

import pytest
from django.test import override_settings

from cityhall.testing.engine import decide
from cityhall.testing.web import assert_no_serious_violations, sign_in_session

pytestmark = pytest.mark.django_db(transaction=True)

# Whether every amount cell shows its number on one line (no break inside 「2,420,000円」).
ONE_LINE = """sel => [...document.querySelectorAll(sel)].every(cell => {
  const lines = cell.getClientRects().length === 1 && cell.scrollWidth <= cell.clientWidth + 1;
  const style = getComputedStyle(cell);
  return lines && style.whiteSpace === 'nowrap' && style.fontVariantNumeric.includes('tabular-nums');
})"""


def _visible_in_viewport(page, name: str) -> bool:
    box = page.get_by_role("columnheader", name=name).bounding_box()
    return box is not None and box["x"] + box["width"] <= page.viewport_size["width"]


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_the_budget_report_fits_1366_px_with_remaining_and_rate_and_unbroken_amounts(
    page, live_server, city, budget, encumber
):
    decide(encumber(amount=2_420_000, title="庁舎の修繕"))
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in_session(page, live_server, budget.staff)
    page.goto("/finance/encumbrances/")  # a list: its amounts are right-aligned too
    assert page.evaluate("sel => getComputedStyle(document.querySelector(sel)).textAlign", "td.num") == "right"
    assert page.evaluate(ONE_LINE, "td.num")
    assert_no_serious_violations(page)
    for path in ("/finance/reports/", "/finance/reports/sections/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        wrap = page.locator(".doc-table-wrap").first
        assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth")  # no horizontal scroll in the table
        assert _visible_in_viewport(page, "執行率")
        assert page.get_by_role("columnheader", name="残額").first.is_visible()
        assert page.locator("td.num").count() >= 6
        assert page.evaluate(ONE_LINE, "td.num")
        assert page.evaluate("sel => getComputedStyle(document.querySelector(sel)).textAlign", "td.num") == "right"
        assert_no_serious_violations(page)


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_on_a_phone_the_budget_report_and_the_orders_are_cards_with_every_amount(
    phone_page, live_server, city, budget, decided_order
):
    decided_order(amounts=(2_420_000,))
    sign_in_session(phone_page, live_server, budget.staff)
    for path in ("/finance/reports/", "/finance/payments/"):
        phone_page.goto(path)
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
        row = phone_page.locator(".card-table tbody tr").first
        assert row.evaluate("el => getComputedStyle(el).display") == "block"
        assert phone_page.locator(".card-table tbody td.num").count() >= 1
        assert phone_page.evaluate(ONE_LINE, ".card-table tbody td.num")
        assert "2,420,000円" in row.inner_text()
        assert_no_serious_violations(phone_page)
