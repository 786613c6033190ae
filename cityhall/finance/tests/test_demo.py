"""``seed_demo`` gives the demo city a year of finances (デモの財務データ), through the services, once."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import F, Sum

from cityhall.accounts.models import User
from cityhall.core.audit import verify_chain
from cityhall.core.audit.models import AuditEntry
from cityhall.core.japanese import fiscal_year
from cityhall.documents.models import Document, DocumentStatus
from cityhall.finance import balance, banks
from cityhall.finance.apps import FinanceConfig
from cityhall.finance.invoice_number import check_invoice_number
from cityhall.finance.models import (
    Allotment,
    BatchStatus,
    BudgetAmount,
    BudgetKind,
    BudgetLine,
    BudgetTransfer,
    BudgetVersion,
    Creditor,
    CreditorBankAccount,
    Encumbrance,
    EncumbranceChange,
    OrderKind,
    OrderRefund,
    OrderSettlement,
    PaymentBatch,
    PaymentMethod,
    PaymentOrder,
    PaymentOrderLine,
    ReviewStatus,
    TransferKind,
    WithholdingEntry,
    WithholdingRemittance,
)
from cityhall.finance.selectors.budget import allotment_balance
from cityhall.finance.services.withholding import due_date
from cityhall.finance.zengin import read_zengin

STAFF = "150"  # the smallest demo city that fills every post
TODAY = dt.date(2026, 11, 26)  # eight months into the year: every state has had time to happen
FINANCE_MODELS = (
    BudgetLine,
    BudgetAmount,
    BudgetVersion,
    Allotment,
    BudgetTransfer,
    Creditor,
    CreditorBankAccount,
    Encumbrance,
    PaymentOrder,
    PaymentBatch,
    WithholdingEntry,
    WithholdingRemittance,
)


def _counts() -> dict[str, int]:
    rows = {model.__name__: model.objects.count() for model in FINANCE_MODELS}
    rows["Document"] = Document.objects.count()
    rows["AuditEntry"] = AuditEntry.objects.count()
    return rows


def _hook() -> str:
    """The finance hook, called as ``seed_demo`` calls every app's."""
    config = apps.get_app_config("finance")
    assert isinstance(config, FinanceConfig)
    return config.seed_demo({"staff": int(STAFF), "today": TODAY})


def _seed() -> str:
    """The organisation (no other app's demo), then the finance hook."""
    call_command("seed_demo", "--staff", STAFF, "--today", TODAY.isoformat(), "--skip-apps", stdout=io.StringIO())
    return _hook()


