"""Payment methods (支払方法): 資金前渡 with 精算 and 戻入, 戻入, 過年度支出, 概算払, 前金払, 口座振替, 公金振替."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, ValidationFailed
from cityhall.core.japanese import closing_period_end, fiscal_year
from cityhall.finance import balance
from cityhall.finance.excel import execution_workbook
from cityhall.finance.models import (
    Allotment,
    BatchStatus,
    OrderRefund,
    OrderSettlement,
    PaymentOrder,
)
from cityhall.finance.selectors.batches import batch_totals
from cityhall.finance.selectors.content import payment_order_content
from cityhall.finance.selectors.reports import execution_by_line, execution_report, line_documents
from cityhall.finance.services import ReceiptInput, order_refund, order_settle
from cityhall.finance.services.batches import batch_export, batch_mark_paid
from cityhall.finance.services.payment_methods import check_prior_year
from cityhall.finance.services.review import order_review_approve
from cityhall.testing.finance import FY

pytestmark = pytest.mark.django_db


def _paid(treasurer, order):
    """Approve the decided order into a batch, export it and mark it paid (支払済)."""
    batch = order_review_approve(actor=treasurer, order=order).batch
    assert batch is not None
    batch_export(actor=treasurer, batch=batch)
    batch_mark_paid(actor=treasurer, batch=batch)
    return PaymentOrder.objects.get(pk=order.pk)


@pytest.fixture
def advance(city, budget, decided_order, treasurer):
    """A paid 資金前渡 of ¥50,000 to 主野 for a conference (研修会の参加費・資料代)."""
    order = decided_order(
        amounts=(50_000,),
        payment_method="advance",
        advance_holder=city.shunin,
        description="全国自治体会計研修会の参加費・資料代",
    )
    return _paid(treasurer, order)


def _figures(budget):
    return execution_by_line(budget.staff, fiscal_year=FY).rows[0].figures


def test_an_advance_pays_the_staff_member_and_is_not_in_the_bank_file(city, advance):
    assert advance.advance_holder == city.shunin
    assert advance.batch.status == BatchStatus.PAID
    assert advance.batch.record_count == 0  # only 口座振込 lines are written into the 全銀 file
    assert bytes(advance.batch.file_content) == b""
    totals = batch_totals(advance.batch)  # what the export screen asks the 会計管理者 to confirm
    assert (totals.transfer_orders, totals.cash_orders, totals.cash_total) == (0, 1, 50_000)


def test_an_advance_needs_its_staff_member_and_purpose(city, budget, draft_order):
    with pytest.raises(ValidationFailed, match=r"資金前渡職員.*第161条") as error:
        draft_order(payment_method="advance", description="研修会")
    assert error.value.field == "advance_holder"
    with pytest.raises(ValidationFailed, match=r"目的.*第161条"):
        draft_order(payment_method="advance", advance_holder=city.shunin, description="")
    assert not PaymentOrder.objects.exists()


def test_settling_an_advance_returns_the_unused_part_and_lowers_the_execution(city, budget, advance, treasurer):
    before = _figures(budget)
    assert (before.paid, before.unsettled, before.refunded) == (50_000, 50_000, 0)
    available = balance.available_amount(Allotment.objects.get(pk=budget.allotment.pk))
    settlement = order_settle(
        actor=city.shunin,
        order=advance,
        actual=47_000,
        receipts=[ReceiptInput("参加費", 40_000), ReceiptInput("資料代", 7_000)],
    )
    assert (settlement.advanced, settlement.actual, settlement.returned) == (50_000, 47_000, 3_000)
    assert [r.amount for r in settlement.receipts.all()] == [40_000, 7_000]
    refund = OrderRefund.objects.get(order=advance)
    assert (refund.amount, refund.settlement) == (3_000, settlement)
    after = _figures(budget)
    assert (after.paid, after.ordered, after.refunded, after.unsettled) == (47_000, 47_000, 3_000, 0)
    assert after.encumbered == before.encumbered - 3_000
    assert balance.available_amount(Allotment.objects.get(pk=budget.allotment.pk)) == available + 3_000
    assert after.remaining == balance.available_amount(Allotment.objects.get(pk=budget.allotment.pk)) + 2_000_000
    (row,) = line_documents(city.drafter, budget.line.pk).orders
    assert row.method == "資金前渡"
    assert "戻入 3,000円" in row.notes
    assert AuditEntry.objects.filter(action="finance.payment_order.settle").count() == 1
    # The Excel file of the execution report has 戻入額 as its own column on both sheets.
    book = load_workbook(io.BytesIO(execution_workbook(*execution_report(budget.staff, fiscal_year=FY))))
    for sheet in book.worksheets:
        header = [c.value for c in sheet[3]]
        assert header[-1] == "戻入額" and sheet.cell(4, len(header)).value == 3_000, sheet.title


def test_a_settlement_above_the_advance_is_refused_naming_the_article(city, budget, advance):
    with pytest.raises(ValidationFailed, match=r"前渡額（50,000円）を超えられません.*施行令第161条") as error:
        order_settle(actor=city.shunin, order=advance, actual=50_001)
    assert error.value.field == "actual"
    assert not OrderSettlement.objects.exists()
    assert not OrderRefund.objects.exists()
    assert not AuditEntry.objects.filter(action="finance.payment_order.settle").exists()


def test_an_advance_is_settled_once_and_only_when_paid(city, budget, advance, decided_order):
    order_settle(actor=city.shunin, order=advance, actual=50_000)
    with pytest.raises(Conflict, match="既に精算"):
        order_settle(actor=city.shunin, order=advance, actual=40_000)
    unpaid = decided_order(amounts=(20_000,), payment_method="advance", advance_holder=city.shunin, description="旅費")
    with pytest.raises(Conflict, match="支払済"):
        order_settle(actor=city.shunin, order=unpaid, actual=10_000)
    assert OrderSettlement.objects.count() == 1


def test_receipts_must_add_up_to_the_settlement(city, advance):
    with pytest.raises(ValidationFailed, match="領収書の合計"):
        order_settle(actor=city.shunin, order=advance, actual=47_000, receipts=[ReceiptInput("参加費", 40_000)])
    assert not OrderSettlement.objects.exists()


def test_a_refund_restores_the_execution_and_is_limited_to_what_was_paid(city, budget, decided_order, treasurer):
    order = _paid(treasurer, decided_order(amounts=(110_000,)))
    refund = order_refund(actor=treasurer, order=order, amount=10_000, reason="過払い（請求書の誤り）")
    assert refund.amount == 10_000
    figures = _figures(budget)
    assert (figures.paid, figures.refunded) == (100_000, 10_000)
    with pytest.raises(ValidationFailed, match=r"100,000円.*施行令第159条") as error:
        order_refund(actor=treasurer, order=order, amount=100_001, reason="誤払い")
    assert error.value.field == "amount"
    assert OrderRefund.objects.count() == 1
    assert AuditEntry.objects.filter(action="finance.payment_order.refund").count() == 1


def test_a_refund_needs_a_paid_order(city, decided_order, treasurer):
    order = decided_order(amounts=(110_000,))
    with pytest.raises(Conflict, match="支払済"):
        order_refund(actor=treasurer, order=order, amount=1_000, reason="過払い")
    assert not OrderRefund.objects.exists()


def test_an_estimate_above_its_amount_records_the_additional_payment(city, budget, decided_order, treasurer):
    order = _paid(treasurer, decided_order(amounts=(30_000,), payment_timing="estimate", description="旅費の概算払"))
    settlement = order_settle(actor=city.drafter, order=order, actual=32_000)
    assert (settlement.additional, settlement.returned) == (2_000, 0)
    assert not OrderRefund.objects.exists()
    (row,) = line_documents(city.drafter, budget.line.pk).orders
    assert row.method == "口座振込（概算払）"
    assert "追加支払 2,000円" in row.notes


def test_a_regular_order_is_not_settled(city, decided_order, treasurer):
    order = _paid(treasurer, decided_order(amounts=(30_000,)))
    with pytest.raises(ValidationFailed, match=r"第161条.*第162条"):
        order_settle(actor=city.drafter, order=order, actual=30_000)


def test_a_prepayment_needs_a_ground_of_article_163(city, draft_order):
    with pytest.raises(ValidationFailed, match="第163条") as error:
        draft_order(payment_timing="prepay")
    assert error.value.field == "method_ground"
    with pytest.raises(ValidationFailed, match="第163条"):
        draft_order(payment_timing="prepay", method_ground="自由な理由")
    order = draft_order(payment_timing="prepay", method_ground="periodicals")
    assert (order.payment_timing, order.method_ground) == ("prepay", "periodicals")


def test_a_timing_goes_with_a_transfer_or_cash(city, draft_order):
    with pytest.raises(ValidationFailed, match="口座振込か窓口払"):
        draft_order(payment_timing="estimate", payment_method="advance", advance_holder=city.shunin, description="x")
    assert not PaymentOrder.objects.exists()


def test_a_direct_debit_needs_its_agreement_and_stays_out_of_the_bank_file(city, draft_order):
    with pytest.raises(ValidationFailed, match="第165条の2"):
        draft_order(payment_method="debit")
    order = draft_order(payment_method="debit", method_ground="電気料金の口座振替依頼（令和7年4月1日）")
    assert (order.payment_method, order.lines.get().bank_account) == ("debit", None)


def test_an_internal_transfer_names_its_target(city, draft_order):
    with pytest.raises(ValidationFailed, match="振替先の会計または基金") as error:
        draft_order(payment_method="internal")
    assert error.value.field == "transfer_to"
    order = draft_order(payment_method="internal", transfer_to="財政調整基金", method_ground="ignored")
    assert (order.transfer_to, order.method_ground) == ("財政調整基金", "")


def test_a_past_year_expense_is_charged_to_this_year_after_the_closing(city, draft_order):
    today = timezone.localdate()
    current = fiscal_year(today)
    assert current == FY
    if today <= closing_period_end(FY - 1):
        with pytest.raises(ValidationFailed, match=r"出納閉鎖前.*第165条の8"):
            draft_order(prior_fiscal_year=FY - 1)
        order = draft_order(prior_fiscal_year=FY - 2)
    else:
        order = draft_order(prior_fiscal_year=FY - 1)
    assert order.prior_fiscal_year is not None
    with pytest.raises(ValidationFailed, match="現年度"):
        draft_order(prior_fiscal_year=FY)


def test_a_past_year_expense_before_the_closing_is_refused(city, draft_order):
    day = dt.date(FY, 5, 31)
    with pytest.raises(ValidationFailed, match=r"出納閉鎖前.*第165条の8"):
        check_prior_year(FY - 1, FY, day)
    assert check_prior_year(FY - 1, FY, dt.date(FY, 6, 1)) == FY - 1
    with pytest.raises(ValidationFailed, match=r"現年度の予算|現年度（"):
        check_prior_year(FY - 2, FY - 1, dt.date(FY, 6, 1))


def test_the_document_shows_the_method_and_its_fields(city, budget, draft_order):
    order = draft_order(payment_timing="prepay", method_ground="periodicals", prior_fiscal_year=None)
    content = payment_order_content(order.document, city.drafter)
    assert content is not None
    rows = {row.label: row.value for section in content.sections for row in getattr(section, "rows", ())}
    assert rows["支払方法"] == "口座振込（前金払）"
    assert "令163条5号" in str(rows["前金払の根拠"])


def test_no_refund_after_the_years_closing(city, budget, decided_order, treasurer, advance):
    order = _paid(treasurer, decided_order(amounts=(110_000,)))
    after_closing = closing_period_end(FY) + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed, match=r"出納閉鎖.*雑入.*施行令第159条"):
        order_refund(actor=treasurer, order=order, amount=1_000, reason="過払い", on=after_closing)
    with pytest.raises(ValidationFailed, match=r"出納閉鎖.*雑入"):
        order_settle(actor=city.shunin, order=advance, actual=47_000, on=after_closing)
    assert not OrderRefund.objects.exists()
    assert not OrderSettlement.objects.exists()
