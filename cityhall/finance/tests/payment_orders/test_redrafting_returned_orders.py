"""Payment orders after review: tax amounts the table refuses, drafting a returned order again (起案し直し),
payees at banks that no longer exist, a drafter who changes section, and the personal-information record."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.core.japanese import next_bank_business_day
from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus
from cityhall.finance import banks, services
from cityhall.finance.models import Allotment, CreditorBankAccount, PaymentOrder, PaymentOrderLine, ReviewStatus
from cityhall.finance.selectors.payment_orders import may_redraft
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders import payment_order_redraft, payment_order_update
from cityhall.finance.services.review import order_review_approve, order_review_return
from cityhall.org import services as org_services
from cityhall.testing.city import SETUP
from cityhall.testing.engine import decide
from cityhall.testing.finance import pay_day
from cityhall.testing.web import client_for, finance_api

pytestmark = pytest.mark.django_db

REASON = "請求書の日付が検収日より前です。"


@pytest.fixture
def returned(city, draft_order, treasurer):
    """A collective (集合) order of two creditors, decided and returned (返付) by the accounting manager."""

    def make(**kw) -> PaymentOrder:
        order = draft_order(**kw)
        decide(order)
        order_review_return(actor=treasurer, order=PaymentOrder.objects.get(pk=order.pk), reason=REASON)
        return PaymentOrder.objects.get(pk=order.pk)

    return make


def _collective_lines(budget, second_creditor) -> list[OrderLineInput]:
    return [
        OrderLineInput(creditor=budget.creditor, amount=330_000, description="講師謝礼", withholding=30_000),
        OrderLineInput(creditor=second_creditor, amount=108_000, tax_rate=8, tax_amount=8_000, description="弁当"),
    ]


def _lines_of(order: PaymentOrder) -> list[tuple]:
    fields = ("position", "creditor", "bank_account", "description", "tax_rate", "amount", "tax_amount", "withholding")
    return list(PaymentOrderLine.objects.filter(order=order).order_by("position").values_list(*fields))


# --- 1. the consumption tax must lie within the amount -----------------------------------------


@pytest.mark.parametrize(
    ("amount", "tax", "shown"),
    [(1, 1, "消費税額（1円）は0円以上、金額（1円）未満"), (5, -1, "消費税額（-1円）は0円以上、金額（5円）未満")],
)
def test_a_tax_amount_outside_the_amount_is_refused_by_the_api_naming_the_row(city, budget, amount, tax, shown):
    before = (Document.objects.count(), PaymentOrder.objects.count())
    body = {
        "title": "消耗品の代金の支払について",
        "kind": "combined",
        "line_id": budget.line.pk,
        "lines": [{"creditor_id": budget.creditor.pk, "amount": amount, "tax_amount": tax}],
        "payment_date": pay_day().isoformat(),
    }
    response = finance_api(city.drafter, "post", "/payment-orders", body)
    assert response.status_code == 400, response.content
    assert response.json()["detail"].startswith(f"明細1行目: {shown}")
    assert response.json()["field"] == "lines.1.tax_amount"
    assert (Document.objects.count(), PaymentOrder.objects.count()) == before


def test_a_decimal_or_text_amount_is_explained_as_whole_yen(city, budget):
    for amount in (1.5, "1000"):
        body = {
            "title": "消耗品の代金の支払について",
            "kind": "combined",
            "line_id": budget.line.pk,
            "lines": [{"creditor_id": budget.creditor.pk, "amount": amount}],
            "payment_date": pay_day().isoformat(),
        }
        response = finance_api(city.drafter, "post", "/payment-orders", body)
        assert response.status_code == 422
        assert response.json()["errors"][0]["msg"] == "円単位の整数で入力してください（小数・文字列は使えません）。"


# --- 2. drafting a returned order again ----------------------------------------------------------


def test_a_returned_order_is_drafted_again_with_the_same_content(city, budget, second_creditor, returned):
    source = returned(kind="collective", lines=_collective_lines(budget, second_creditor), description="研修会")
    Document.objects.filter(pk=source.document_id).update(body="研修会の講師謝礼と弁当代", has_personal_info=True)
    made = payment_order_redraft(actor=city.drafter, order=source)
    assert made.pk != source.pk
    doc = made.document
    assert (doc.status, doc.drafter, doc.title, doc.body, doc.amount, doc.has_personal_info) == (
        DocumentStatus.DRAFT,
        city.drafter,
        "消耗品の代金の支払について",
        "研修会の講師謝礼と弁当代",
        438_000,
        True,
    )
    head = ["kind", "fiscal_year", "line_id", "section_id", "allotment_id", "encumbrance_id", "payment_method"]
    head += ["payment_date", "inspection_date", "invoice_received_on", "description", "total_amount"]
    head += ["withholding_amount", "payment_amount"]
    assert [getattr(made, f) for f in head] == [getattr(source, f) for f in head]
    assert _lines_of(made) == _lines_of(source)
    assert made.review_status == ReviewStatus.WAITING
    # The returned document is left as it was.
    again = PaymentOrder.objects.select_related("document").get(pk=source.pk)
    assert (again.review_status, again.document.status) == (ReviewStatus.RETURNED, DocumentStatus.DECIDED)
    entry = AuditEntry.objects.get(action="finance.payment_order.redraft", object_id=str(made.pk))
    assert json.loads(entry.after)["redrafted_from"] == {
        "order": source.pk,
        "document": source.document_id,
        "number": source.document.number_label,
    }


def test_a_linked_order_is_drafted_again_against_its_encumbrance(city, budget, encumber, returned):
    enc = encumber(amount=500_000)
    decide(enc)
    source = returned(kind="linked", encumbrance=enc, lines=[OrderLineInput(creditor=budget.creditor, amount=500_000)])
    made = payment_order_redraft(actor=city.drafter, order=source)
    assert (made.kind, made.encumbrance_id, made.total_amount) == ("linked", enc.pk, 500_000)


def test_a_colleague_of_the_same_section_may_draft_it_again_others_may_not(city, budget, returned):
    source = returned()
    for outsider in (city.outsider, budget.staff):
        with pytest.raises(PermissionDenied):
            payment_order_redraft(actor=outsider, order=source)
    made = payment_order_redraft(actor=city.drafter2, order=source)
    assert (made.document.drafter, made.section) == (city.drafter2, source.section)


def test_a_returned_order_is_drafted_again_once_until_that_copy_is_withdrawn(city, returned):
    """A double click or two colleagues: one copy, not two payments of the same bill."""
    source = returned()
    first = payment_order_redraft(actor=city.drafter, order=source)
    assert first.redrafted_from == source and not may_redraft(city.drafter, source)
    with pytest.raises(Conflict, match=f"既に起案し直されています（{first.document.number_label}"):
        payment_order_redraft(actor=city.drafter2, order=source)
    docs.withdraw(actor=city.drafter, document=first.document, expected_version=first.document.version, reason="誤り")
    assert may_redraft(city.drafter, source)
    second = payment_order_redraft(actor=city.drafter2, order=source)
    assert second.redrafted_from == source and PaymentOrder.objects.filter(redrafted_from=source).count() == 2


def test_a_drafter_who_moved_to_another_section_may_not_draft_it_again(city, budget, returned):
    source = returned()
    services.allotment_set(actor=budget.staff, line=budget.line, section=city.units.zaisei, amount=1_000_000)
    org_services.assignment_create(
        actor=SETUP,
        user=city.drafter,
        unit=city.units.zaisei,
        post=city.posts["shuji"],
        valid_from=timezone.localdate(),
    )
    count = PaymentOrder.objects.count()
    with pytest.raises(PermissionDenied, match="起案者と同じ課の職員だけ"):
        payment_order_redraft(actor=city.drafter, order=source)
    assert PaymentOrder.objects.count() == count


def test_only_a_returned_order_may_be_drafted_again(city, draft_order, treasurer):
    waiting = draft_order()
    with pytest.raises(Conflict, match="返付した支出命令だけ"):
        payment_order_redraft(actor=city.drafter, order=waiting)
    decide(waiting)
    with pytest.raises(Conflict, match="審査状況: 審査待ち"):
        payment_order_redraft(actor=city.drafter, order=waiting)
    approved = order_review_approve(actor=treasurer, order=PaymentOrder.objects.get(pk=waiting.pk))
    with pytest.raises(Conflict, match="審査状況: 審査済"):
        payment_order_redraft(actor=city.drafter, order=approved)
    assert PaymentOrder.objects.count() == 1


def test_the_budget_hard_stop_applies_to_the_copy(city, budget, draft_order, returned):
    source = returned(lines=[OrderLineInput(creditor=budget.creditor, amount=2_000_000)])
    decide(draft_order(lines=[OrderLineInput(creditor=budget.creditor, amount=1_500_000)]))  # holds 1.5M of the 3M
    count = (Document.objects.count(), PaymentOrder.objects.count())
    with pytest.raises(ValidationFailed, match="予算残額が不足しています"):
        payment_order_redraft(actor=city.drafter, order=source)
    assert (Document.objects.count(), PaymentOrder.objects.count()) == count
    assert not AuditEntry.objects.filter(action="finance.payment_order.redraft").exists()


def test_a_passed_payment_date_moves_to_a_bank_business_day_from_today(city, budget, returned):
    source = returned()
    later = next_bank_business_day(source.payment_date + dt.timedelta(days=3))
    made = payment_order_redraft(actor=city.drafter, order=source, on=later)
    assert made.payment_date == later
    assert made.document.drafted_on == later


def test_the_returned_orders_page_offers_the_button_and_it_opens_the_new_draft(city, returned):
    source = returned()
    page = client_for(city.drafter).get(reverse("finance:payment_order", args=[source.pk]))
    assert "この内容で起案し直す" in page.content.decode()
    url = reverse("finance:payment_order_redraft", args=[source.pk])
    assert client_for(city.drafter, csrf=True).post(url).status_code == 403  # no CSRF token
    assert client_for(city.drafter).get(url).status_code == 405
    response = client_for(city.drafter).post(url)
    made = PaymentOrder.objects.exclude(pk=source.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("finance:payment_order_edit", args=[made.pk])
    shown = client_for(city.drafter).get(reverse("finance:payment_order", args=[source.pk])).content.decode()
    assert 'data-testid="redraft"' not in shown  # once drafted again, the page links the copy instead
    assert 'data-testid="redraft-link"' in shown and reverse("finance:payment_order", args=[made.pk]) in shown


def test_the_button_is_not_offered_before_a_return_and_a_refused_post_says_why(city, draft_order):
    order = draft_order()
    decide(order)
    page = client_for(city.drafter).get(reverse("finance:payment_order", args=[order.pk]))
    assert "この内容で起案し直す" not in page.content.decode()
    response = client_for(city.drafter).post(reverse("finance:payment_order_redraft", args=[order.pk]), follow=True)
    assert "返付した支出命令だけ" in response.content.decode()
    assert PaymentOrder.objects.count() == 1


def test_the_api_drafts_a_returned_order_again(city, returned):
    source = returned()
    response = finance_api(city.drafter, "post", f"/payment-orders/{source.pk}/redraft")
    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["total_amount"]) == ("draft", 110_000)
    assert response.json()["id"] != source.pk
    refused = finance_api(city.outsider, "post", f"/payment-orders/{source.pk}/redraft")
    assert refused.status_code == 404


# --- 3. a payee's bank branch that no longer exists ---------------------------------------------

GONE_BRANCH = "998"


def _drop_branch(creditor) -> None:
    """The branch of the creditor's account is closed: its stored code is no longer in zengin-code."""
    with pytest.raises(ValidationFailed):
        banks.branch("0001", GONE_BRANCH)
    CreditorBankAccount.objects.filter(creditor=creditor).update(branch_code=GONE_BRANCH)