@pytest.mark.django_db
def test_seed_demo_gives_a_year_of_finances_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the exported 全銀 files
    summary = _seed()
    assert summary.startswith("財務: 予算明細"), summary
    year = fiscal_year(TODAY)
    lines = BudgetLine.objects.filter(account__code="01", fiscal_year=year)

    # A general-account budget of about ¥30 billion over a few hundred lines, 民生費 the largest 款.
    total = BudgetAmount.objects.filter(line__in=lines).aggregate(t=Sum("amount"))["t"]
    assert 27_000_000_000 <= total <= 33_000_000_000
    assert 200 <= lines.count() <= 700
    assert list(BudgetVersion.objects.filter(fiscal_year=year, account__code="01").values_list("name", flat=True)) == [
        "当初予算",
        "補正予算（第1号）",
    ]
    by_kan = (
        BudgetAmount.objects.filter(line__in=lines)
        .values("line__moku__parent__parent__name")
        .annotate(t=Sum("amount"))
        .order_by("-t")
    )
    assert by_kan[0]["line__moku__parent__parent__name"] == "民生費"
    assert lines.values("setsu").distinct().count() >= 20  # a spread of the 27 節
    assert lines.filter(setsu__isnull=True, moku__name="予備費", allotments__isnull=True).count() == 1
    assert AuditEntry.objects.filter(action="finance.seed_demo.budget").count() == 1

    # Creditors with accounts that exist in zengin-code and valid registration numbers.
    creditors = Creditor.objects.filter(code__startswith="D")
    assert creditors.count() >= 40
    for account in CreditorBankAccount.objects.filter(creditor__in=creditors).select_related("creditor"):
        banks.branch(account.bank_code, account.branch_code)  # raises when unknown
        number = account.creditor.invoice_registration_number
        assert not number or check_invoice_number(number).ok, number
    assert creditors.exclude(invoice_registration_number="").count() >= 30

    # Encumbrances in every state (完結 once paid in full); one cancelled, one amended; two 流用 decided.
    encumbrances = Encumbrance.objects.filter(fiscal_year=year)
    states = set(encumbrances.values_list("document__status", flat=True))
    assert {
        DocumentStatus.DRAFT,
        DocumentStatus.CIRCULATING,
        DocumentStatus.SENT_BACK,
        DocumentStatus.DECIDED,
        DocumentStatus.REJECTED,
        DocumentStatus.WITHDRAWN,
        DocumentStatus.CLOSED,
    } <= states
    assert encumbrances.filter(cancelled_at__isnull=False).count() == 1
    assert encumbrances.exclude(amount=F("original_amount")).count() == 2  # one 減額, one 変更契約 (増額)
    change = EncumbranceChange.objects.get(encumbrance__fiscal_year=year)
    assert (change.previous_amount, change.new_amount, change.applied_at is not None) == (4_800_000, 5_400_000, True)
    assert change.document.decision_label == "部長専決" and change.encumbrance.amount == 5_400_000
    assert encumbrances.values("section").distinct().count() >= 20
    moved = BudgetTransfer.objects.filter(document__status=DocumentStatus.DECIDED, source__fiscal_year=year)
    assert sorted(moved.values_list("kind", flat=True)) == [
        TransferKind.RESERVE,
        TransferKind.TRANSFER,
        TransferKind.TRANSFER,
    ]
    reserve = lines.get(setsu__isnull=True)
    assert balance.line_amount(reserve) == 50_000_000 - moved.get(kind=TransferKind.RESERVE).amount

    # Last year's 工事 contract, carried by 事故繰越 (法220条③ただし書), paid this year on the 繰越分 line.
    carried = Encumbrance.objects.select_related("line", "carried_from").get(carried_from__isnull=False)
    assert (carried.fiscal_year, carried.line.budget_kind) == (year, BudgetKind.CARRY_ACCIDENT)
    source = carried.carried_from
    assert source is not None and (source.amount, source.carried_amount, carried.amount) == (0, 2_400_000, 2_400_000)
    assert carried.document.decision_label == "市長決裁"
    paid = PaymentOrder.objects.get(encumbrance=carried)
    assert paid.batch is not None and paid.batch.status == BatchStatus.PAID and paid.fiscal_year == year

    # The hard stop held everywhere: no allotment is overspent.
    for allotment in Allotment.objects.filter(line__in=lines).select_related("line"):
        assert balance.available_amount(allotment) >= 0, allotment

    # demo-drafter's 需用費 line of 企画政策課 has budget left to encumber.
    drafter = User.objects.get(username="demo-drafter")
    own = Allotment.objects.get(section__name="企画政策課", line__moku__name="企画費", line__setsu__code="10")
    assert allotment_balance(own).available > 1_000_000
    assert encumbrances.filter(document__drafter=drafter, line=own.line).exists()
    assert encumbrances.filter(document__drafter=drafter, document__status=DocumentStatus.CIRCULATING).exists()
    assert verify_chain().ok

    # Payment orders of every kind and state, reviewed, batched, exported and paid.
    orders = PaymentOrder.objects.filter(fiscal_year=year)
    assert {OrderKind.LINKED, OrderKind.COMBINED, OrderKind.COLLECTIVE} <= set(orders.values_list("kind", flat=True))
    assert {
        DocumentStatus.DRAFT,
        DocumentStatus.CIRCULATING,
        DocumentStatus.SENT_BACK,
        DocumentStatus.DECIDED,
        DocumentStatus.REJECTED,
        DocumentStatus.WITHDRAWN,
    } <= set(orders.values_list("document__status", flat=True))
    assert orders.filter(line__setsu__code="4").exists()  # 人件費 too: the monthly 共済費
    decided = orders.filter(document__status=DocumentStatus.DECIDED)
    assert set(decided.values_list("review_status", flat=True)) == set(ReviewStatus.values)
    assert orders.filter(review_status=ReviewStatus.RETURNED).count() == 1
    assert orders.filter(kind=OrderKind.COLLECTIVE).get().lines.count() >= 3
    assert PaymentOrderLine.objects.filter(order__in=orders, tax_rate=8).exists()
    assert PaymentOrderLine.objects.filter(order__in=orders, withholding__gt=0).exists()
    assert {BatchStatus.PAID, BatchStatus.OPEN} <= set(PaymentBatch.objects.values_list("status", flat=True))
    # The lecturers' withheld tax, received when paid, went to the tax office on the 10th (翌月10日).
    remitted = WithholdingRemittance.objects.order_by("month").first()
    assert remitted is not None and remitted.amount == 3 * 3_063  # 講演料 ¥30,000 × 10.21 % to three lecturers
    assert remitted.due_date == due_date(remitted.month) and remitted.due_date.day == 10
    paid_out = WithholdingEntry.objects.filter(month=remitted.month, remittance__isnull=False)
    assert list(paid_out.values_list("day", "amount")) == [(remitted.due_date, remitted.amount)]
    for batch in PaymentBatch.objects.exclude(status=BatchStatus.OPEN):
        paid = batch.orders.aggregate(t=Sum("payment_amount"))["t"]
        transfers = batch.orders.filter(payment_method=PaymentMethod.TRANSFER).exists()
        assert batch.total_amount == paid and bool(batch.file_name) == transfers, batch  # a file only for transfers
    for encumbrance in encumbrances.filter(payment_orders__isnull=False).distinct():
        assert balance.ordered_against(encumbrance) <= encumbrance.amount, encumbrance

    # The 国民健康保険特別会計 is paid in batches of its own, on dates the 一般会計 pays too, from its own account.
    special = PaymentBatch.objects.filter(account__code="02", fiscal_year=year)
    assert set(special.values_list("status", flat=True)) == {BatchStatus.PAID, BatchStatus.OPEN}
    for batch in special:
        assert PaymentBatch.objects.filter(payment_date=batch.payment_date, account__code="01").exists()
    exported = special.get(status=BatchStatus.PAID)
    header = read_zengin(io.BytesIO(bytes(exported.file_content)), year=exported.payment_date.year).header
    assert (header.requester_code, header.account_number) == ("1234567891", "2345678")
    # A 資金前渡 for a conference, paid and settled with a ¥3,000 戻入 (令161条).
    advance = orders.get(payment_method=PaymentMethod.ADVANCE)
    assert advance.advance_holder is not None and advance.batch is not None
    assert advance.batch.status == BatchStatus.PAID
    settlement = OrderSettlement.objects.get(order=advance)
    assert (settlement.advanced, settlement.actual, settlement.returned) == (50_000, 47_000, 3_000)
    assert OrderRefund.objects.get(order=advance).amount == 3_000

    # A second run adds nothing (not even an audit entry).
    before = _counts()
    again = _hook()
    assert "投入済み" in again
    assert _counts() == before
