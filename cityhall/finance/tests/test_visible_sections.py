"""Who sees which sections' budget, encumbrances and orders (閲覧範囲): one rule on screen and API.

総務部長 sees the 課 of 総務部, 市長・副市長 everything, a clerk of 市民部 only 市民課.
"""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from cityhall.core.errors import PermissionDenied
from cityhall.core.japanese import next_bank_business_day
from cityhall.finance import services
from cityhall.finance.models import Encumbrance
from cityhall.finance.selectors.budget import lines_for, visible_sections
from cityhall.finance.selectors.encumbrances import encumbrances_for
from cityhall.finance.selectors.payment_orders import payment_order_detail, payment_orders_for
from cityhall.finance.selectors.reports import (
    Figures,
    execution_by_line,
    execution_by_section,
    execution_report,
    line_documents,
)
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders import payment_order_draft
from cityhall.org import services as org_services
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.engine import decide
from cityhall.testing.finance import FY, make_reserve_line
from cityhall.testing.web import FINANCE_API, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(city, budget, encumber):
    """The line allotted to 総務課 (¥3,000,000), 財政課 (¥500,000, same 部) and 市民課 of 市民部 (¥1,000,000);
    a second line allotted to 市民課 only. 総務課 has a decided ¥800,000 encumbrance and a linked order
    of ¥110,000 against it; 市民課 a ¥200,000 encumbrance in draft."""
    staff = budget.staff

    def unit(**kw):
        return org_services.unit_create(actor=SETUP, municipality=city.town, valid_from=dt.date(2000, 4, 1), **kw)

    shiminbu = unit(kind="department", code="02", name="市民部")
    shimin = unit(kind="section", code="0201", name="市民課", parent=shiminbu, symbol="市")
    clerk = city.drafter.__class__.objects.create_user(username="shimin", last_name="市村", first_name="次郎")
    org_services.assignment_create(actor=SETUP, user=clerk, unit=shimin, post=city.posts["shuji"], valid_from=SINCE)
    services.allotment_set(actor=staff, line=budget.line, section=city.units.zaisei, amount=500_000)
    services.allotment_set(actor=staff, line=budget.line, section=shimin, amount=1_000_000)
    other = services.budget_line_create(
        actor=staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu["11"]
    )
    services.budget_version_create(
        actor=staff, account=budget.account, fiscal_year=FY, name="補正予算（第1号）", amounts=[(other, 700_000)]
    )
    services.allotment_set(actor=staff, line=other, section=shimin, amount=700_000)
    enc = encumber(amount=800_000, title="コピー用紙の購入")
    decide(enc.document_id)
    enc = Encumbrance.objects.get(pk=enc.pk)
    order = payment_order_draft(
        actor=city.drafter,
        title="コピー用紙の代金の支払について",
        kind="linked",
        encumbrance=enc,
        lines=[OrderLineInput(creditor=budget.creditor, amount=110_000)],
        payment_date=next_bank_business_day(dt.date.today()),
    )
    theirs = encumber(amount=200_000, title="窓口用品の購入", by=clerk)
    return SimpleNamespace(shimin=shimin, clerk=clerk, other=other, enc=enc, order=order, theirs=theirs)


def test_one_rule_for_the_head_of_a_department(city, budget, spread):
    bucho = city.bucho
    scope = visible_sections(bucho)
    assert not scope.whole_lines and scope.units is not None
    assert {city.units.soumu, city.units.zaisei, city.units.jinji} <= set(scope.units)
    assert spread.shimin not in set(scope.units)
    # Encumbrances, orders and lines of 総務部's sections only, filtered in SQL.
    assert list(encumbrances_for(bucho)) == [spread.enc]
    assert list(payment_orders_for(bucho)) == [spread.order]
    assert payment_order_detail(bucho, spread.order.pk) == spread.order
    assert list(lines_for(bucho)) == [budget.line]


def test_the_head_of_a_department_sees_the_execution_of_their_sections(city, budget, spread):
    report = execution_by_line(city.bucho, fiscal_year=FY)
    assert (report.count, report.section_id, report.limited) == (1, None, True)
    (row,) = report.rows
    # 総務課 and 財政課's allotments, not 市民課's: 残額 is their 執行可能額.
    assert row.figures == Figures(5_000_000, 3_500_000, 800_000, 0, 0, 2_700_000)  # the order is a draft
    sections = execution_by_section(city.bucho, fiscal_year=FY)
    assert [r.name for r in sections.rows] == ["総務課", "財政課"]
    # One of their sections chosen; 市民課 is not theirs.
    chosen = execution_by_line(city.bucho, fiscal_year=FY, section=city.units.zaisei)
    assert chosen.rows[0].figures == Figures(5_000_000, 500_000, 0, 0, 0, 500_000)
    assert execution_by_line(city.bucho, fiscal_year=FY, section=spread.shimin).rows == ()
    detail = line_documents(city.bucho, budget.line.pk)
    assert [d.title for d in detail.encumbrances] == ["コピー用紙の購入"]
    assert [s.name for s in detail.sections] == ["総務課", "財政課"]
    with pytest.raises(PermissionDenied):
        line_documents(city.bucho, spread.other.pk)
    lines, by_section = execution_report(city.bucho, fiscal_year=FY)
    assert [r.line_id for r in lines.rows] == [budget.line.pk] and len(by_section.rows) == 2