def test_drafting_to_an_account_at_a_closed_branch_is_refused_naming_line_and_creditor(
    city, budget, second_creditor, draft_order
):
    _drop_branch(second_creditor)
    count = PaymentOrder.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        draft_order(kind="collective", lines=_collective_lines(budget, second_creditor))
    assert caught.value.message.startswith(
        f"明細2行目: 債権者「鈴木一郎」の振込口座（{second_creditor.bank_accounts.get().bank_name}"
    )
    assert f"支店コード{GONE_BRANCH}）の金融機関・支店は現在ありません" in caught.value.message
    assert caught.value.field == "lines.2.bank_account"
    assert PaymentOrder.objects.count() == count
    cash = draft_order(kind="collective", lines=_collective_lines(budget, second_creditor), payment_method="cash")
    assert cash.total_amount == 438_000  # 窓口払 pays no account


def test_updating_a_draft_whose_payee_branch_closed_is_refused(city, budget, draft_order):
    order = draft_order()
    _drop_branch(budget.creditor)
    with pytest.raises(ValidationFailed, match="明細1行目: 債権者「株式会社ヤマダ商事」の振込口座"):
        payment_order_update(actor=city.drafter, order=order, description="4月分")


# --- 4. a drafter who changes section ----------------------------------------------------------


