"""歳計外現金 (源泉所得税): received when the batch is paid, paid to the tax office once a month, 支払調書."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.finance.models import EntryKind, WithholdingEntry, WithholdingRemittance
from cityhall.finance.selectors.withholding import CreditorTotal, ledger_months, statement_rows
from cityhall.finance.services.batches import batch_export, batch_mark_paid
from cityhall.finance.services.withholding import due_date, month_of, next_month, withholding_remit
from cityhall.finance.withholding_excel import statements_workbook
from cityhall.testing.race import race

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("zengin_files")]


@pytest.fixture
def paid(batch, treasurer):
    """The fixture batch (鈴木一郎's 講演料 ¥100,000, ¥10,210 withheld) exported and marked paid."""
    batch_export(actor=treasurer, batch=batch)
    return batch_mark_paid(actor=treasurer, batch=batch)


def test_nothing_is_received_before_the_batch_is_paid(batch, treasurer):
    batch_export(actor=treasurer, batch=batch)
    assert not WithholdingEntry.objects.exists()


def test_paying_the_batch_receives_the_withheld_tax_in_the_month_of_payment(paid, suzuki, treasurer):
    entry = WithholdingEntry.objects.get()
    assert (entry.kind, entry.day, entry.month, entry.amount) == (
        EntryKind.RECEIPT,
        paid.payment_date,
        month_of(paid.payment_date),
        10_210,
    )
    assert (entry.creditor, entry.withholding_kind, entry.paid_amount, entry.batch) == (
        suzuki,
        "manuscript",
        100_000,
        paid,
    )
    [row] = ledger_months(treasurer)
    assert (row.received, row.paid, row.balance, row.remittance) == (10_210, 0, 10_210, None)
    assert AuditEntry.objects.filter(action="finance.withholding.receive", object_id=str(paid.pk)).exists()


def test_the_months_tax_is_paid_on_the_tenth_once(paid, treasurer):
    month = month_of(paid.payment_date)
    on = next_month(month) + dt.timedelta(days=2)
    made = withholding_remit(actor=treasurer, month=month, on=on)
    assert (made.month, made.due_date, made.amount, made.line_count) == (month, due_date(month), 10_210, 1)
    out = WithholdingEntry.objects.get(kind=EntryKind.DISBURSEMENT)
    assert (out.remittance, out.day, out.amount) == (made, due_date(month), 10_210)
    [row] = ledger_months(treasurer)
    assert (row.received, row.paid, row.balance, row.remittance) == (10_210, 10_210, 0, made)
    assert AuditEntry.objects.filter(action="finance.withholding.remit", object_id=str(made.pk)).exists()

    with pytest.raises(Conflict, match="既に納付を作成しています") as again:
        withholding_remit(actor=treasurer, month=month, on=on)
    assert "所得税法第204条第1項" in again.value.message
    assert WithholdingRemittance.objects.count() == 1 and WithholdingEntry.objects.count() == 2


def test_a_month_with_an_unpaid_batch_that_withholds_waits_for_it(batch, treasurer):
    batch_export(actor=treasurer, batch=batch)
    month = month_of(batch.payment_date)
    with pytest.raises(ValidationFailed, match="支払済になっていない支払データ"):
        withholding_remit(actor=treasurer, month=month, on=next_month(month))
    batch_mark_paid(actor=treasurer, batch=batch)
    assert withholding_remit(actor=treasurer, month=month, on=next_month(month)).amount == 10_210


def test_a_month_not_over_or_without_withholding_makes_no_payment(paid, treasurer, city):
    month = month_of(paid.payment_date)
    with pytest.raises(ValidationFailed, match="その月が終わってから納付します"):
        withholding_remit(actor=treasurer, month=month, on=month + dt.timedelta(days=27))
    empty = next_month(month)
    with pytest.raises(ValidationFailed, match="源泉徴収した額（歳計外現金の残高）がないため"):
        withholding_remit(actor=treasurer, month=empty, on=next_month(empty))
    with pytest.raises(PermissionDenied):
        withholding_remit(actor=city.drafter, month=month, on=next_month(month))
    assert not WithholdingRemittance.objects.exists()
    assert WithholdingEntry.objects.filter(kind=EntryKind.DISBURSEMENT).count() == 0


def test_the_command_pays_the_previous_month_and_skips_an_empty_one(paid, treasurer):
    month = month_of(paid.payment_date)
    out = io.StringIO()
    call_command("remit_withholding", month=f"{month:%Y-%m}", on=f"{next_month(month):%Y-%m-%d}", stdout=out)
    assert "10,210円" in out.getvalue()
    assert WithholdingRemittance.objects.get().amount == 10_210
    out = io.StringIO()
    empty = next_month(month)
    call_command("remit_withholding", month=f"{empty:%Y-%m}", on=f"{next_month(empty):%Y-%m-%d}", stdout=out)
    assert "納付は作成しません" in out.getvalue()
    assert WithholdingRemittance.objects.count() == 1


def test_the_statements_list_totals_each_payee_for_the_calendar_year(paid, treasurer, suzuki):
    year = paid.payment_date.year
    [row] = statement_rows(treasurer, year)
    assert (row.name, row.address, row.kind, row.paid, row.withheld, row.count) == (
        "鈴木一郎",
        "東京都港区",
        "manuscript",
        100_000,
        10_210,
        1,
    )
    assert statement_rows(treasurer, year + 1) == []


def test_the_statements_workbook_keeps_formulas_as_text():
    row = CreditorTotal(1, "=1+2", '=HYPERLINK("http://x","開く")', "@x", "professional", 110_000, 11_231, 1)
    sheet = load_workbook(io.BytesIO(statements_workbook(2026, [row])))["支払調書"]
    assert [sheet.cell(4, c).value for c in range(1, 8)] == [
        "=1+2",
        '=HYPERLINK("http://x","開く")',
        "@x",
        row.kind_label,
        110_000,
        11_231,
        1,
    ]
    assert all(sheet.cell(4, c).data_type == "s" for c in range(1, 5))
    assert (sheet.cell(5, 5).value, sheet.cell(5, 6).value) == (110_000, 11_231)


@pytest.mark.django_db(transaction=True)
def test_two_payments_of_one_month_at_once_make_one(batch, treasurer):
    batch_export(actor=treasurer, batch=batch)
    batch_mark_paid(actor=treasurer, batch=batch)
    month = month_of(batch.payment_date)

    def remit() -> object:
        return withholding_remit(actor=treasurer, month=month, on=next_month(month))

    assert sorted(race([remit, remit])) == ["Conflict", "ok"]
    assert WithholdingRemittance.objects.count() == 1
    assert WithholdingEntry.objects.filter(kind=EntryKind.DISBURSEMENT).count() == 1
