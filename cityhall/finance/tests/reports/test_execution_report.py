"""Budget execution status (予算執行状況): figures, permission, drill-down, screens and the Excel file."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings
from django.utils import timezone
from openpyxl import load_workbook

from cityhall.core.errors import PermissionDenied
from cityhall.core.japanese import fiscal_year_label, next_bank_business_day
from cityhall.finance import balance, services
from cityhall.finance.excel import YEN_FORMAT
from cityhall.finance.models import Allotment, PaymentOrder
from cityhall.finance.selectors.reports import (
    Figures,
    execution_by_line,
    execution_by_section,
    execution_report,
    line_documents,
)
from cityhall.finance.services.batches import batch_export, batch_mark_paid
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders import payment_order_draft
from cityhall.finance.services.review import order_review_approve, order_review_return
from cityhall.testing.engine import decide, submit
from cityhall.testing.finance import FY
from cityhall.testing.web import assert_no_serious_violations

pytestmark = pytest.mark.django_db


@pytest.fixture
def executed(city, budget, encumber):
    """総務課's line: ¥800,000 decided, ¥200,000 circulating, ¥100,000 drafted, ¥300,000 decided then cancelled."""
    decided = encumber(amount=800_000, title="コピー用紙の購入")
    decide(decided)
    submit(encumber(amount=200_000, title="トナーの購入"))
    encumber(amount=100_000, title="文具の購入")
    cancelled = encumber(amount=300_000, title="机の購入")
    decide(cancelled)
    services.encumbrance_cancel(actor=city.kacho, encumbrance=cancelled, reason="契約解除")
    return decided


def test_figures_by_line_and_section_after_real_encumbrances(city, budget, executed):
    report = execution_by_line(budget.staff, fiscal_year=FY)
    assert (report.count, report.section_id) == (1, None)
    (row,) = report.rows
    assert (row.line_id, row.kan, row.kou, row.moku, row.setsu) == (
        budget.line.pk,
        "2款総務費",
        "1項総務管理費",
        "1目一般管理費",
        "10節需用費",
    )
    # Circulating and decided encumbrances hold; the draft and the cancelled one do not.
    assert row.figures == Figures(5_000_000, 3_000_000, 1_000_000, 0, 0, 4_000_000)
    assert row.figures.rate == Decimal("20.0")
    assert row.figures.budget == balance.line_amount(budget.line)
    assert report.total == row.figures

    sections = execution_by_section(budget.staff, fiscal_year=FY)
    (soumu,) = sections.rows
    assert (soumu.name, soumu.figures) == ("総務課", Figures(3_000_000, 3_000_000, 1_000_000, 0, 0, 2_000_000))
    assert soumu.figures.remaining == balance.available_amount(Allotment.objects.get(pk=budget.allotment.pk))
    assert soumu.figures.rate == Decimal("33.3")


def test_a_clerk_sees_only_their_sections_allotments(city, budget, executed):
    # 人事課 has no allotment on the line: none of 総務課's rows, not even by asking for 総務課.
    assert execution_by_line(city.outsider, fiscal_year=FY).rows == ()
    assert execution_by_line(city.outsider, fiscal_year=FY, section=city.units.soumu).rows == ()
    assert execution_by_section(city.outsider, fiscal_year=FY).rows == ()
    with pytest.raises(PermissionDenied):
        line_documents(city.outsider, budget.line.pk)
    # 総務課's clerk sees the line limited to the section: 残額 is the 執行可能額.
    mine = execution_by_line(city.drafter, fiscal_year=FY)
    assert mine.section_id == city.units.soumu.pk
    assert mine.rows[0].figures == Figures(5_000_000, 3_000_000, 1_000_000, 0, 0, 2_000_000)
    assert [r.name for r in execution_by_section(city.drafter, fiscal_year=FY).rows] == ["総務課"]


def test_filters_pages_and_the_total_over_all_pages(city, budget, executed):
    staff = budget.staff
    other = services.budget_line_create(
        actor=staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu["11"]
    )
    services.budget_version_create(
        actor=staff, account=budget.account, fiscal_year=FY, name="補正予算（第1号）", amounts=[(other, 1_000_000)]
    )
    services.allotment_set(actor=staff, line=other, section=city.units.jinji, amount=600_000)
    first = execution_by_line(staff, fiscal_year=FY, page_size=1)
    second = execution_by_line(staff, fiscal_year=FY, page_size=1, page=2)
    assert [r.line_id for r in first.rows + second.rows] == [budget.line.pk, other.pk]
    assert (first.num_pages, first.has_next, second.has_previous) == (2, True, True)
    assert first.total == Figures(6_000_000, 3_600_000, 1_000_000, 0, 0, 5_000_000)
    assert [r.line_id for r in execution_by_line(staff, fiscal_year=FY, setsu=budget.setsu["11"]).rows] == [other.pk]
    assert execution_by_line(staff, fiscal_year=FY, section=city.units.jinji).total.allotted == 600_000
    assert execution_by_line(staff, fiscal_year=FY, kan=budget.kan, kou=budget.kou, moku=budget.moku).count == 2
    assert execution_by_line(staff, fiscal_year=FY + 1).rows == ()
    assert [r.name for r in execution_by_section(city.outsider, fiscal_year=FY).rows] == ["人事課"]
    assert [r.name for r in execution_by_section(staff, fiscal_year=FY, setsu=budget.setsu["11"]).rows] == ["人事課"]
    lines, sections = execution_report(staff, fiscal_year=FY)  # the Excel file's one pass
    assert (lines.rows, lines.total) == (first.rows + second.rows, first.total)
    assert sections == execution_by_section(staff, fiscal_year=FY)


