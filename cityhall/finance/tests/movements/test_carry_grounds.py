"""繰越 on the grounds the Act gives: 繰越明許費 (法213条), 事故繰越 of encumbrances (法220条③ただし書),
継続費の逓次繰越 (令145条①), and the 繰越計算書 (令146条②・令150条③)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
from openpyxl import load_workbook

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese.business_days import business_day_on_or_after
from cityhall.documents.models import Document, DocumentStatus
from cityhall.documents.services import withdraw
from cityhall.finance import balance, services
from cityhall.finance.models import Allotment, BudgetKind, BudgetTransfer, BudgetVersion, Encumbrance
from cityhall.finance.selectors.carry_statements import carry_statements
from cityhall.finance.services.carry_overs import carry_over_draft
from cityhall.org import services as org_services
from cityhall.org.models import Role
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.engine import decide
from cityhall.testing.finance import FY, draft_order, make_carry_allowance, pay_day

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _drafter_in_accounting(city, budget):
    org_services.role_grant(actor=SETUP, user=city.drafter, role=Role.ACCOUNTING, valid_from=SINCE)


def _carry(city, amount, kind="carry_explicit", **kw):
    return carry_over_draft(
        actor=city.drafter, title=kw.pop("title", "庁舎改修工事の繰越について"), kind=kind, amount=amount,
        reason=kw.pop("reason", "資材の納期遅延により年度内に完了しないため"), **kw,
    )  # fmt: skip


# --- 繰越明許費 (法213条) --------------------------------------------------------------------------


def test_carry_explicit_needs_the_councils_allowance_and_stays_within_it(city, budget):
    with pytest.raises(ValidationFailed, match="地方自治法第213条") as caught:
        _carry(city, 100_000, source=budget.line)
    assert caught.value.field == "allowance"
    allowance = make_carry_allowance(budget, amount=1_000_000)
    first = _carry(city, 700_000, source=budget.line, allowance=allowance)
    with pytest.raises(ValidationFailed) as caught:
        _carry(city, 300_001, source=budget.line, allowance=allowance)
    assert caught.value.message == (
        "繰越明許費「庁舎改修事業」の額を超えます（繰越明許費: 1,000,000円、繰越済み・手続中: 700,000円、"
        "繰越額: 300,001円。地方自治法第213条）。"
    )
    assert BudgetTransfer.objects.count() == 1
    second = _carry(city, 300_000, source=budget.line, allowance=allowance)
    doc = Document.objects.get(pk=first.document_id)
    withdraw(actor=city.drafter, document=doc, expected_version=doc.version)
    decide(second)
    assert balance.line_amount(second.target) == 300_000
    assert AuditEntry.objects.filter(action="finance.carry_allowance.create", object_id=str(allowance.pk)).exists()


def test_an_allowance_of_another_kou_does_not_cover_the_line(city, budget):
    staff, account = budget.staff, budget.account
    kou = services.heading_create(actor=staff, level="kou", code="2", name="徴税費", account=account, parent=budget.kan)
    version = BudgetVersion.objects.get(account=account, fiscal_year=FY, number=0)
    other = services.carry_allowance_create(actor=staff, version=version, kou=kou, project="徴収事業", amount=9_000_000)
    with pytest.raises(ValidationFailed, match="の項の繰越明許費を選んでください") as caught:
        _carry(city, 100_000, source=budget.line, allowance=other)
    assert caught.value.field == "allowance"
    with pytest.raises(ValidationFailed, match="は一般会計の項ではありません"):
        services.carry_allowance_create(actor=staff, version=version, kou=budget.moku, project="x", amount=1)


# --- 事故繰越 of an encumbrance (法220条③ただし書) ---------------------------------------------------


@pytest.fixture
def contract(city, budget, encumber):
    """A decided ¥1,000,000 contract on the line, ¥400,000 of it already ordered (出来高払)."""
    enc = encumber(amount=1_000_000, contract_number="R8-工-12", contract_date=dt.date(FY, 10, 1))
    decide(enc)
    decide(draft_order(city, budget, kind="linked", encumbrance=enc, amounts=[400_000]))
    enc.refresh_from_db()
    return enc


def test_carry_accident_needs_an_encumbrance_and_only_its_unpaid_remainder(city, budget, contract):
    with pytest.raises(ValidationFailed, match="第220条第3項ただし書") as caught:
        _carry(city, 100_000, kind="carry_accident", source=budget.line)
    assert caught.value.field == "encumbrance"
    with pytest.raises(ValidationFailed) as caught:
        _carry(city, 600_001, kind="carry_accident", encumbrance=contract)
    assert caught.value.message.startswith("繰越額が支出負担行為（")
    assert caught.value.message.endswith("の未払残額を超えています（未払残額: 600,000円、繰越額: 600,001円）。")
    assert not BudgetTransfer.objects.exists()


def test_a_decided_carry_accident_moves_the_encumbrance_into_next_year(city, budget, contract):
    carry = _carry(city, 600_000, kind="carry_accident", encumbrance=contract)
    assert carry.source_id == budget.line.pk and carry.target.budget_kind == BudgetKind.CARRY_ACCIDENT
    # While circulating, the amount stays allotted and encumbered on this year's line.
    assert balance.line_amount(budget.line) == 5_000_000
    decide(carry)
    contract.refresh_from_db()
    assert (contract.amount, contract.carried_amount, contract.original_amount) == (400_000, 600_000, 1_000_000)
    assert Allotment.objects.get(pk=budget.allotment.pk).amount == 3_000_000 - 600_000
    assert (balance.line_amount(budget.line), balance.line_amount(carry.target)) == (4_400_000, 600_000)
    carried = Encumbrance.objects.get(carried_from=contract)
    assert (carried.fiscal_year, carried.line_id, carried.amount) == (FY + 1, carry.target_id, 600_000)
    assert (carried.creditor_id, carried.contract_number, carried.document_id) == (
        contract.creditor_id,
        "R8-工-12",
        carry.document_id,
    )
    assert carried.allotment.amount == 600_000 and carried.allotment.section_id == contract.section_id
    for action in ("finance.encumbrance.carry_out", "finance.encumbrance.carry_in", "finance.allotment.carry"):
        assert AuditEntry.objects.filter(action=action).exists(), action
    # Nothing more is ordered against the old year's encumbrance; next year pays the carried one.
    with pytest.raises(ValidationFailed):
        draft_order(city, budget, kind="linked", encumbrance=contract, amounts=[1_000])
    june = business_day_on_or_after(dt.date(FY + 1, 6, 1))
    order = draft_order(
        city, budget, kind="linked", encumbrance=carried, amounts=[600_000], on=june, payment_date=pay_day(june),
        inspection_date=june, invoice_received_on=june,
    )  # fmt: skip
    assert (order.fiscal_year, order.allotment_id) == (FY + 1, carried.allotment_id)


# --- 継続費の逓次繰越 (令145条①) -------------------------------------------------------------------


def test_continuing_expense_carries_its_unspent_installment_but_not_from_its_last_year(city, budget):
    version = BudgetVersion.objects.get(account=budget.account, fiscal_year=FY, number=0)
    expense = services.continuing_expense_create(
        actor=budget.staff, version=version, line=budget.line, project="庁舎耐震化事業",
        installments=[1_500_000, 2_000_000],
    )  # fmt: skip
    assert (expense.total, expense.first_year, expense.last_year) == (3_500_000, FY, FY + 1)
    carry = _carry(city, 1_000_000, kind="carry_continuing", source=budget.line, continuing=expense)
    assert carry.target.budget_kind == BudgetKind.CARRY_CONTINUING
    decide(carry)
    with pytest.raises(ValidationFailed, match="逓次繰越する継続費を選んでください"):
        _carry(city, 1_000, kind="carry_continuing", source=budget.line)
    with pytest.raises(ValidationFailed, match="2年度以上の年割額"):
        services.continuing_expense_create(
            actor=budget.staff, version=version, line=budget.line, project="単年度", installments=[1_000]
        )


# --- 繰越計算書 --------------------------------------------------------------------------------------


def test_the_statements_report_decided_carries_as_excel_and_pdf(city, budget, contract):
    allowance = make_carry_allowance(budget, amount=1_000_000)
    decide(_carry(city, 800_000, source=budget.line, allowance=allowance))
    decide(_carry(city, 600_000, kind="carry_accident", encumbrance=contract, title="庁舎空調工事の事故繰越"))
    explicit, accident, continuing = carry_statements(budget.account, FY)
    assert [r.figures for r in explicit.rows] == [(1_000_000, 800_000, 0, 800_000)]
    assert explicit.rows[0].kou == "1 総務管理費" and explicit.article == "地方自治法施行令第146条第2項"
    assert [(r.project, r.figures) for r in accident.rows] == [
        ("庁舎空調工事の事故繰越", (1_000_000, 400_000, 600_000))
    ]
    assert continuing.rows == ()
    content, disposition = services.carry_statements_export(
        actor=budget.staff, account=budget.account, fiscal_year=FY, file_format="xlsx"
    )
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["繰越明許費繰越計算書", "事故繰越し繰越計算書", "継続費繰越計算書"]
    assert book["繰越明許費繰越計算書"]["E4"].value == 800_000 and "xlsx" in disposition
    pdf, _ = services.carry_statements_export(
        actor=budget.staff, account=budget.account, fiscal_year=FY, file_format="pdf"
    )
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "事故繰越し繰越計算書" in text and "600,000円" in text
    assert AuditEntry.objects.filter(action="finance.carry_statement.download").count() == 2
    with pytest.raises(ValidationFailed):
        services.carry_statements_export(actor=budget.staff, account=budget.account, fiscal_year=FY, file_format="csv")
    assert Document.objects.filter(status=DocumentStatus.DECIDED, doc_type="finance.carry_over").count() == 2