def test_a_draft_stays_charged_to_its_section_after_the_drafter_moves(city, budget, draft_order):
    zaisei = services.allotment_set(actor=budget.staff, line=budget.line, section=city.units.zaisei, amount=1_000_000)
    order = draft_order()
    assert (order.section, order.allotment) == (city.units.soumu, budget.allotment)
    org_services.assignment_create(
        actor=SETUP,
        user=city.drafter,
        unit=city.units.zaisei,
        post=city.posts["shuji"],
        valid_from=timezone.localdate(),
    )
    changed = payment_order_update(
        actor=city.drafter, order=order, lines=[OrderLineInput(creditor=budget.creditor, amount=220_000)]
    )
    changed = PaymentOrder.objects.get(pk=changed.pk)
    assert (changed.section, changed.allotment_id, changed.total_amount) == (
        city.units.soumu,
        budget.allotment.pk,
        220_000,
    )
    assert changed.allotment_id != zaisei.pk
    assert Allotment.objects.get(pk=zaisei.pk).section == city.units.zaisei


# --- 5. the personal-information access record ----------------------------------------------


def _views(document_id: int) -> int:
    return AuditEntry.objects.filter(action="documents.document.view", object_id=str(document_id)).count()


def test_viewing_an_order_marked_personal_records_the_access(city, draft_order):
    order = draft_order()
    plain = _views(order.document_id)
    assert client_for(city.drafter).get(reverse("finance:payment_order", args=[order.pk])).status_code == 200
    assert finance_api(city.drafter, "get", f"/payment-orders/{order.pk}").status_code == 200
    assert _views(order.document_id) == plain  # not marked: nothing recorded
    Document.objects.filter(pk=order.document_id).update(has_personal_info=True)
    assert client_for(city.drafter).get(reverse("finance:payment_order", args=[order.pk])).status_code == 200
    assert _views(order.document_id) == plain + 1
    assert finance_api(city.drafter, "get", f"/payment-orders/{order.pk}").status_code == 200
    assert _views(order.document_id) == plain + 2
    entry = AuditEntry.objects.filter(action="documents.document.view", object_id=str(order.document_id)).last()
    assert entry is not None and entry.actor_id == city.drafter.pk


