"""Payment orders (支出命令): linked, combined (兼) and collective (集合) orders, their checks and the engine."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from cityhall.core.audit import snapshot
from cityhall.core.audit.chain import canonical_json
from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.core.japanese import is_bank_business_day, next_bank_business_day, previous_bank_business_day
from cityhall.core.japanese.business_days import business_day_on_or_after
from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus
from cityhall.finance import balance, services
from cityhall.finance.models import Allotment, Encumbrance, PaymentOrder
from cityhall.finance.services import acting_on
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders import PAYMENT_ORDER_TYPE, payment_order_draft, payment_order_update
from cityhall.testing.engine import decide, submit
from cityhall.testing.finance import FY, available, make_setsu_line, pay_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(city, budget):
    """Draft a payment order: ``order(kind="combined", amounts=[110_000])``; linked when given an encumbrance."""

    def make(*, kind: str = "combined", amounts=(110_000,), by=None, creditors=None, **kw):
        creditors = creditors or [budget.creditor] * len(amounts)
        given = [OrderLineInput(creditor=c, amount=a) for c, a in zip(creditors, amounts, strict=True)]
        lines = kw.pop("lines") if "lines" in kw else given
        if kind != "linked":
            kw.setdefault("line", budget.line)
        return payment_order_draft(
            actor=by or city.drafter,
            title=kw.pop("title", "消耗品の代金の支払について"),
            kind=kind,
            lines=lines,
            payment_date=kw.pop("payment_date", pay_day()),
            **kw,
        )

    return make


# --- linked (支出命令) --------------------------------------------------------------


def test_linked_order_against_a_decided_encumbrance(city, budget, encumber, order):
    enc = encumber(amount=800_000)
    decide(enc)
    lines = [
        OrderLineInput(creditor=budget.creditor, amount=550_000, description="コピー用紙"),
        OrderLineInput(creditor=budget.creditor, amount=216_000, tax_rate=8, withholding=0, description="飲料"),
    ]
    made = order(kind="linked", encumbrance=enc, lines=lines)
    doc = made.document
    assert (doc.doc_type, doc.amount, doc.matter_kind.code, doc.status) == (
        PAYMENT_ORDER_TYPE,
        766_000,
        "spending",
        DocumentStatus.DRAFT,
    )
    assert (made.kind, made.line, made.allotment, made.section, made.fiscal_year) == (
        "linked",
        budget.line,
        budget.allotment,
        city.units.soumu,
        FY,
    )
    assert (made.total_amount, made.withholding_amount, made.payment_amount) == (766_000, 0, 766_000)
    rows = list(made.lines.values_list("position", "tax_rate", "amount", "tax_amount", "bank_account"))
    account = budget.creditor.bank_accounts.get().pk
    assert rows == [(1, 10, 550_000, 50_000, account), (2, 8, 216_000, 16_000, account)]
    assert AuditEntry.objects.filter(action="finance.payment_order.create", object_id=str(made.pk)).exists()
    doc = decide(made)
    assert doc.decided_by == city.kacho  # 766,000 of 需用費: 課長専決
    assert balance.ordered_against(enc) == 766_000
    assert available(budget) == 2_200_000  # the encumbrance holds the budget, the order only draws on it


def test_linked_order_over_the_encumbrance_rest_names_the_three_amounts(city, budget, encumber, order):
    enc = encumber(amount=800_000)
    decide(enc)
    first = order(kind="linked", encumbrance=enc, amounts=[500_000])
    submit(first)
    before = PaymentOrder.objects.count(), Document.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        order(kind="linked", encumbrance=enc, amounts=[300_001])
    assert caught.value.message == (
        "支出負担行為の残額を超えています（負担額: 800,000円、命令済額: 500,000円、今回の額: 300,001円）。"
    )
    assert (PaymentOrder.objects.count(), Document.objects.count()) == before
    order(kind="linked", encumbrance=enc, amounts=[300_000])  # exactly the rest is fine


def test_linked_order_checked_again_at_submit_and_decision(city, budget, encumber, order):
    enc = encumber(amount=800_000)
    decide(enc)
    a = order(kind="linked", encumbrance=enc, amounts=[600_000])
    b = order(kind="linked", encumbrance=enc, amounts=[600_000])  # both fit while neither is submitted
    doc_a = submit(a)
    with pytest.raises(ValidationFailed, match="命令済額: 600,000円、今回の額: 600,000円"):
        submit(b)
    assert Document.objects.get(pk=b.document_id).status == DocumentStatus.DRAFT
    doc_a = docs.approve(actor=city.kakaricho, document=doc_a, expected_version=doc_a.version)
    # The encumbrance is cut behind the services' back (a data correction): the decision must still stop.
    Encumbrance.objects.filter(pk=enc.pk).update(amount=500_000)
    with pytest.raises(ValidationFailed, match="負担額: 500,000円、命令済額: 0円、今回の額: 600,000円"):
        docs.approve(actor=city.kacho, document=doc_a, expected_version=doc_a.version)
    assert Document.objects.get(pk=a.document_id).status == DocumentStatus.CIRCULATING
    # Withdrawn, a releases the encumbrance for b.
    doc_a.refresh_from_db()
    docs.withdraw(actor=city.drafter, document=doc_a, expected_version=doc_a.version, reason="金額の誤り")
    assert balance.ordered_against(enc) == 0


def test_linked_order_needs_a_decided_uncancelled_encumbrance_of_the_own_section(
    city, budget, encumber, order, second_creditor
):
    enc = encumber(amount=300_000)
    with pytest.raises(ValidationFailed, match="決裁前の支出負担行為には支出命令できません（現在の状態: 起案中）"):
        order(kind="linked", encumbrance=enc, amounts=[100_000])
    decide(enc)
    with pytest.raises(ValidationFailed, match="明細1行目: 債権者は支出負担行為の債権者（株式会社ヤマダ商事）と同じ"):
        order(kind="linked", encumbrance=enc, creditors=[second_creditor], amounts=[100_000])
    with pytest.raises(PermissionDenied):
        order(kind="linked", encumbrance=enc, amounts=[100_000], by=city.outsider)
    services.encumbrance_cancel(actor=city.kacho, encumbrance=enc, reason="契約解除")
    with pytest.raises(ValidationFailed, match="取り消された支出負担行為"):
        order(kind="linked", encumbrance=enc, amounts=[100_000])
    assert not PaymentOrder.objects.exists()


# --- combined (支出負担行為兼支出命令) -------------------------------------------------------


def test_combined_order_end_to_end_holds_budget_from_submission(city, budget, order):
    made = order(kind="combined", amounts=[330_000])
    assert available(budget) == 3_000_000  # a draft holds nothing
    doc = submit(made)
    assert doc.decision_label == "課長専決"
    assert available(budget) == 2_670_000
    doc = docs.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    doc = docs.approve(actor=city.kacho, document=doc, expected_version=doc.version)
    assert (doc.status, doc.decided_by) == (DocumentStatus.DECIDED, city.kacho)
    assert available(budget) == 2_670_000
    assert balance.unencumbered_orders_amount(Allotment.objects.get(pk=budget.allotment.pk)) == 330_000


def test_combined_order_withdrawn_releases_the_budget(city, budget, order):
    made = order(kind="combined", amounts=[1_000_000])
    doc = submit(made)
    assert available(budget) == 2_000_000
    docs.withdraw(actor=city.drafter, document=doc, expected_version=doc.version, reason="請求書の誤り")
    assert available(budget) == 3_000_000


def test_combined_order_hard_stop_at_draft_submit_and_decision(city, budget, order, encumber):
    decide(encumber(amount=2_500_000))
    with pytest.raises(ValidationFailed, match="執行可能額: 500,000円、要求額: 600,000円"):
        order(kind="combined", amounts=[600_000])
    a, b = order(kind="combined", amounts=[300_000]), order(kind="combined", amounts=[300_000])
    doc_a = submit(a)
    with pytest.raises(ValidationFailed, match="執行可能額: 200,000円、要求額: 300,000円"):
        submit(b)
    doc_a = docs.approve(actor=city.kakaricho, document=doc_a, expected_version=doc_a.version)
    Allotment.objects.filter(pk=budget.allotment.pk).update(amount=2_700_000)  # cut behind the services' back
    with pytest.raises(ValidationFailed, match="執行可能額: 200,000円、要求額: 300,000円"):
        docs.approve(actor=city.kacho, document=doc_a, expected_version=doc_a.version)
    assert Document.objects.get(pk=a.document_id).status == DocumentStatus.CIRCULATING


def test_combined_order_only_on_setsu_that_allow_it_and_never_on_the_reserve(city, budget, order):
    itaku = services.budget_line_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu["12"]
    )
    services.budget_version_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, name="補正予算（第1号）", amounts=[(itaku, 100_000)]
    )
    services.allotment_set(actor=budget.staff, line=itaku, section=city.units.soumu, amount=100_000)
    refused = (
        "12節委託料では支出負担行為兼支出命令はできません（予算科目: 一般会計 2款総務費 1項総務管理費 1目一般管理費"
    )
    with pytest.raises(ValidationFailed, match=refused) as caught:
        order(kind="combined", line=itaku, amounts=[10_000])
    assert caught.value.field == "kind"
    with pytest.raises(ValidationFailed, match="予備費"):
        order(kind="combined", line=_reserve_line(budget), amounts=[10_000])
    assert not PaymentOrder.objects.exists()


def test_payroll_is_combinable_by_default_and_the_city_may_list_its_own_setsu(city, budget, order, settings):
    kyuryo = make_setsu_line(budget, "2", 100_000, section=city.units.soumu)
    assert order(kind="combined", line=kyuryo, amounts=[10_000]).kind == "combined"  # 給料: 支出決定のとき

    settings.CITYHALL_COMBINABLE_SETSU = frozenset({"10"})
    with pytest.raises(ValidationFailed, match="2節給料では支出負担行為兼支出命令はできません"):
        order(kind="combined", line=kyuryo, amounts=[10_000])
    assert PaymentOrder.objects.count() == 1


def _reserve_line(budget):
    from cityhall.finance.models import Level

    kan = services.heading_create(actor=budget.staff, level=Level.KAN, code="14", name="予備費", account=budget.account)
    kou = services.heading_create(
        actor=budget.staff, level=Level.KOU, code="1", name="予備費", account=budget.account, parent=kan
    )
    moku = services.heading_create(
        actor=budget.staff, level=Level.MOKU, code="1", name="予備費", account=budget.account, parent=kou
    )
    return services.budget_line_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, moku=moku, setsu=None, reserve=True
    )


def test_combined_order_has_one_creditor(city, budget, order, second_creditor):
    with pytest.raises(ValidationFailed, match="支出負担行為兼支出命令の債権者は1者"):
        order(kind="combined", amounts=[1_000, 2_000], creditors=[budget.creditor, second_creditor])


# --- collective (集合支出命令) ---------------------------------------------------------


def test_collective_order_end_to_end(city, budget, order, second_creditor):
    lines = [
        OrderLineInput(creditor=budget.creditor, amount=110_000),
        OrderLineInput(creditor=second_creditor, amount=50_000, tax_rate=0, withholding_kind="professional"),
    ]
    made = order(kind="collective", lines=lines)
    assert (made.total_amount, made.withholding_amount, made.payment_amount) == (160_000, 5_105, 154_895)
    assert list(made.lines.values_list("tax_amount", flat=True)) == [10_000, 0]
    decide(made)
    assert available(budget) == 2_840_000
    with pytest.raises(ValidationFailed, match="集合支出命令には2行以上"):
        order(kind="collective", amounts=[1_000])


def test_a_collective_order_needs_encumbrances_on_a_setsu_that_may_not_combine(city, budget, order, second_creditor):
    """法232条の3: a two-creditor ¥1.8M 工事請負費 order without a 支出負担行為 is refused, nothing saved."""
    kouji = make_setsu_line(budget, "14", 2_000_000, section=city.units.soumu)
    lines = [
        OrderLineInput(creditor=budget.creditor, amount=990_000),
        OrderLineInput(creditor=second_creditor, amount=810_000),
    ]
    refusal = "14節工事請負費では支出負担行為を経ない集合支出命令はできません"
    with pytest.raises(ValidationFailed, match=refusal) as refused:
        order(kind="collective", line=kouji, lines=lines)
    assert "地方自治法第232条の3" in refused.value.message
    assert not PaymentOrder.objects.exists()


# --- lines: amounts, tax, withholding, accounts --------------------------------------------


BAD_LINES: list[tuple[dict[str, Any], str]] = [
    (dict(amount="1000.5"), "明細2行目: 金額は円単位の整数で入力してください（入力: 「1000.5」）。"),
    (dict(amount=0), "明細2行目: 金額は1円以上で入力してください。"),
    (dict(amount=1_000, tax_rate=5), "明細2行目: 税率は10%・8%（軽減税率）・対象外（0%）から選んでください"),
    (dict(amount=1_100, tax_amount=98), "明細2行目: 消費税額（98円）が金額1,100円の10%分（100円）と合いません。"),
    (dict(amount=1_000, tax_rate=0, tax_amount=10), "明細2行目: 対象外・非課税の明細の消費税額は0円です"),
    (dict(amount=1_000, withholding=1_000), "明細2行目: 源泉徴収額（1,000円）は0円以上、金額（1,000円）未満"),
    (dict(amount=1_000, withholding=-1), "明細2行目: 源泉徴収額（-1円）は0円以上"),
    (dict(amount=1_000, withholding="1.5"), "明細2行目: 源泉徴収額は円単位の整数で"),
]


def test_bad_lines_are_refused_with_the_row_named(city, budget, order):
    # One city for all cases (they save nothing): the fixtures are the slow part.
    for line, message in BAD_LINES:
        lines = [
            OrderLineInput(creditor=budget.creditor, amount=1_000),
            OrderLineInput(creditor=budget.creditor, **line),
        ]
        with pytest.raises(ValidationFailed) as caught:
            order(kind="combined", lines=lines)
        assert caught.value.message.startswith(message), (line, caught.value.message)
        assert (caught.value.field or "").startswith("lines.2."), line
    assert not PaymentOrder.objects.exists() and not Document.objects.exists()


def test_tax_within_one_yen_is_accepted_and_stored(city, budget, order):
    made = order(kind="combined", lines=[OrderLineInput(creditor=budget.creditor, amount=1_099, tax_amount=100)])
    assert made.lines.get().tax_amount == 100  # computed would be 99


def test_transfer_needs_an_account_of_that_creditor(city, budget, order, second_creditor):
    other_account = second_creditor.bank_accounts.get()
    lines = [OrderLineInput(creditor=budget.creditor, amount=1_000, bank_account=other_account)]
    with pytest.raises(ValidationFailed, match="明細1行目: 振込口座は債権者「株式会社ヤマダ商事」の口座から"):
        order(kind="combined", lines=lines)
    no_account = services.creditor_create(
        actor=budget.staff, code="100003", name="窓口太郎", kana="マドグチタロウ", address="東京都"
    ).creditor
    with pytest.raises(ValidationFailed, match="明細1行目: 債権者「窓口太郎」に振込口座が登録されていません"):
        order(kind="combined", creditors=[no_account], amounts=[1_000])
    cash = order(kind="combined", creditors=[no_account], amounts=[1_000], payment_method="cash")
    assert cash.lines.get().bank_account is None


# --- dates ------------------------------------------------------------------------------


def _holiday_after(day: dt.date) -> dt.date:
    d = day + dt.timedelta(days=1)
    while is_bank_business_day(d):
        d += dt.timedelta(days=1)
    return d


def test_payment_date_must_be_a_bank_business_day_not_before_the_drafting_day(city, budget, order):
    holiday = _holiday_after(timezone.localdate())
    with pytest.raises(ValidationFailed, match="は銀行の休業日です") as caught:
        order(kind="combined", payment_date=holiday)
    assert caught.value.field == "payment_date"
    drafted = business_day_on_or_after(dt.date(FY, 11, 10))
    earlier = previous_bank_business_day(drafted)
    with pytest.raises(ValidationFailed, match=r"起案日（.*）以降の日付にしてください") as caught:
        order(kind="combined", payment_date=earlier, on=drafted)
    assert caught.value.field == "payment_date"
    assert not PaymentOrder.objects.exists()


def test_year_end_closure_is_a_bank_holiday(city, budget, order):
    with pytest.raises(ValidationFailed, match=r"令和\d+年1月2日）は銀行の休業日です（年末年始）"):
        order(kind="combined", payment_date=dt.date(FY + 1, 1, 2), on=dt.date(FY, 12, 1))


# --- fiscal year and closing period (出納整理期間) ---------------------------------------------


def _april(day: int = 10) -> dt.date:
    return business_day_on_or_after(dt.date(FY + 1, 4, day))


def test_linked_order_of_the_old_year_in_april_for_a_debt_decided_by_31_march(city, budget, encumber, order):
    enc = encumber(amount=500_000)
    decide(enc)  # decided today, within the year
    drafted = _april()
    kw = dict(kind="linked", encumbrance=enc, amounts=[500_000], on=drafted, payment_date=pay_day(drafted))
    with pytest.raises(ValidationFailed, match=r"検収日（令和\d+年3月31日以前）が必要です"):
        order(**kw)  # the goods must have been inspected (債務確定) by 31 March too
    made = order(inspection_date=dt.date(FY + 1, 3, 27), **kw)
    assert (made.fiscal_year, made.document.fiscal_year) == (FY, FY + 1)


def test_linked_order_in_april_refused_when_the_encumbrance_was_decided_after_31_march(city, budget, encumber, order):
    enc = encumber(amount=500_000)
    decide(enc)
    # Pretend the decision fell on 1 April (a date the services cannot produce today).
    Document.objects.filter(pk=enc.document_id).update(decided_at=dt.datetime(FY + 1, 4, 1, 10, tzinfo=dt.UTC))
    drafted = _april()
    with pytest.raises(
        ValidationFailed, match=r"までに確定した債務しか支出できません（支出負担行為の決裁日: 令和\d+年4月1日）"
    ):
        order(kind="linked", encumbrance=enc, amounts=[1_000], on=drafted, payment_date=pay_day(drafted))


def test_combined_order_in_april_needs_an_inspection_date_by_31_march(city, budget, order):
    drafted = _april()
    kw = dict(kind="combined", on=drafted, payment_date=pay_day(drafted))
    with pytest.raises(ValidationFailed, match=r"検収日（令和\d+年3月31日以前）が必要です") as caught:
        order(**kw)
    assert caught.value.field == "inspection_date"
    with pytest.raises(ValidationFailed, match=r"（検収日: 令和\d+年4月2日）"):
        order(inspection_date=dt.date(FY + 1, 4, 2), **kw)
    made = order(inspection_date=dt.date(FY + 1, 3, 25), **kw)
    assert made.fiscal_year == FY


def test_no_order_of_the_year_after_the_closing_period_nor_paid_after_31_may(city, budget, order):
    june = business_day_on_or_after(dt.date(FY + 1, 6, 1))
    with pytest.raises(
        ValidationFailed, match=r"年度の予算で.*に支出命令はできません（出納整理期間は令和\d+年5月31日までです）"
    ):
        order(kind="combined", on=june, payment_date=pay_day(june), inspection_date=dt.date(FY + 1, 3, 1))
    may = business_day_on_or_after(dt.date(FY + 1, 5, 25))
    with pytest.raises(ValidationFailed, match=r"支払予定日は令和\d+年5月31日までにしてください") as caught:
        order(kind="combined", on=may, payment_date=june, inspection_date=dt.date(FY + 1, 3, 1))
    assert caught.value.field == "payment_date"
    before_year = business_day_on_or_after(dt.date(FY, 3, 2))  # the year before the budget's year
    with pytest.raises(ValidationFailed, match="年度の予算で"):
        order(kind="combined", on=before_year, payment_date=pay_day(before_year))
    assert not PaymentOrder.objects.exists()


def test_linked_order_in_the_closing_period_needs_an_inspection_by_31_march(city, budget, encumber):
    enc = encumber(amount=500_000)
    decide(enc)  # decided today, within the year
    april = business_day_on_or_after(dt.date(FY + 1, 4, 20))
    kw = dict(
        actor=city.drafter, title="物品代", kind="linked", encumbrance=enc,
        payment_date=business_day_on_or_after(april),
        lines=[services.OrderLineInput(creditor=budget.creditor, amount=500_000)], on=april,
    )  # fmt: skip
    with pytest.raises(ValidationFailed, match=r"（検収日: 令和\d+年4月15日）") as caught:
        services.payment_order_draft(inspection_date=dt.date(FY + 1, 4, 15), **kw)
    assert caught.value.field == "inspection_date"
    assert not PaymentOrder.objects.exists()
    made = services.payment_order_draft(inspection_date=dt.date(FY + 1, 3, 30), **kw)
    assert made.fiscal_year == FY


# --- editing (修正) -----------------------------------------------------------------------


def test_update_keeps_the_document_amount_in_step_and_is_audited(city, budget, order, second_creditor):
    made = order(kind="combined", amounts=[110_000])
    version = made.document.version
    new_lines = [OrderLineInput(creditor=budget.creditor, amount=220_000, tax_rate=8, description="食料品")]
    made = payment_order_update(actor=city.drafter, order=made, lines=new_lines, title="食料品の代金の支払について")
    doc = Document.objects.get(pk=made.document_id)
    assert (made.total_amount, doc.amount, doc.title, doc.version) == (
        220_000,
        220_000,
        "食料品の代金の支払について",
        version + 1,
    )
    assert list(made.lines.values_list("tax_rate", "tax_amount", "description")) == [(8, 16_296, "食料品")]
    entry = AuditEntry.objects.filter(action="finance.payment_order.update", object_id=str(made.pk)).get()
    before, after = json.loads(entry.before), json.loads(entry.after)
    assert (before["total_amount"], after["total_amount"], len(after["lines"])) == (110_000, 220_000, 1)
    assert after["lines"] == json.loads(canonical_json([snapshot(x) for x in made.lines.order_by("position")]))
    with pytest.raises(ValidationFailed, match="執行可能額: 3,000,000円、要求額: 3,000,001円"):
        payment_order_update(
            actor=city.drafter, order=made, lines=[OrderLineInput(creditor=budget.creditor, amount=3_000_001)]
        )
    with pytest.raises(ValidationFailed, match="支出負担行為兼支出命令の債権者は1者"):
        payment_order_update(
            actor=city.drafter,
            order=made,
            lines=[*new_lines, OrderLineInput(creditor=second_creditor, amount=1_000)],
        )
    assert PaymentOrder.objects.get(pk=made.pk).total_amount == 220_000
    assert Document.objects.get(pk=made.document_id).amount == 220_000


def test_update_only_by_the_drafter_while_editable(city, budget, order):
    made = order(kind="combined", amounts=[110_000])
    with pytest.raises(PermissionDenied):
        payment_order_update(actor=city.drafter2, order=made, description="他人の修正")
    doc = submit(made)
    with pytest.raises(Conflict, match="回議中の文書は修正できません"):
        payment_order_update(actor=city.drafter, order=made, description="回議中の修正")
    doc = docs.send_back(actor=city.kakaricho, document=doc, expected_version=doc.version, comment="請求書を添付")
    assert available(budget) == 3_000_000  # sent back: holds nothing
    made = payment_order_update(
        actor=city.drafter, order=made, lines=[OrderLineInput(creditor=budget.creditor, amount=99_000)]
    )
    decide(made)
    assert available(budget) == 2_901_000


# --- selectors ----------------------------------------------------------------------------


def test_orders_are_seen_by_their_section_and_by_accounting_and_the_treasurer(city, budget, order):
    from cityhall.finance.selectors.payment_orders import order_totals_by_rate, payment_order_detail, payment_orders_for
    from cityhall.org import services as org_services
    from cityhall.org.models import Role
    from cityhall.testing.city import SETUP, SINCE

    lines = [
        OrderLineInput(creditor=budget.creditor, amount=11_000),
        OrderLineInput(creditor=budget.creditor, amount=10_800, tax_rate=8),
        OrderLineInput(creditor=budget.creditor, amount=2_200),
        OrderLineInput(creditor=budget.creditor, amount=500, tax_rate=0),
    ]
    made = order(kind="combined", lines=lines)
    assert list(payment_orders_for(city.drafter2)) == [made]
    assert list(payment_orders_for(city.outsider)) == []
    assert list(payment_orders_for(budget.staff)) == [made]  # 会計
    org_services.role_grant(actor=SETUP, user=city.jinji_kacho, role=Role.TREASURER, valid_from=SINCE)
    assert list(payment_orders_for(city.jinji_kacho)) == [made]  # 会計管理者
    with pytest.raises(PermissionDenied):
        payment_order_detail(city.outsider, made.pk)
    detail = payment_order_detail(city.kacho, made.pk)
    assert [x.amount for x in detail.lines.all()] == [11_000, 10_800, 2_200, 500]
    assert order_totals_by_rate(detail) == [(10, 13_200, 1_200), (8, 10_800, 800), (0, 500, 0)]


# --- concurrency ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_combined_orders_never_exceed_the_available_balance(city, budget):
    from cityhall.testing.race import race

    services.allotment_set(actor=budget.staff, line=budget.line, section=city.units.soumu, amount=1_000_000)
    day = pay_day()
    drafts = [
        payment_order_draft(
            actor=city.drafter,
            title=f"消耗品の代金の支払（{i + 1}）",
            kind="combined",
            line=budget.line,
            lines=[OrderLineInput(creditor=budget.creditor, amount=100_000)],
            payment_date=day,
        )
        for i in range(20)
    ]

    def submit_and_decide(document_id: int):
        def act() -> None:
            doc = Document.objects.get(pk=document_id)
            doc = docs.submit(actor=city.drafter, document=doc, expected_version=doc.version)
            doc = docs.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
            docs.approve(actor=city.kacho, document=doc, expected_version=doc.version)

        return act

    outcomes = race([submit_and_decide(o.document_id) for o in drafts])

    assert outcomes.count("ok") == 10
    assert outcomes.count("ValidationFailed") == 10
    decided = PaymentOrder.objects.filter(document__status=DocumentStatus.DECIDED)
    assert sum(decided.values_list("total_amount", flat=True)) == 1_000_000
    assert balance.available_amount(Allotment.objects.get(pk=budget.allotment.pk)) == 0


# --- bad input at the top -------------------------------------------------------------------


BAD_INPUT: list[tuple[dict[str, Any], str, str]] = [
    (dict(kind="advance"), "kind", "支出命令の種類を選んでください。"),
    (
        dict(payment_method="check"),
        "payment_method",
        "支払方法は口座振込・窓口払・資金前渡・口座振替・公金振替から選んでください。",
    ),
    (dict(lines=[]), "lines", "明細を1行以上入力してください。"),
    (dict(payment_date="2026-12-01"), "payment_date", "支払予定日を入力してください。"),
    (dict(inspection_date="昨日"), "inspection_date", "検収日は日付で入力してください（入力: 「昨日」）。"),
    (dict(line=None), "line", "予算科目を選んでください。"),
    (dict(title=" "), "title", "件名を入力してください。"),
    (dict(description="x" * 201), "description", "摘要は200文字以内で入力してください。"),
]


def test_bad_order_input_is_refused_and_nothing_saved(city, budget, order):
    for changes, field, message in BAD_INPUT:
        kw = {"kind": "combined", **changes}
        with pytest.raises(ValidationFailed) as caught:
            order(**kw)
        assert (caught.value.field, caught.value.message) == (field, message)
    assert not PaymentOrder.objects.exists() and not Document.objects.exists()


def test_kind_and_encumbrance_must_match(city, budget, encumber, order):
    enc = encumber(amount=100_000)
    decide(enc)
    with pytest.raises(ValidationFailed, match="支出負担行為兼支出命令には支出負担行為を指定できません"):
        order(kind="combined", encumbrance=enc)
    with pytest.raises(ValidationFailed, match="支出命令には支出負担行為を選んでください") as caught:
        order(kind="linked")
    assert caught.value.field == "encumbrance"
    other = services.budget_line_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu["11"]
    )
    with pytest.raises(ValidationFailed, match="予算科目は支出負担行為の予算科目と同じにしてください"):
        order(kind="linked", encumbrance=enc, line=other, amounts=[1_000])


def test_submit_refuses_a_payment_date_already_past_on_the_acting_day(city, budget, order):
    made = order(kind="combined", inspection_date=timezone.localdate())
    later = next_bank_business_day(made.payment_date)
    doc = Document.objects.get(pk=made.document_id)
    with (
        acting_on(later),
        pytest.raises(ValidationFailed, match="が過ぎています。支払予定日を修正してから提出") as caught,
    ):
        docs.submit(actor=city.drafter, document=doc, expected_version=doc.version, on=later)
    assert caught.value.field == "payment_date"
    with acting_on(made.payment_date):
        doc = docs.submit(actor=city.drafter, document=doc, expected_version=doc.version, on=made.payment_date)
    assert doc.status == DocumentStatus.CIRCULATING


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_linked_orders_never_exceed_their_encumbrance(city, budget, encumber):
    from cityhall.testing.race import race

    enc = encumber(amount=500_000)
    decide(enc)
    day = pay_day()
    drafts = [
        payment_order_draft(
            actor=city.drafter,
            title=f"消耗品の代金の支払（{i + 1}回目）",
            kind="linked",
            encumbrance=enc,
            lines=[OrderLineInput(creditor=budget.creditor, amount=100_000)],
            payment_date=day,
        )
        for i in range(10)
    ]

    def submitting(document_id: int):
        def act() -> None:
            doc = Document.objects.get(pk=document_id)
            docs.submit(actor=city.drafter, document=doc, expected_version=doc.version)

        return act

    outcomes = race([submitting(o.document_id) for o in drafts])

    assert (outcomes.count("ok"), outcomes.count("ValidationFailed")) == (5, 5)
    assert balance.ordered_against(enc) == 500_000
