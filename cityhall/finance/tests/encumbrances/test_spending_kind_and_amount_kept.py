"""Regression tests of the finance review: each test failed before its fix."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import is_bank_business_day
from cityhall.core.japanese import parse_yen as yen
from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus, MatterKind
from cityhall.finance import balance, services
from cityhall.finance.models import BatchStatus, PaymentBatch, PaymentOrder
from cityhall.finance.selectors.budget import allotment_balance
from cityhall.finance.selectors.encumbrances import encumbrances_for
from cityhall.finance.selectors.review import review_checks
from cityhall.finance.services.batches import batch_export, batch_mark_paid
from cityhall.finance.services.review import order_review_approve
from cityhall.org import services as org_services
from cityhall.org.models import Role
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.engine import decide, document_of
from cityhall.testing.finance import FY, pay_day

pytestmark = pytest.mark.django_db


def _make_routine(obj) -> Document:
    """A finance document whose kind of matter was changed behind its service (e.g. by a data fix)."""
    Document.objects.filter(pk=obj.document_id).update(matter_kind=MatterKind.objects.get(code="routine"))
    return document_of(obj)


# --- 1. a typed document keeps 支出 and its amount ------------------------------------------


def test_encumbrance_document_refuses_a_lower_matter_kind_through_the_generic_edit(city, budget, encumber):
    enc = encumber(amount=2_000_000)
    doc = document_of(enc)
    routine = MatterKind.objects.get(code="routine")
    with pytest.raises(ValidationFailed) as caught:
        docs.draft_update(actor=city.drafter, document=doc, expected_version=doc.version, matter_kind=routine)
    assert caught.value.field == "matter_kind"
    with pytest.raises(ValidationFailed):
        docs.draft_update(actor=city.drafter, document=doc, expected_version=doc.version, amount=1)
    doc = decide(enc)
    assert doc.matter_kind.code == "spending" and doc.decided_by == city.bucho  # 部長専決 for ¥2,000,000


def test_encumbrance_update_still_moves_the_document_amount(city, budget, encumber):
    enc = encumber(amount=800_000)
    enc = services.encumbrance_update(actor=city.drafter, encumbrance=enc, amount=1_200_000)
    assert document_of(enc).amount == 1_200_000


def test_finance_hooks_refuse_a_document_that_is_not_spending(city, budget, encumber):
    enc = encumber(amount=800_000)
    doc = _make_routine(enc)
    with pytest.raises(ValidationFailed, match="事案の種類は「支出」") as caught:
        docs.submit(actor=city.drafter, document=doc, expected_version=doc.version)
    assert caught.value.field == "matter_kind"
    order = services.payment_order_draft(
        actor=city.drafter, title="電気料", kind="combined", line=budget.line,
        lines=[services.OrderLineInput(creditor=budget.creditor, amount=10_000)],
        payment_date=_business_day(dt.date.today() + dt.timedelta(days=7)),
        inspection_date=dt.date.today(), invoice_received_on=dt.date.today(),
    )  # fmt: skip
    doc = _make_routine(order)
    with pytest.raises(ValidationFailed, match="支出命令の事案の種類"):
        docs.submit(actor=city.drafter, document=doc, expected_version=doc.version)
    org_services.role_grant(actor=SETUP, user=city.drafter, role=Role.ACCOUNTING, valid_from=SINCE)
    target = services.budget_line_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu["11"]
    )
    transfer = services.transfer_draft(
        actor=city.drafter, title="流用", source=budget.line, target=target, amount=100_000, reason="不足"
    )
    doc = _make_routine(transfer)
    with pytest.raises(ValidationFailed, match="予算流用の事案の種類"):
        docs.submit(actor=city.drafter, document=doc, expected_version=doc.version)


def test_the_decision_hook_refuses_a_document_changed_while_circulating(city, budget, encumber):
    enc = encumber(amount=800_000)
    doc = document_of(enc)
    doc = docs.submit(actor=city.drafter, document=doc, expected_version=doc.version)
    doc = docs.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    doc = _make_routine(enc)
    with pytest.raises(ValidationFailed, match="事案の種類"):
        docs.approve(actor=city.kacho, document=doc, expected_version=doc.version)
    assert document_of(enc).status == DocumentStatus.CIRCULATING


def _business_day(day: dt.date) -> dt.date:
    while not is_bank_business_day(day):
        day += dt.timedelta(days=1)
    return day


# --- 2. a decided encumbrance only decreases (減額) -----------------------------------------


def test_amend_refuses_an_increase_and_changes_nothing(city, budget, encumber):
    enc = encumber(amount=500_000)
    decide(enc)
    with pytest.raises(ValidationFailed) as caught:
        services.encumbrance_amend(actor=city.kacho, encumbrance=enc, amount=500_001, reason="増額")
    assert caught.value.field == "amount"
    assert caught.value.message == (
        "増額は、差額について新たな支出負担行為を起案して決裁を受けてください（現在額: 500,000円、変更後: 500,001円）。"
    )
    enc.refresh_from_db()
    assert enc.amount == 500_000 and balance.available_amount(enc.allotment) == 2_500_000
    assert not AuditEntry.objects.filter(action="finance.encumbrance.amend").exists()


def test_amend_decreases_in_the_closing_period_but_never_increases(city, budget, encumber):
    enc = encumber(amount=500_000)
    decide(enc)
    april = dt.date(FY + 1, 4, 20)
    with pytest.raises(ValidationFailed, match="新たな支出負担行為"):
        services.encumbrance_amend(actor=city.kacho, encumbrance=enc, amount=2_500_000, reason="増額", on=april)
    enc = services.encumbrance_amend(actor=city.kacho, encumbrance=enc, amount=300_000, reason="減額", on=april)
    assert enc.amount == 300_000 and balance.available_amount(enc.allotment) == 2_700_000


# --- 3. an allotment is never cut below what orders without encumbrance hold ------------------


def _combined_order(city, budget, amount: int):
    """A 支出負担行為兼支出命令 (電気料) of ``amount`` on the 需用費 line, submitted so that it holds budget."""
    day = dt.date.today()
    order = services.payment_order_draft(
        actor=city.drafter, title="電気料", kind="combined", line=budget.line,
        lines=[services.OrderLineInput(creditor=budget.creditor, amount=amount)],
        payment_date=_business_day(day + dt.timedelta(days=7)), inspection_date=day, invoice_received_on=day,
    )  # fmt: skip
    doc = document_of(order)
    docs.submit(actor=city.drafter, document=doc, expected_version=doc.version)
    return order


def test_allotment_cannot_be_cut_below_a_combined_order(city, budget, encumber):
    decide(encumber(amount=100_000))
    _combined_order(city, budget, 900_000)
    with pytest.raises(ValidationFailed) as caught:
        services.allotment_set(actor=budget.staff, line=budget.line, section=city.units.soumu, amount=999_999)
    assert caught.value.message == "配当額を執行済額（1,000,000円）より少なくはできません。"
    allotment = services.allotment_set(actor=budget.staff, line=budget.line, section=city.units.soumu, amount=1_000_000)
    assert balance.available_amount(allotment) == 0


# --- 4. in the closing period every order needs a debt fixed (検収) by 31 March ----------------


def test_linked_order_in_the_closing_period_needs_an_inspection_by_31_march(city, budget, encumber):
    enc = encumber(amount=500_000)
    decide(enc)  # decided today, within the year
    april = _business_day(dt.date(FY + 1, 4, 20))
    kw = dict(
        actor=city.drafter, title="物品代", kind="linked", encumbrance=enc, payment_date=_business_day(april),
        lines=[services.OrderLineInput(creditor=budget.creditor, amount=500_000)], on=april,
    )  # fmt: skip
    with pytest.raises(ValidationFailed, match=r"（検収日: 令和\d+年4月15日）") as caught:
        services.payment_order_draft(inspection_date=dt.date(FY + 1, 4, 15), **kw)
    assert caught.value.field == "inspection_date"
    assert not PaymentOrder.objects.exists()
    made = services.payment_order_draft(inspection_date=dt.date(FY + 1, 3, 30), **kw)
    assert made.fiscal_year == FY


def test_review_flags_an_old_year_order_inspected_after_31_march(city, budget):
    march = _business_day(dt.date(FY + 1, 3, 23))
    order = services.payment_order_draft(
        actor=city.drafter, title="電気料", kind="combined", line=budget.line,
        lines=[services.OrderLineInput(creditor=budget.creditor, amount=50_000)],
        payment_date=_business_day(dt.date(FY + 1, 4, 10)), inspection_date=dt.date(FY + 1, 4, 2),
        invoice_received_on=dt.date(FY + 1, 4, 3), on=march,
    )  # fmt: skip
    decide(order, on=march)
    checks = {c.label: c for c in review_checks(order, on=dt.date(FY + 1, 4, 6))}
    assert not checks["債務確定"].ok
    assert checks["債務確定"].field == "inspection_date"
    assert "年度末" in checks["債務確定"].detail


# --- 5. the allotment's figures count orders without encumbrance -----------------------------


def test_allotment_balance_matches_the_hard_stop(city, budget, encumber):
    decide(encumber(amount=100_000))
    _combined_order(city, budget, 900_000)
    figures = allotment_balance(budget.allotment)
    assert (figures.encumbered, figures.ordered, figures.available) == (100_000, 900_000, 2_000_000)
    assert figures.available == balance.available_amount(budget.allotment)


# --- 9. the accounting manager (会計管理者) sees every section's encumbrances ------------------


def test_treasurer_sees_every_encumbrance(city, budget, encumber, django_user_model):
    enc = encumber(amount=100_000)
    treasurer = django_user_model.objects.create_user(username="kaikei", last_name="会田", first_name="花子")
    org_services.role_grant(actor=SETUP, user=treasurer, role=Role.TREASURER, valid_from=SINCE)
    assert list(encumbrances_for(treasurer)) == [enc]
    assert list(encumbrances_for(city.outsider)) == []


# --- 7. amounts have at most 12 digits (the 全銀 trailer total) -------------------------------


@pytest.mark.parametrize("amount", [10**19, 1_000_000_000_000])
def test_a_budget_amount_above_twelve_digits_is_refused_naming_the_field(city, budget, amount):
    with pytest.raises(ValidationFailed) as caught:
        services.budget_version_create(
            actor=budget.staff, account=budget.account, fiscal_year=FY, name="補正予算（第1号）",
            amounts=[(budget.line, amount)],
        )  # fmt: skip
    assert caught.value.message == "金額は999,999,999,999円以下で入力してください。"
    assert caught.value.field == "amounts"


def test_twelve_digits_are_accepted_and_thirteen_refused_anywhere(city, budget):
    assert yen("999,999,999,999") == 999_999_999_999
    assert yen("１，０００円") == yen("1,000円") == 1000
    with pytest.raises(ValidationFailed, match="支出負担行為額は999,999,999,999円以下"):
        yen(1_000_000_000_000, label="支出負担行為額")
    with pytest.raises(ValidationFailed, match="以上で入力"):
        yen(-(10**19), minimum=None)


@pytest.mark.parametrize("text", ["1_000", "1000.5", "1,000.5", "一千", ""])
def test_text_that_is_not_whole_yen_is_refused_with_the_input_named(text):
    with pytest.raises(ValidationFailed) as caught:
        yen(text, label="支出命令額")
    assert caught.value.message == f"支出命令額は円単位の整数で入力してください（入力: 「{text}」）。"


# --- 8. export_zengin never leaves an exported batch of the day unpaid and forgotten -----------


def test_export_command_refuses_while_another_batch_of_the_day_is_exported_and_unpaid(
    settings, tmp_path, treasurer, decided_order
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CITYHALL_ZENGIN = {
        "requester_code": "0000012345", "requester_name": "ﾐﾄﾞﾘﾉｼ ｶｲｹｲｶﾝﾘｼﾔ", "bank_code": "0001",
        "branch_code": "001", "account_type": "1", "account_number": "7777777", "separator": "crlf",
    }  # fmt: skip
    day = pay_day()
    first = order_review_approve(actor=treasurer, order=decided_order(amounts=(110_000,), payment_date=day)).batch
    assert first is not None
    batch_export(actor=treasurer, batch=first)  # handed to the bank, not yet confirmed paid
    second = order_review_approve(actor=treasurer, order=decided_order(amounts=(55_000,), payment_date=day)).batch
    assert second is not None
    assert second.pk != first.pk and second.status == BatchStatus.OPEN
    path = tmp_path / "furikomi.txt"
    with pytest.raises(CommandError) as caught:
        call_command("export_zengin", date=f"{day:%Y-%m-%d}", output=str(path), stdout=io.StringIO())
    assert f"ID {first.pk}、1件、合計 110,000円" in str(caught.value)
    assert "もう一度実行してください" in str(caught.value)
    assert not path.exists()
    statuses = dict(PaymentBatch.objects.values_list("pk", "status"))
    assert statuses == {first.pk: BatchStatus.EXPORTED, second.pk: BatchStatus.OPEN}
    batch_mark_paid(actor=treasurer, batch=first)
    call_command("export_zengin", date=f"{day:%Y-%m-%d}", output=str(path), stdout=io.StringIO())
    assert PaymentBatch.objects.get(pk=second.pk).status == BatchStatus.PAID


# --- 6. an individual's bank account is personal information --------------------------------


@pytest.fixture
def individual(budget):
    """鈴木一郎 (個人事業者) with an account at another bank."""
    return services.creditor_create(
        actor=budget.staff, code="200001", name="鈴木一郎", kana="スズキイチロウ", address="東京都港区",
        is_individual=True,
        bank_account=services.BankAccountInput("0005", "001", "1", "7654321", "スズキ イチロウ"),
    ).creditor  # fmt: skip


def _views(creditor=None) -> list[str]:
    rows = AuditEntry.objects.filter(action="finance.creditor.view")
    if creditor is not None:
        rows = rows.filter(object_id=str(creditor.pk))
    return [str(after) for after in rows.order_by("seq").values_list("after", flat=True)]


def test_showing_an_individuals_accounts_is_audited_on_screens_and_api(client, city, budget, individual):
    client.force_login(budget.staff)
    assert client.get(reverse("finance:creditors")).status_code == 200
    assert client.get(reverse("finance:creditor", args=[individual.pk])).status_code == 200
    assert client.get(reverse("finance:creditor", args=[budget.creditor.pk])).status_code == 200
    with override_settings(CITYHALL_MFA_REQUIRED="never"):
        assert client.get("/api/finance/creditors", {"q": "鈴木"}).status_code == 200
    assert len(_views(individual)) == 3
    assert _views() == _views(individual)  # the company's account is not personal information
    entry = AuditEntry.objects.filter(action="finance.creditor.view").latest("seq")
    assert entry.actor_id == budget.staff.pk


def test_payment_order_detail_masks_the_account_number_but_for_accounting(client, city, budget, django_user_model):
    order = _combined_order(city, budget, 10_000)
    url = reverse("finance:payment_order", args=[order.pk])
    client.force_login(city.drafter)
    page = client.get(url).content.decode()
    assert "****567" in page and "1234567" not in page
    treasurer = django_user_model.objects.create_user(username="kaikei2", last_name="会田", first_name="花子")
    org_services.role_grant(actor=SETUP, user=treasurer, role=Role.TREASURER, valid_from=SINCE)
    for user in (treasurer, budget.staff):
        client.force_login(user)
        assert "1234567" in client.get(url).content.decode()