# --- 6. the consumption tax per line on the order form ----------------------------------------


def _form_post(budget, *rows: tuple[str, str], **overrides: str) -> dict[str, str]:
    """The order form as posted: a combined order with rows of (amount, tax amount) at 10%."""
    today = timezone.localdate()
    data = {
        "title": "消耗品の代金の支払について",
        "kind": "combined",
        "encumbrance": "",
        "line": str(budget.line.pk),
        "payment_method": "transfer",
        "payment_date": pay_day().isoformat(),
        "inspection_date": today.isoformat(),
        "invoice_received_on": today.isoformat(),
        "description": "",
        "form_token": secrets.token_urlsafe(16),
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
    }
    for i, (amount, tax) in enumerate(rows):
        data |= {
            f"lines-{i}-creditor": str(budget.creditor.pk),
            f"lines-{i}-description": "",
            f"lines-{i}-amount": amount,
            f"lines-{i}-tax_rate": "10",
            f"lines-{i}-tax_amount": tax,
            f"lines-{i}-withholding": "",
        }
    return data | overrides


def _field_error(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="doc-field__error" id="{field_id}_error">([^<]*)</p>', html)
    assert match, f"no error next to {field_id}"
    return match.group(1)


def _tax_input(html: str, row: int) -> str:
    tag = re.search(rf'<input[^>]*name="lines-{row}-tax_amount"[^>]*>', html)
    assert tag, "no 消費税額 input"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def test_the_order_form_takes_a_tax_amount_per_line_blank_is_computed(city, budget):
    client = client_for(city.drafter)
    page = client.get(reverse("finance:payment_order_new")).content.decode()
    assert "うち消費税額（円）" in page and _tax_input(page, 0) == ""
    response = client.post(
        reverse("finance:payment_order_new"), _form_post(budget, ("110,000", "9,999"), ("55,000", ""))
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    order = PaymentOrder.objects.get()
    assert list(order.lines.order_by("position").values_list("amount", "tax_amount")) == [
        (110_000, 9_999),
        (55_000, 5_000),
    ]


def test_a_tax_amount_that_does_not_match_shows_next_to_the_line_and_saves_nothing(city, budget):
    response = client_for(city.drafter).post(
        reverse("finance:payment_order_new"), _form_post(budget, ("110,000", "9,000"))
    )
    assert response.status_code == 400
    message = _field_error(response.content.decode(), "id_lines-0-tax_amount")
    assert message.startswith("明細1行目: 消費税額（9,000円）が金額110,000円の10%分（10,000円）と合いません")
    assert not PaymentOrder.objects.exists()


def test_correcting_shows_a_given_tax_and_recomputes_a_blank_one(city, budget, draft_order):
    given = draft_order(lines=[OrderLineInput(creditor=budget.creditor, amount=110_000, tax_amount=9_999)])
    computed = draft_order()
    client = client_for(city.drafter)
    assert _tax_input(client.get(reverse("finance:payment_order_edit", args=[given.pk])).content.decode(), 0) == "9,999"
    assert _tax_input(client.get(reverse("finance:payment_order_edit", args=[computed.pk])).content.decode(), 0) == ""
    response = client.post(reverse("finance:payment_order_edit", args=[given.pk]), _form_post(budget, ("220,000", "")))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(given.lines.values_list("amount", "tax_amount")) == [(220_000, 20_000)]