def test_drill_down_lists_the_documents_with_state_and_amount(city, budget, executed):
    detail = line_documents(city.drafter, budget.line.pk)
    by_title = {row.title: row for row in detail.encumbrances}
    assert detail.encumbrance_count == 4 and detail.order_count == 0
    decided = by_title["コピー用紙の購入"]
    assert (decided.document_id, decided.amount, decided.state, decided.counts) == (
        executed.document_id,
        800_000,
        "決裁済",
        True,
    )
    assert (by_title["机の購入"].state, by_title["机の購入"].counts) == ("取消", False)
    assert (by_title["文具の購入"].state, by_title["文具の購入"].counts) == ("起案中", False)
    (soumu,) = detail.sections
    assert (soumu.name, soumu.figures.remaining) == ("総務課", 2_000_000)


def test_screens_render_the_tables_drill_down_and_menu(client, city, budget, executed):
    client.force_login(city.drafter)
    page = client.get("/finance/reports/")
    html = page.content.decode()
    assert page.status_code == 200
    assert fiscal_year_label(FY) in html and "1,000,000円" in html and "2,000,000円" in html
    assert 'class="shell-nav__link" href="/finance/reports/" aria-current="page">予算執行状況<' in html
    assert '<th scope="col" class="fin-num num">配当額</th>' in html
    assert "総務課に配当された予算のみを表示しています。" in html and 'name="section"' not in html
    partial = client.get("/finance/reports/", {"fiscal_year": FY}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and "3,000,000円" in partial.content.decode()
    assert client.get("/finance/reports/", {"fiscal_year": "abc"}).status_code == 400

    sections = client.get("/finance/reports/sections/").content.decode()
    assert 'id="section-chart-data"' in sections and "vendor/chart.js/chart.umd.min.js" in sections
    assert "finance/reports.js" in sections and "<script>" not in sections.replace('<script src="', "")

    drill = client.get(f"/finance/reports/lines/{budget.line.pk}/")
    assert f'href="/documents/{executed.document_id}/"' in drill.content.decode()
    client.force_login(city.outsider)
    assert client.get(f"/finance/reports/lines/{budget.line.pk}/").status_code == 404
    assert "1,000,000円" not in client.get("/finance/reports/").content.decode()


def test_excel_export_has_both_sheets_cell_by_cell(client, city, budget, executed):
    client.force_login(budget.staff)
    response = client.get("/finance/reports/export.xlsx", {"fiscal_year": FY})
    assert response.status_code == 200
    name = f"予算執行状況_{fiscal_year_label(FY)}.xlsx"
    assert response["Content-Disposition"].endswith(f"filename*=UTF-8''{quote(name)}")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["科目別", "課別"]
    lines, sections = book["科目別"], book["課別"]
    assert lines["A1"].value == f"{fiscal_year_label(FY)} 予算執行状況（科目別）"
    assert [c.value for c in lines[3]] == [
        "会計",
        "款",
        "項",
        "目",
        "節",
        "細節",
        "予算現額",
        "配当額",
        "負担額",
        "支出命令額",
        "支出済額",
        "残額",
        "執行率",
        "戻入額",
    ]
    assert [c.value for c in lines[4]] == [
        "一般会計",
        "2款総務費",
        "1項総務管理費",
        "1目一般管理費",
        "10節需用費",
        None,
        5_000_000,
        3_000_000,
        1_000_000,
        0,
        0,
        4_000_000,
        pytest.approx(0.2),
        0,
    ]
    assert lines["G4"].number_format == YEN_FORMAT and lines["M4"].number_format == "0.0%"
    assert [c.value for c in lines[5]][:1] + [c.value for c in lines[5]][6:12] == [
        "合計",
        5_000_000,
        3_000_000,
        1_000_000,
        0,
        0,
        4_000_000,
    ]
    assert sections["A1"].value == f"{fiscal_year_label(FY)} 予算執行状況（課別）"
    assert [c.value for c in sections[3]] == [
        "課コード",
        "課",
        "配当額",
        "負担額",
        "支出命令額",
        "支出済額",
        "残額（執行可能額）",
        "執行率",
        "戻入額",
    ]
    row = [c.value for c in sections[4]]
    assert row[:7] == ["0101", "総務課", 3_000_000, 1_000_000, 0, 0, 2_000_000]
    assert row[7] == pytest.approx(1 / 3, abs=0.001)
    assert sections["C4"].number_format == YEN_FORMAT


def _order(city, budget, amount: int, **kw):
    """A payment order drafted through the service and decided through the engine (inspected, invoiced today)."""
    today = timezone.localdate()
    if "encumbrance" not in kw:
        kw.update(kind="combined", line=budget.line)
    order = payment_order_draft(
        actor=city.drafter,
        title=kw.pop("title", "消耗品の代金の支払について"),
        kind=kw.pop("kind", "linked"),
        lines=[OrderLineInput(creditor=budget.creditor, amount=amount)],
        payment_date=next_bank_business_day(today),
        inspection_date=today,
        inspector=city.shunin,
        invoice_received_on=today,
        **kw,
    )
    decide(order)
    return PaymentOrder.objects.get(pk=order.pk)


def test_orders_move_ordered_and_a_paid_batch_moves_paid(city, budget, executed, treasurer, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.CITYHALL_ZENGIN = {
        "requester_code": "0000012345",
        "requester_name": "ﾐﾄﾞﾘﾉｼ ｶｲｹｲｶﾝﾘｼﾔ",
        "bank_code": "0001",
        "branch_code": "001",
        "account_type": "1",
        "account_number": "7777777",
        "separator": "crlf",
    }
    linked = _order(city, budget, 330_000, encumbrance=executed, title="コピー用紙の代金")
    combined = _order(city, budget, 110_000, title="電気料金")
    returned = _order(city, budget, 55_000, title="誤った請求")

    def figures():
        return execution_by_line(budget.staff, fiscal_year=FY).rows[0].figures

    # A linked order is within its encumbrance; a combined one commits budget itself (負担額 grows).
    assert figures() == Figures(5_000_000, 3_000_000, 1_165_000, 495_000, 0, 3_835_000)
    order_review_return(actor=treasurer, order=returned, reason="請求書の金額が契約と異なる")
    assert figures() == Figures(5_000_000, 3_000_000, 1_110_000, 440_000, 0, 3_890_000)
    order_review_approve(actor=treasurer, order=linked)
    batch = order_review_approve(actor=treasurer, order=combined).batch
    assert batch is not None
    batch_export(actor=treasurer, batch=batch)
    assert figures().paid == 0  # exported is not yet paid
    batch_mark_paid(actor=treasurer, batch=batch)
    assert figures() == Figures(5_000_000, 3_000_000, 1_110_000, 440_000, 440_000, 3_890_000)
    (soumu,) = execution_by_section(city.drafter, fiscal_year=FY).rows
    assert soumu.figures == Figures(3_000_000, 3_000_000, 1_110_000, 440_000, 440_000, 1_890_000)
    assert soumu.figures.remaining == balance.available_amount(Allotment.objects.get(pk=budget.allotment.pk))
    states = {row.title: (row.state, row.counts) for row in line_documents(city.drafter, budget.line.pk).orders}
    assert states == {
        "コピー用紙の代金": ("支払済", True),
        "電気料金": ("支払済", True),
        "誤った請求": ("返付", False),
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_report_pages_in_a_browser_draw_the_charts_and_pass_axe(page, live_server, city, budget, executed):
    browser_client = Client()
    browser_client.force_login(budget.staff)
    session = browser_client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    page.goto("/finance/reports/")
    assert page.get_by_role("table", name=re.compile("予算執行状況（科目別）")).is_visible()
    assert_no_serious_violations(page)
    # Changing a filter refreshes the table in place (htmx) and keeps the filters in the address.
    page.get_by_label("節").select_option(label="11 役務費")
    page.wait_for_selector("text=該当する予算科目はありません。")
    assert "setsu=" in page.url
    page.get_by_role("link", name="課別").click()
    page.wait_for_url("**/finance/reports/sections/?*setsu=*")
    assert page.get_by_text("配当のある課はありません。").is_visible()
    page.goto("/finance/reports/sections/")
    # One chart for every section, horizontal bars on one scale: 配当額 against 負担額.
    encumbered = execution_by_section(budget.staff, fiscal_year=FY).rows[0].figures.encumbered
    assert page.locator("canvas").count() == 1
    page.wait_for_function("() => window.Chart && Chart.getChart('section-chart') !== undefined")
    drawn = page.evaluate(
        "() => { const c = Chart.getChart('section-chart'); return [c.options.indexAxis, c.data.labels,"
        " c.data.datasets.map(d => [d.label, d.data])]; }"
    )
    assert drawn == ["y", ["総務課"], [["配当額", [3_000_000]], ["負担額（執行額）", [encumbered]]]]
    assert_no_serious_violations(page)
    page.goto(f"/finance/reports/lines/{budget.line.pk}/")
    assert_no_serious_violations(page)
