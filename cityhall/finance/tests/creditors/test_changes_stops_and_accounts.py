"""Creditor maintenance (債権者の変更・停止): edit, stop and restart, bank accounts, normalised duplicates."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus
from cityhall.finance import services
from cityhall.finance.models import Creditor, CreditorBankAccount, PaymentBatch, PaymentOrderLine
from cityhall.finance.selectors.creditors import similar_creditors
from cityhall.finance.services.batches import batch_export, batch_mark_paid
from cityhall.finance.services.creditor_accounts import (
    creditor_bank_account_deactivate,
    creditor_bank_account_reactivate,
    creditor_bank_account_set_default,
)
from cityhall.finance.services.creditors import creditor_deactivate, creditor_reactivate, creditor_update
from cityhall.finance.services.review import order_review_approve, order_review_return
from cityhall.finance.zengin import read_zengin
from cityhall.testing.engine import decide
from cityhall.testing.finance import pay_day
from cityhall.testing.web import client_for, finance_api

pytestmark = pytest.mark.django_db

YAMADA: dict[str, Any] = {
    "name": "株式会社ヤマダ商事",
    "kana": "ヤマダショウジ",
    "address": "東京都千代田区",
    "invoice_registration_number": "T7000012050002",
    "is_individual": False,
}


def _other(budget, **kw) -> Creditor:
    args: dict[str, Any] = {"code": "200001", "name": "緑野文具", "kana": "ミドリノブング"}
    return services.creditor_create(actor=budget.staff, **(args | kw)).creditor


def _update(budget, **kw):
    return creditor_update(actor=budget.staff, creditor=budget.creditor, **(YAMADA | kw))


def _second_account(budget, number: str = "2345678") -> CreditorBankAccount:
    return services.creditor_bank_account_add(
        actor=budget.staff,
        creditor=budget.creditor,
        data=services.BankAccountInput("0005", "001", "1", number, "カブシキガイシャヤマダショウジ"),
    )


def _stop(budget, account: CreditorBankAccount, creditor: Creditor | None = None):
    return creditor_bank_account_deactivate(
        actor=budget.staff, creditor=creditor or budget.creditor, account_id=account.pk
    )


def _restart(budget, account: CreditorBankAccount, creditor: Creditor | None = None):
    return creditor_bank_account_reactivate(
        actor=budget.staff, creditor=creditor or budget.creditor, account_id=account.pk
    )


def _fresh(account: CreditorBankAccount) -> CreditorBankAccount:
    return CreditorBankAccount.objects.get(pk=account.pk)


def _pay(treasurer, order) -> None:
    """Approve the order, export its batch and mark it paid (支払済)."""
    batch = order_review_approve(actor=treasurer, order=order).batch
    assert batch is not None
    batch_export(actor=treasurer, batch=batch)
    batch_mark_paid(actor=treasurer, batch=batch)


def _reload(creditor: Creditor) -> Creditor:
    return Creditor.objects.get(pk=creditor.pk)


# --- 変更 ---------------------------------------------------------------------------


def test_update_writes_only_changed_fields_and_audits_before_and_after(budget):
    result = _update(budget, name="株式会社ヤマダ商事ホールディングス", address="東京都港区 1-1 ")
    creditor = _reload(budget.creditor)
    assert (creditor.name, creditor.address, creditor.code) == (
        "株式会社ヤマダ商事ホールディングス",
        "東京都港区 1-1",
        "100001",
    )
    assert result.warning == ""
    entry = AuditEntry.objects.get(action="finance.creditor.update", object_id=str(creditor.pk))
    assert json.loads(entry.before) == {"name": "株式会社ヤマダ商事", "address": "東京都千代田区"}
    assert json.loads(entry.after) == {"name": "株式会社ヤマダ商事ホールディングス", "address": "東京都港区 1-1"}


def test_update_without_changes_writes_no_audit_entry(budget):
    _update(budget)
    assert not AuditEntry.objects.filter(action="finance.creditor.update").exists()


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"name": " "}, "name", "名称を入力"),
        ({"kana": ""}, "kana", "フリガナを入力"),
        ({"invoice_registration_number": "T1234567890123"}, "invoice_registration_number", "チェックデジット"),
        ({"invoice_registration_number": "7000012050002"}, "invoice_registration_number", "「T」と13桁"),
        ({"name": "ア" * 201}, "name", ""),
    ],
)
def test_update_is_checked_like_registration_and_changes_nothing(budget, kwargs, field, text):
    with pytest.raises(ValidationFailed) as caught:
        _update(budget, **kwargs)
    assert caught.value.field == field
    assert text in caught.value.message
    assert _reload(budget.creditor).name == "株式会社ヤマダ商事"
    assert not AuditEntry.objects.filter(action="finance.creditor.update").exists()


def test_an_individual_gets_the_check_digit_warning_on_update(budget):
    result = _update(budget, invoice_registration_number="T1234567890123", is_individual=True)
    assert "国税庁" in result.warning
    assert _reload(budget.creditor).invoice_registration_number == "T1234567890123"


def test_update_refuses_another_creditors_registration_number(budget):
    other = services.creditor_create(
        actor=budget.staff,
        code="200001",
        name="緑野文具",
        kana="ミドリノブング",
        invoice_registration_number="T8000012050001",
    ).creditor
    with pytest.raises(ValidationFailed) as caught:
        _update(budget, invoice_registration_number="T8000012050001")
    assert caught.value.field == "invoice_registration_number"
    assert caught.value.extra == {"existing": other.pk}
    assert "200001 緑野文具" in caught.value.message
    assert _reload(budget.creditor).invoice_registration_number == "T7000012050002"


def test_only_accounting_staff_maintain_creditors(city, budget):
    for attempt in (
        lambda: creditor_update(actor=city.drafter, creditor=budget.creditor, **YAMADA),
        lambda: creditor_deactivate(actor=city.drafter, creditor=budget.creditor),
        lambda: creditor_reactivate(actor=city.drafter, creditor=budget.creditor),
        lambda: creditor_bank_account_set_default(actor=city.drafter, creditor=budget.creditor, account_id=1),
        lambda: creditor_bank_account_deactivate(actor=city.drafter, creditor=budget.creditor, account_id=1),
        lambda: creditor_bank_account_reactivate(actor=city.drafter, creditor=budget.creditor, account_id=1),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert not AuditEntry.objects.filter(action__startswith="finance.creditor.", actor_label=city.drafter.username)


# --- 停止・再開 ---------------------------------------------------------------------


def test_deactivate_and_reactivate_are_audited_and_idempotent(budget):
    assert creditor_deactivate(actor=budget.staff, creditor=budget.creditor).is_active is False
    creditor_deactivate(actor=budget.staff, creditor=budget.creditor)
    assert AuditEntry.objects.filter(action="finance.creditor.deactivate").count() == 1
    entry = AuditEntry.objects.get(action="finance.creditor.deactivate")
    assert (json.loads(entry.before), json.loads(entry.after)) == ({"is_active": True}, {"is_active": False})
    assert creditor_reactivate(actor=budget.staff, creditor=budget.creditor).is_active is True
    assert AuditEntry.objects.filter(action="finance.creditor.reactivate").count() == 1


def test_a_stopped_creditor_cannot_be_used_in_a_new_order(budget, draft_order):
    creditor_deactivate(actor=budget.staff, creditor=budget.creditor)
    with pytest.raises(ValidationFailed, match="無効"):
        draft_order(lines=[services.OrderLineInput(creditor=_reload(budget.creditor), amount=1_000)])


def test_deactivate_is_refused_while_undecided_or_unpaid_orders_use_it(budget, draft_order, decided_order):
    draft = draft_order(title="未決裁の支払")
    decided_order(title="未払の支払")
    with pytest.raises(Conflict) as caught:
        creditor_deactivate(actor=budget.staff, creditor=budget.creditor)
    message = caught.value.message
    assert "未決裁または未払の支出命令 2件" in message
    label = Document.objects.get(pk=draft.document_id).number_label or "未決裁の支払"
    assert label in message
    assert caught.value.extra == {"orders": 2}
    assert _reload(budget.creditor).is_active
    assert not AuditEntry.objects.filter(action="finance.creditor.deactivate").exists()


def test_deactivate_is_refused_while_an_encumbrance_is_undecided(budget, encumber):
    encumber(amount=10_000, title="未決裁の負担行為")
    with pytest.raises(Conflict, match="未決裁の支出負担行為 1件"):
        creditor_deactivate(actor=budget.staff, creditor=budget.creditor)


def test_withdrawn_returned_and_paid_orders_do_not_hold_a_creditor(
    city, budget, draft_order, decided_order, treasurer, zengin_files
):
    withdrawn = draft_order()
    doc = Document.objects.get(pk=withdrawn.document_id)
    docs.withdraw(actor=city.drafter, document=doc, expected_version=doc.version)
    assert Document.objects.get(pk=doc.pk).status == DocumentStatus.WITHDRAWN
    order_review_return(actor=treasurer, order=decided_order(), reason="請求書の金額が違います")
    _pay(treasurer, decided_order(payment_date=pay_day()))
    assert creditor_deactivate(actor=budget.staff, creditor=budget.creditor).is_active is False


# --- 口座 ---------------------------------------------------------------------------


def test_change_the_default_account(budget):
    first = budget.creditor.bank_accounts.get()
    second = _second_account(budget)
    assert not CreditorBankAccount.objects.get(pk=first.pk).is_default
    creditor_bank_account_set_default(actor=budget.staff, creditor=budget.creditor, account_id=first.pk)
    assert list(budget.creditor.bank_accounts.filter(is_default=True)) == [first]
    entry = AuditEntry.objects.get(action="finance.creditor.bank_account.default")
    assert json.loads(entry.before) == {"default_account": second.pk}
    assert json.loads(entry.after) == {"default_account": first.pk}


def test_another_creditors_account_is_not_found(budget):
    other = services.creditor_create(
        actor=budget.staff,
        code="200001",
        name="緑野文具",
        kana="ミドリノブング",
        bank_account=services.BankAccountInput("0005", "001", "1", "1111111", "ミドリノブング"),
    ).creditor
    account = other.bank_accounts.get()
    with pytest.raises(ValidationFailed, match="口座が見つかりません"):
        creditor_bank_account_set_default(actor=budget.staff, creditor=budget.creditor, account_id=account.pk)
    with pytest.raises(ValidationFailed, match="口座が見つかりません"):
        _stop(budget, account)
    with pytest.raises(ValidationFailed, match="口座が見つかりません"):
        _restart(budget, account)
    assert _fresh(account).is_active


def test_stopping_the_default_account_keeps_it_and_hands_the_default_on(budget):
    first = budget.creditor.bank_accounts.get()
    second = _second_account(budget)  # the default now
    result = _stop(budget, second)
    assert (result.account, result.default) == (second, first)
    stopped = _fresh(second)
    assert (stopped.is_active, stopped.is_default) == (False, False)
    assert _fresh(first).is_default
    entry = AuditEntry.objects.get(action="finance.creditor.bank_account.deactivate")
    assert entry.object_id == str(second.pk)
    assert json.loads(entry.before) == {"is_active": True, "is_default": True}
    assert json.loads(entry.after) == {"is_active": False, "is_default": False, "default_account": first.pk}
    assert _stop(budget, second).default == first  # idempotent: no second entry
    assert AuditEntry.objects.filter(action="finance.creditor.bank_account.deactivate").count() == 1


def test_stopping_a_non_default_account_leaves_the_default(budget):
    first = budget.creditor.bank_accounts.get()
    second = _second_account(budget)
    assert _stop(budget, first).default == second
    assert _fresh(second).is_default and not _fresh(first).is_active


def test_stopping_the_only_account_leaves_no_default(budget):
    account = budget.creditor.bank_accounts.get()
    assert _stop(budget, account).default is None
    assert not budget.creditor.bank_accounts.filter(is_default=True).exists()


def test_an_account_an_unpaid_order_pays_to_is_not_stopped(budget, decided_order):
    account = budget.creditor.bank_accounts.get()
    order = decided_order()
    _second_account(budget)
    with pytest.raises(Conflict) as caught:
        _stop(budget, account)
    assert "1234567" in caught.value.message
    assert "未決裁または未払の支出命令 1件" in caught.value.message
    assert Document.objects.get(pk=order.document_id).number_label in caught.value.message
    assert caught.value.extra == {"orders": 1}
    assert _fresh(account).is_active
    assert not AuditEntry.objects.filter(action="finance.creditor.bank_account.deactivate").exists()


def test_an_account_paid_orders_used_is_stopped_and_their_history_keeps_it(
    staff_client, city, budget, decided_order, treasurer, zengin_files
):
    account = budget.creditor.bank_accounts.get()
    order = decided_order()
    _pay(treasurer, order)
    _second_account(budget)
    assert not _stop(budget, account).account.is_active
    assert PaymentOrderLine.objects.get(order=order).bank_account_id == account.pk
    # The order's page still shows the account it paid to.
    staff_client.force_login(city.drafter)
    html = staff_client.get(reverse("finance:payment_order", args=[order.pk])).content.decode()
    assert "***4567" in html


def test_a_stopped_account_may_be_registered_for_another_creditor_and_then_not_restarted(budget):
    account = budget.creditor.bank_accounts.get()
    same = services.BankAccountInput("0001", "001", "1", "1234567", "ミドリノブング")
    with pytest.raises(ValidationFailed, match="100001 株式会社ヤマダ商事"):
        _other(budget, bank_account=same)
    _stop(budget, account)
    other = _other(budget, bank_account=same)
    assert other.bank_accounts.get().account_number == account.account_number
    with pytest.raises(Conflict) as caught:
        _restart(budget, account)
    assert "債権者「200001 緑野文具」" in caught.value.message and "再開できません" in caught.value.message
    assert caught.value.extra == {"existing": other.pk}
    assert not _fresh(account).is_active
    assert not AuditEntry.objects.filter(action="finance.creditor.bank_account.reactivate").exists()


def test_restart_takes_the_default_only_when_there_is_none(budget):
    first = budget.creditor.bank_accounts.get()
    _stop(budget, first)
    result = _restart(budget, first)
    assert (result.account.is_active, result.account.is_default, result.default) == (True, True, first)
    entry = AuditEntry.objects.get(action="finance.creditor.bank_account.reactivate")
    assert json.loads(entry.before) == {"is_active": False, "is_default": False}
    assert json.loads(entry.after) == {"is_active": True, "is_default": True}
    _stop(budget, first)
    second = _second_account(budget)
    result = _restart(budget, first)
    assert (result.account.is_default, result.default) == (False, second)
    assert _fresh(second).is_default and _fresh(first).is_active


def test_a_stopped_account_cannot_be_made_the_default(budget):
    first = budget.creditor.bank_accounts.get()
    _second_account(budget)
    _stop(budget, first)
    with pytest.raises(Conflict, match="停止中のため既定にできません"):
        creditor_bank_account_set_default(actor=budget.staff, creditor=budget.creditor, account_id=first.pk)
    assert not _fresh(first).is_default
    assert not AuditEntry.objects.filter(action="finance.creditor.bank_account.default").exists()


def test_an_order_draft_never_picks_a_stopped_account(budget, draft_order):
    first = budget.creditor.bank_accounts.get()
    second = _second_account(budget)
    _stop(budget, second)  # the default: the first takes over
    creditor_bank_account_set_default(actor=budget.staff, creditor=budget.creditor, account_id=first.pk)
    assert PaymentOrderLine.objects.get(order=draft_order()).bank_account_id == first.pk
    # Even a stale default flag does not pick a stopped account.
    CreditorBankAccount.objects.filter(pk=second.pk).update(is_default=True)
    assert PaymentOrderLine.objects.get(order=draft_order()).bank_account_id == first.pk


def test_a_creditor_whose_accounts_are_all_stopped_cannot_be_paid_by_transfer(budget, draft_order):
    _stop(budget, budget.creditor.bank_accounts.get())
    with pytest.raises(ValidationFailed, match="明細1行目: 債権者「株式会社ヤマダ商事」の振込口座はすべて停止中です"):
        draft_order()


def test_an_explicitly_given_stopped_account_is_refused(budget, draft_order):
    first = budget.creditor.bank_accounts.get()
    _second_account(budget)
    _stop(budget, first)
    line = services.OrderLineInput(creditor=budget.creditor, amount=1_000, bank_account=_fresh(first))
    with pytest.raises(ValidationFailed) as caught:
        draft_order(lines=[line])
    assert caught.value.message == "明細1行目: 口座（みずほ 東京営業部 1234567）は停止中です。"
    assert caught.value.field == "lines.1.bank_account"


def test_the_api_refuses_a_stopped_account_for_an_order_line(city, budget):
    first = budget.creditor.bank_accounts.get()
    _second_account(budget)
    _stop(budget, first)
    today = timezone.localdate().isoformat()
    body = {
        "title": "消耗品の代金の支払について",
        "kind": "combined",
        "line_id": budget.line.pk,
        "lines": [{"creditor_id": budget.creditor.pk, "amount": 110_000, "bank_account_id": first.pk}],
        "payment_date": pay_day().isoformat(),
        "inspection_date": today,
        "invoice_received_on": today,
    }
    refused = finance_api(city.drafter, "post", "/payment-orders", body)
    assert refused.status_code == 400 and "は停止中です。" in refused.json()["detail"]


def test_an_approved_order_pays_to_the_account_recorded_on_its_line(budget, decided_order, treasurer, zengin_files):
    """The export pays to the account the order was reviewed with, whatever happened to it since.

    Stopping it is refused while the order is unpaid; a stop that got through anyway (a flag
    set outside the services) does not redirect the payment to another account.
    """
    account = budget.creditor.bank_accounts.get()
    batch = order_review_approve(actor=treasurer, order=decided_order()).batch
    assert batch is not None
    _second_account(budget, number="7654321")
    with pytest.raises(Conflict, match="未決裁または未払の支出命令 1件"):
        _stop(budget, account)
    CreditorBankAccount.objects.filter(pk=account.pk).update(is_active=False, is_default=False)
    content = batch_export(actor=treasurer, batch=batch).content
    year = PaymentBatch.objects.get(pk=batch.pk).payment_date.year
    parsed = read_zengin(io.BytesIO(content), year=year)
    assert [t.account_number for t in parsed.transfers] == ["1234567"]


# --- 重複の警告 (normalised names) ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kana"),
    [
        ("㈱ヤマダ商事", "ベツノカナ"),
        ("（株）ヤマダ商事", "ベツノカナ"),
        ("ヤマダ商事 株式会社", "ベツノカナ"),
        ("ﾔﾏﾀﾞ商事", "ベツノカナ"),
        ("別の名前", "ｶﾌﾞｼｷｶﾞｲｼｬ ﾔﾏﾀﾞｼｮｳｼﾞ"),
        ("別の名前", "やまだしょうじ"),
        ("別の名前", "ﾔﾏﾀﾞｼﾖｳｼﾞ"),
    ],
)
def test_similar_names_are_found_after_normalisation(budget, name, kana):
    other = _other(budget, name=name, kana=kana)
    assert similar_creditors(budget.staff, other) == [budget.creditor]


def test_different_names_are_not_similar(budget):
    other = _other(budget, name="ヤマダ商店", kana="ヤマダショウテン")
    assert similar_creditors(budget.staff, other) == []


def test_the_api_flags_a_normalised_duplicate_on_registration(budget):
    made = finance_api(budget.staff, "post", "/creditors", {"code": "200001", "name": "㈱ヤマダ商事", "kana": "ベツ"})
    assert made.status_code == 201, made.content
    assert [s["code"] for s in made.json()["similar"]] == ["100001"]


# --- screens -----------------------------------------------------------------------


@pytest.fixture
def staff_client(client, budget):
    client.force_login(budget.staff)
    return client


def _edit_post(**kw: Any) -> dict[str, Any]:
    return YAMADA | {"is_individual": ""} | kw


def test_the_detail_page_offers_edit_stop_and_account_buttons(staff_client, budget):
    _second_account(budget)
    html = staff_client.get(reverse("finance:creditor", args=[budget.creditor.pk])).content.decode()
    assert reverse("finance:creditor_edit", args=[budget.creditor.pk]) in html
    assert reverse("finance:creditor_deactivate", args=[budget.creditor.pk]) in html
    first = budget.creditor.bank_accounts.order_by("pk").first()
    assert reverse("finance:creditor_account_default", args=[budget.creditor.pk, first.pk]) in html
    assert html.count("csrfmiddlewaretoken") >= 5


def test_edit_page_saves_and_warns_of_a_normalised_duplicate(staff_client, budget):
    _other(budget, name="㈱ミドリ", kana="ミドリ")
    url = reverse("finance:creditor_edit", args=[budget.creditor.pk])
    assert 'value="株式会社ヤマダ商事"' in staff_client.get(url).content.decode()
    response = staff_client.post(url, _edit_post(name="株式会社 ミドリ"), follow=True)
    html = response.content.decode()
    assert "債権者「100001 株式会社 ミドリ」を変更しました。" in html
    assert "200001 ㈱ミドリ" in html and "重複していないか" in html
    assert _reload(budget.creditor).name == "株式会社 ミドリ"


def test_edit_page_shows_the_services_error_next_to_the_field(staff_client, budget):
    url = reverse("finance:creditor_edit", args=[budget.creditor.pk])
    response = staff_client.post(url, _edit_post(invoice_registration_number="T1234567890123"))
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(r'id="id_invoice_registration_number_error">([^<]*)<', html)
    assert error and "チェックデジット" in error.group(1)
    assert "登録番号（適格請求書発行事業者）：" in html  # the summary names the field
    response = staff_client.post(url, _edit_post(name=""))
    assert response.status_code == 400
    assert "名称を入力してください。" in response.content.decode()
    assert _reload(budget.creditor).invoice_registration_number == "T7000012050002"


def test_stop_button_refusal_names_the_orders_and_is_not_200(staff_client, budget, decided_order):
    order = decided_order()
    response = staff_client.post(reverse("finance:creditor_deactivate", args=[budget.creditor.pk]))
    assert response.status_code == 409
    html = response.content.decode()
    assert "未決裁または未払の支出命令 1件" in html
    assert Document.objects.get(pk=order.document_id).number_label in html


def test_stop_and_restart_buttons(staff_client, budget):
    url = reverse("finance:creditor_deactivate", args=[budget.creditor.pk])
    html = staff_client.post(url, follow=True).content.decode()
    assert "を停止しました。" in html and 'data-testid="inactive"' in html
    assert reverse("finance:creditor_reactivate", args=[budget.creditor.pk]) in html
    staff_client.post(reverse("finance:creditor_reactivate", args=[budget.creditor.pk]))
    assert _reload(budget.creditor).is_active


def test_account_buttons_change_the_default_stop_and_restart(staff_client, budget):
    first = budget.creditor.bank_accounts.get()
    second = _second_account(budget)
    pk = budget.creditor.pk
    staff_client.post(reverse("finance:creditor_account_default", args=[pk, first.pk]))
    assert _fresh(first).is_default
    response = staff_client.post(reverse("finance:creditor_account_deactivate", args=[pk, first.pk]), follow=True)
    html = response.content.decode()
    assert "口座（みずほ 東京営業部 普通 1234567）を停止しました。" in html
    assert "既定の振込先は「" in html and "2345678" in html
    assert not _fresh(first).is_active and _fresh(second).is_default
    # The stopped account is marked and offers only 「再開する」.
    assert 'data-testid="account-stopped"' in html and "停止中" in html
    assert reverse("finance:creditor_account_reactivate", args=[pk, first.pk]) in html
    assert reverse("finance:creditor_account_deactivate", args=[pk, first.pk]) not in html
    assert reverse("finance:creditor_account_default", args=[pk, first.pk]) not in html
    assert reverse("finance:creditor_account_deactivate", args=[pk, second.pk]) in html
    response = staff_client.post(reverse("finance:creditor_account_reactivate", args=[pk, first.pk]), follow=True)
    assert "を再開しました。" in response.content.decode()
    assert _fresh(first).is_active and not _fresh(first).is_default


def test_account_stop_refusal_is_shown_and_not_200(staff_client, budget, decided_order):
    account = budget.creditor.bank_accounts.get()
    decided_order()
    response = staff_client.post(reverse("finance:creditor_account_deactivate", args=[budget.creditor.pk, account.pk]))
    assert response.status_code == 409
    assert "未決裁または未払の支出命令 1件" in response.content.decode()
    assert _fresh(account).is_active


def test_the_list_shows_an_account_in_use_first_and_marks_a_stopped_one(staff_client, budget):
    first = budget.creditor.bank_accounts.get()
    _stop(budget, first)
    html = staff_client.get(reverse("finance:creditors")).content.decode()
    assert "1234567 （停止中）" in html
    _second_account(budget)
    html = staff_client.get(reverse("finance:creditors")).content.decode()
    assert "2345678" in html and "1234567" not in html


def test_the_buttons_need_csrf_and_the_accounting_role(city, budget):
    pk = budget.creditor.pk
    strict = client_for(budget.staff, csrf=True)
    assert strict.post(reverse("finance:creditor_deactivate", args=[pk])).status_code == 403
    clerk = client_for(city.drafter)
    assert clerk.get(reverse("finance:creditor_edit", args=[pk])).status_code == 404
    assert clerk.post(reverse("finance:creditor_deactivate", args=[pk])).status_code == 404
    assert client_for(budget.staff).get(reverse("finance:creditor_deactivate", args=[pk])).status_code == 405
    assert _reload(budget.creditor).is_active


# --- API ---------------------------------------------------------------------------


def test_api_update_stop_restart_and_accounts(budget, decided_order):
    pk = budget.creditor.pk
    changed = finance_api(budget.staff, "put", f"/creditors/{pk}", YAMADA | {"name": "ヤマダ商事株式会社"})
    assert changed.status_code == 200, changed.content
    assert (changed.json()["creditor"]["name"], changed.json()["warning"]) == ("ヤマダ商事株式会社", "")
    bad = finance_api(budget.staff, "put", f"/creditors/{pk}", YAMADA | {"kana": " "})
    assert (bad.status_code, bad.json()["field"]) == (400, "kana")
    order = decided_order()
    refused = finance_api(budget.staff, "post", f"/creditors/{pk}/deactivate")
    assert refused.status_code == 409
    assert Document.objects.get(pk=order.document_id).number_label in refused.json()["detail"]
    first = budget.creditor.bank_accounts.get()
    second = _second_account(budget)
    made_default = finance_api(budget.staff, "post", f"/creditors/{pk}/bank-accounts/{first.pk}/default")
    assert (made_default.status_code, made_default.json()["is_default"]) == (200, True)
    stopped = finance_api(budget.staff, "post", f"/creditors/{pk}/bank-accounts/{second.pk}/deactivate")
    assert stopped.status_code == 200, stopped.content
    assert (stopped.json()["account"]["is_active"], stopped.json()["default_account"]["id"]) == (False, first.pk)
    listed = finance_api(budget.staff, "get", "/creditors", {"q": "ヤマダ"}).json()["items"]
    accounts = {a["id"]: a["is_active"] for c in listed if c["id"] == pk for a in c["bank_accounts"]}
    assert accounts == {first.pk: True, second.pk: False}
    refused = finance_api(budget.staff, "post", f"/creditors/{pk}/bank-accounts/{second.pk}/default")
    assert refused.status_code == 409 and "停止中" in refused.json()["detail"]
    restarted = finance_api(budget.staff, "post", f"/creditors/{pk}/bank-accounts/{second.pk}/reactivate")
    assert restarted.status_code == 200, restarted.content
    assert (restarted.json()["account"]["is_active"], restarted.json()["account"]["is_default"]) == (True, False)
    assert restarted.json()["default_account"]["id"] == first.pk
    in_use = finance_api(budget.staff, "post", f"/creditors/{pk}/bank-accounts/{first.pk}/deactivate")
    assert in_use.status_code == 409 and "未決裁または未払の支出命令 1件" in in_use.json()["detail"]


def test_api_stop_and_restart(budget):
    pk = budget.creditor.pk
    stopped = finance_api(budget.staff, "post", f"/creditors/{pk}/deactivate")
    assert (stopped.status_code, stopped.json()["is_active"]) == (200, False)
    restarted = finance_api(budget.staff, "post", f"/creditors/{pk}/reactivate")
    assert (restarted.status_code, restarted.json()["is_active"]) == (200, True)


def test_api_maintenance_is_for_accounting_staff_only(city, budget):
    pk = budget.creditor.pk
    account = budget.creditor.bank_accounts.get()
    assert finance_api(city.drafter, "put", f"/creditors/{pk}", YAMADA | {"name": "X"}).status_code == 404
    assert finance_api(city.drafter, "post", f"/creditors/{pk}/deactivate").status_code == 404
    assert finance_api(city.drafter, "post", f"/creditors/{pk}/bank-accounts/{account.pk}/default").status_code == 404
    for act in ("deactivate", "reactivate"):
        assert finance_api(city.drafter, "post", f"/creditors/{pk}/bank-accounts/{account.pk}/{act}").status_code == 404
    assert _reload(budget.creditor).is_active and _reload(budget.creditor).name == "株式会社ヤマダ商事"


# --- review fixes: audit of an individual's accounts, stranded encumbrances, PUT ----------------------------


def _individual(budget) -> Creditor:
    """鈴木一郎 (個人事業者) with one account."""
    return services.creditor_create(
        actor=budget.staff, code="300001", name="鈴木一郎", kana="スズキイチロウ", address="東京都港区",
        is_individual=True,
        bank_account=services.BankAccountInput("0005", "001", "1", "7654321", "スズキ イチロウ"),
    ).creditor  # fmt: skip


def _views(creditor: Creditor) -> list[dict[str, Any]]:
    rows = AuditEntry.objects.filter(action="finance.creditor.view", object_id=str(creditor.pk)).order_by("seq")
    return [json.loads(after) for after in rows.values_list("after", flat=True)]


def test_every_api_answer_with_an_individuals_accounts_is_audited(budget):
    person = _individual(budget)
    pk, account = person.pk, person.bank_accounts.get().pk
    body = {"name": "鈴木一郎", "kana": "スズキイチロウ", "address": "東京都港区", "invoice_registration_number": ""}
    for method, path, data in [
        ("put", f"/creditors/{pk}", body | {"is_individual": True, "address": "東京都港区 2-2"}),
        ("post", f"/creditors/{pk}/deactivate", None),
        ("post", f"/creditors/{pk}/reactivate", None),
        ("post", f"/creditors/{pk}/bank-accounts/{account}/default", None),
        ("post", f"/creditors/{pk}/bank-accounts/{account}/deactivate", None),
        ("post", f"/creditors/{pk}/bank-accounts/{account}/reactivate", None),
    ]:
        before = len(_views(person))
        response = finance_api(budget.staff, method, path, data)
        assert response.status_code == 200, (path, response.content)
        assert "7654321" in response.content.decode()
        assert _views(person)[before:] == [{"code": "300001", "where": "api"}], path
    # A company's accounts are not personal information; an individual made a company is audited once more.
    finance_api(budget.staff, "post", f"/creditors/{budget.creditor.pk}/deactivate")
    assert _views(budget.creditor) == []
    made_company = finance_api(budget.staff, "put", f"/creditors/{pk}", body | {"is_individual": False})
    assert made_company.status_code == 200 and len(_views(person)) == 7


def test_a_refused_button_or_account_shows_an_individuals_accounts_with_an_audit_entry(
    staff_client, budget, draft_order
):
    person = _individual(budget)
    draft_order(lines=[services.OrderLineInput(creditor=person, amount=10_000)])
    refused = staff_client.post(reverse("finance:creditor_deactivate", args=[person.pk]))
    assert refused.status_code == 409 and "7654321" in refused.content.decode()
    assert _views(person) == [{"code": "300001", "where": "detail"}]
    taken = {"bank_code": "0001", "branch_code": "001", "account_type": "1", "account_number": "1234567"}
    added = staff_client.post(
        reverse("finance:creditor_account_add", args=[person.pk]), taken | {"holder_name": "スズキ イチロウ"}
    )
    assert added.status_code == 400 and "7654321" in added.content.decode()
    assert len(_views(person)) == 2
    invalid = staff_client.post(reverse("finance:creditor_account_add", args=[person.pk]), {"bank_code": ""})
    assert invalid.status_code == 400 and len(_views(person)) == 3


def _decided_encumbrance(encumber, amount: int = 100_000, title: str = "消耗品の購入について"):
    encumbrance = encumber(amount=amount, title=title)
    decide(encumbrance)
    return encumbrance


def test_stopping_is_refused_while_a_decided_encumbrance_has_an_amount_not_yet_ordered(
    city, budget, encumber, decided_order, treasurer, zengin_files
):
    first = _decided_encumbrance(encumber, title="第一の負担行為")
    _decided_encumbrance(encumber, title="第二の負担行為")
    _decided_encumbrance(encumber, title="第三の負担行為")
    with pytest.raises(Conflict) as caught:
        creditor_deactivate(actor=budget.staff, creditor=budget.creditor)
    message = caught.value.message
    assert "残額のある決裁済みの支出負担行為 3件" in message and " ほか" in message
    assert Document.objects.get(pk=first.document_id).number_label in message
    assert "減額・取消" in message
    assert caught.value.extra == {"encumbrances_with_rest": 3}
    assert _reload(budget.creditor).is_active
    assert not AuditEntry.objects.filter(action="finance.creditor.deactivate").exists()


def test_a_fully_ordered_and_paid_or_a_cancelled_encumbrance_does_not_hold_the_creditor(
    city, budget, encumber, decided_order, treasurer, zengin_files
):
    full = _decided_encumbrance(encumber, amount=100_000)
    order = decided_order(kind="linked", encumbrance=full, amounts=(60_000,), payment_date=pay_day())
    with pytest.raises(Conflict) as caught:  # ¥40,000 not yet ordered, and the order unpaid
        creditor_deactivate(actor=budget.staff, creditor=budget.creditor)
    assert caught.value.extra == {"orders": 1, "encumbrances_with_rest": 1}
    _pay(treasurer, order)
    rest = decided_order(kind="linked", encumbrance=full, amounts=(40_000,), payment_date=pay_day())
    with pytest.raises(Conflict) as caught:  # fully ordered: only the unpaid order holds it
        creditor_deactivate(actor=budget.staff, creditor=budget.creditor)
    assert caught.value.extra == {"orders": 1}
    _pay(treasurer, rest)
    cancelled = _decided_encumbrance(encumber, amount=50_000)
    services.encumbrance_cancel(actor=city.kacho, encumbrance=cancelled, reason="契約の取りやめ")
    assert creditor_deactivate(actor=budget.staff, creditor=budget.creditor).is_active is False


def test_api_put_requires_every_field_and_erases_nothing_it_was_not_given(budget):
    pk = budget.creditor.pk
    for missing in ("address", "is_individual", "invoice_registration_number", "name", "kana"):
        body = {k: v for k, v in YAMADA.items() if k != missing}
        response = finance_api(budget.staff, "put", f"/creditors/{pk}", body)
        assert response.status_code in (400, 422), (missing, response.status_code)
    creditor = _reload(budget.creditor)
    assert (creditor.address, creditor.invoice_registration_number) == ("東京都千代田区", "T7000012050002")
    assert not AuditEntry.objects.filter(action="finance.creditor.update").exists()
    cleared = finance_api(budget.staff, "put", f"/creditors/{pk}", YAMADA | {"address": ""})
    assert cleared.status_code == 200 and _reload(budget.creditor).address == ""