@pytest.mark.parametrize("who", ["shicho", "fukushicho"])
def test_the_executive_sees_every_line_and_section(city, budget, spread, who):
    user = getattr(city, who)
    reserve = make_reserve_line(budget)  # never allotted: the lists show it as the report does
    report = execution_by_line(user, fiscal_year=FY)
    assert (report.count, report.section_id, report.limited) == (3, None, False)  # the 予備費 too
    assert report.rows[0].figures == Figures(5_000_000, 4_500_000, 800_000, 0, 0, 4_200_000)
    sections = execution_by_section(user, fiscal_year=FY)
    assert [r.name for r in sections.rows] == ["総務課", "財政課", "市民課"]
    assert set(lines_for(user)) == {budget.line, spread.other, reserve}
    assert set(encumbrances_for(user)) == {spread.enc, spread.theirs}
    assert payment_order_detail(user, spread.order.pk) == spread.order
    assert line_documents(user, spread.other.pk).line.line_id == spread.other.pk


def test_a_clerk_of_another_department_sees_nothing_of_it(city, budget, spread):
    clerk = spread.clerk
    assert list(encumbrances_for(clerk)) == [spread.theirs]
    assert list(payment_orders_for(clerk)) == []
    with pytest.raises(PermissionDenied):
        payment_order_detail(clerk, spread.order.pk)
    assert set(lines_for(clerk)) == {budget.line, spread.other}
    report = execution_by_line(clerk, fiscal_year=FY)
    assert report.section_id == spread.shimin.pk
    assert report.rows[0].figures == Figures(5_000_000, 1_000_000, 0, 0, 0, 1_000_000)  # the draft holds nothing
    assert execution_by_line(clerk, fiscal_year=FY, section=city.units.soumu).rows == ()
    assert [r.name for r in execution_by_section(clerk, fiscal_year=FY).rows] == ["市民課"]
    assert line_documents(clerk, budget.line.pk).encumbrances[0].title == "窓口用品の購入"
    with pytest.raises(PermissionDenied):
        line_documents(clerk, budget.line.pk, section=city.units.soumu)


def test_screens_for_the_head_of_a_department(city, budget, spread):
    client = client_for(city.bucho)
    page = client.get("/finance/reports/", {"fiscal_year": FY}).content.decode()
    assert "一般管理費" in page and "残額（執行可能額）" in page
    assert "総務部の課に配当された予算のみを表示しています。" in page
    assert "市民課" not in page  # not among the sections to choose
    sections = client.get("/finance/reports/sections/", {"fiscal_year": FY}).content.decode()
    assert "財政課" in sections and "市民課" not in sections
    assert client.get(f"/finance/reports/lines/{budget.line.pk}/").status_code == 200
    assert client.get(f"/finance/reports/lines/{spread.other.pk}/").status_code == 404
    book = load_workbook(io.BytesIO(client.get("/finance/reports/export.xlsx", {"fiscal_year": FY}).content))
    assert book["科目別"].cell(4, 8).value == 3_500_000 and book["課別"].max_row == 6  # 2 sections + total
    assert client.get(f"/finance/payments/{spread.order.pk}/").status_code == 200
    assert client.get(f"/finance/encumbrances/{spread.enc.pk}/").status_code == 200

    outsider = client_for(spread.clerk)
    assert "一般管理費" in outsider.get("/finance/reports/", {"fiscal_year": FY}).content.decode()
    assert "総務課" not in outsider.get("/finance/reports/sections/", {"fiscal_year": FY}).content.decode()
    assert (
        outsider.get(f"/finance/reports/lines/{budget.line.pk}/", {"section": city.units.soumu.pk}).status_code == 404
    )
    assert outsider.get(f"/finance/payments/{spread.order.pk}/").status_code == 404
    assert outsider.get(f"/finance/encumbrances/{spread.enc.pk}/").status_code == 404


def test_api_for_the_head_of_a_department_the_executive_and_another_department(city, budget, spread):
    bucho = client_for(city.bucho)
    lines = bucho.get(f"{FINANCE_API}/reports/lines", {"fiscal_year": FY}).json()
    assert [row["line_id"] for row in lines["items"]] == [budget.line.pk]
    assert lines["total"]["allotted"] == 3_500_000
    assert [r["name"] for r in bucho.get(f"{FINANCE_API}/reports/sections", {"fiscal_year": FY}).json()["items"]] == [
        "総務課",
        "財政課",
    ]
    assert bucho.get(f"{FINANCE_API}/payment-orders/{spread.order.pk}").status_code == 200
    assert bucho.get(f"{FINANCE_API}/encumbrances/{spread.enc.pk}").status_code == 200
    listed = bucho.get(f"{FINANCE_API}/lines", {"fiscal_year": FY}).json()["items"]
    assert [row["id"] for row in listed] == [budget.line.pk]
    assert [a["section"] for a in listed[0]["allotments"]] == ["総務課", "財政課"]
    assert bucho.get(f"{FINANCE_API}/lines/{spread.other.pk}").status_code == 404

    mayor = client_for(city.shicho)
    assert mayor.get(f"{FINANCE_API}/reports/lines", {"fiscal_year": FY}).json()["count"] == 2
    assert mayor.get(f"{FINANCE_API}/payment-orders/{spread.order.pk}").status_code == 200

    clerk = client_for(spread.clerk)
    assert (
        clerk.get(f"{FINANCE_API}/reports/lines", {"fiscal_year": FY, "section_id": city.units.soumu.pk}).json()[
            "items"
        ]
        == []
    )
    assert (
        clerk.get(f"{FINANCE_API}/reports/lines/{budget.line.pk}", {"section_id": city.units.soumu.pk}).status_code
        == 404
    )
    assert clerk.get(f"{FINANCE_API}/payment-orders/{spread.order.pk}").status_code == 404
    assert clerk.get(f"{FINANCE_API}/encumbrances/{spread.enc.pk}").status_code == 404
    listed = clerk.get(f"{FINANCE_API}/lines", {"fiscal_year": FY}).json()["items"]
    assert [a["section"] for a in listed[0]["allotments"]] == ["市民課"]
