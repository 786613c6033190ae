"""口座名義の訂正: an account's holder name corrected while unpaid orders pay to it, into the next 全銀 file."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.finance import services
from cityhall.finance.models import CreditorBankAccount
from cityhall.finance.services.batches import batch_export
from cityhall.finance.services.creditor_accounts import creditor_bank_account_correct_holder
from cityhall.finance.services.creditors import creditor_update
from cityhall.finance.zengin import read_zengin
from cityhall.testing.web import field_error, finance_api

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("zengin_files")]

ACTION = "finance.creditor.bank_account.holder_name"


def _individual(budget, creditor):
    """The creditor marked 個人事業者: its accounts are personal information, their views recorded."""
    return creditor_update(
        actor=budget.staff, creditor=creditor, name=creditor.name, kana=creditor.kana, is_individual=True
    ).creditor


def _account(creditor) -> CreditorBankAccount:
    return CreditorBankAccount.objects.get(creditor=creditor, is_active=True)


def _correct(budget, creditor, name: str, *, actor=None):
    return creditor_bank_account_correct_holder(
        actor=actor or budget.staff, creditor=creditor, account_id=_account(creditor).pk, holder_name=name
    )


def test_unpaid_orders_pay_under_the_corrected_name_in_the_next_file(budget, batch, treasurer):
    account = _account(budget.creditor)
    with pytest.raises(Conflict, match="未決裁または未払の支出命令"):  # stopping it is refused meanwhile
        services.creditor_bank_account_deactivate(actor=budget.staff, creditor=budget.creditor, account_id=account.pk)
    result = _correct(budget, budget.creditor, "ヤマダショウジ株式会社")
    assert (result.before, result.account.holder_kana, result.changed) == ("ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ", "ﾔﾏﾀﾞｼﾖｳｼﾞ(ｶ", True)
    entry = AuditEntry.objects.get(action=ACTION, object_id=str(account.pk))
    assert "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ" in entry.before and "ﾔﾏﾀﾞｼﾖｳｼﾞ(ｶ" in entry.after and entry.actor_label == "zaisei_kacho"
    exported = batch_export(actor=treasurer, batch=batch)
    parsed = read_zengin(io.BytesIO(exported.content), year=batch.payment_date.year)
    assert [(t.account_number, t.payee_name, t.amount) for t in parsed.transfers] == [
        ("1234567", "ﾔﾏﾀﾞｼﾖｳｼﾞ(ｶ", 165_000),
        ("7654321", "ｽｽﾞｷ ｲﾁﾛｳ", 89_790),
    ]


def test_a_name_with_a_character_the_bank_cannot_take_is_refused_and_nothing_changes(budget):
    with pytest.raises(ValidationFailed) as refused:
        _correct(budget, budget.creditor, "ヤマダ商事")
    assert refused.value.field == "holder_name"
    assert "口座名義の4文字目の「商」は全銀の振込データに使えない文字です。" in refused.value.message
    assert _account(budget.creditor).holder_kana == "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"
    assert not AuditEntry.objects.filter(action=ACTION).exists()


def test_the_same_name_once_normalised_changes_and_audits_nothing(budget):
    result = _correct(budget, budget.creditor, "株式会社ヤマダショウジ")
    assert (result.changed, result.account.holder_kana) == (False, "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ")
    assert not AuditEntry.objects.filter(action=ACTION).exists()


def test_a_stopped_account_is_refused(budget):
    old = _account(budget.creditor)
    services.creditor_bank_account_add(
        actor=budget.staff,
        creditor=budget.creditor,
        data=services.BankAccountInput("0005", "001", "1", "2222222", "株式会社ヤマダショウジ"),
    )
    services.creditor_bank_account_deactivate(actor=budget.staff, creditor=budget.creditor, account_id=old.pk)
    with pytest.raises(Conflict, match="は停止中のため口座名義を訂正できません。先に再開してください。"):
        creditor_bank_account_correct_holder(
            actor=budget.staff, creditor=budget.creditor, account_id=old.pk, holder_name="ヤマダ"
        )
    old.refresh_from_db()
    assert old.holder_kana == "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ" and not AuditEntry.objects.filter(action=ACTION).exists()


def test_only_the_accounting_role_corrects_a_name(city, budget):
    with pytest.raises(PermissionDenied):
        _correct(budget, budget.creditor, "ヤマダ", actor=city.drafter)
    assert _account(budget.creditor).holder_kana == "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"


def test_another_creditors_account_is_not_found(budget, suzuki):
    with pytest.raises(ValidationFailed, match="この債権者の口座が見つかりません"):
        creditor_bank_account_correct_holder(
            actor=budget.staff, creditor=budget.creditor, account_id=_account(suzuki).pk, holder_name="ヤマダ"
        )


# --- screen -----------------------------------------------------------------


def _url(creditor) -> str:
    return reverse("finance:creditor_account_holder", args=[creditor.pk, _account(creditor).pk])


def test_the_creditor_page_corrects_a_name_per_account_in_use(client, budget):
    client.force_login(budget.staff)
    page = client.get(reverse("finance:creditor", args=[budget.creditor.pk])).content.decode()
    assert page.count('data-testid="holder-correct"') == 1 and "口座名義を訂正する" in page
    response = client.post(_url(budget.creditor), {f"holder-{_account(budget.creditor).pk}-holder_name": "ヤマダ"})
    assert response.status_code == 302
    shown = client.get(response["Location"]).content.decode()
    assert "の口座名義を「ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ」から「ﾔﾏﾀﾞ」に訂正しました。" in shown
    assert _account(budget.creditor).holder_kana == "ﾔﾏﾀﾞ"


def test_a_refused_name_is_shown_next_to_its_field_and_an_individuals_view_is_recorded(client, budget, suzuki):
    client.force_login(budget.staff)
    suzuki = _individual(budget, suzuki)
    account = _account(suzuki)
    response = client.post(_url(suzuki), {f"holder-{account.pk}-holder_name": "鈴木イチロウ"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "口座名義の1文字目の「鈴」" in field_error(html, f"id_holder-{account.pk}-holder_name")
    assert "入力内容を確認してください" in html
    assert _account(suzuki).holder_kana == "ｽｽﾞｷ ｲﾁﾛｳ"
    assert AuditEntry.objects.filter(action="finance.creditor.view", object_id=str(suzuki.pk)).exists()


def test_a_clerk_gets_404(client, city, budget):
    client.force_login(city.drafter)
    response = client.post(_url(budget.creditor), {"holder_name": "ヤマダ"})
    assert response.status_code == 404 and _account(budget.creditor).holder_kana == "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"


# --- API --------------------------------------------------------------------


def _path(creditor) -> str:
    return f"/creditors/{creditor.pk}/bank-accounts/{_account(creditor).pk}/holder-name"


def test_the_api_corrects_a_name_and_records_an_individuals_view(budget, suzuki):
    suzuki = _individual(budget, suzuki)
    response = finance_api(budget.staff, "post", _path(suzuki), {"holder_name": "スズキ イチロウ ダイ"})
    assert response.status_code == 200
    body = response.json()
    assert (body["account"]["holder_kana"], body["before"], body["changed"]) == ("ｽｽﾞｷ ｲﾁﾛｳ ﾀﾞｲ", "ｽｽﾞｷ ｲﾁﾛｳ", True)
    assert AuditEntry.objects.filter(action="finance.creditor.view", object_id=str(suzuki.pk)).exists()
    assert AuditEntry.objects.filter(action=ACTION).count() == 1


def test_the_api_refuses_a_bad_name_and_a_clerk(city, budget):
    bad = finance_api(budget.staff, "post", _path(budget.creditor), {"holder_name": "ヤマダ商事"})
    assert bad.status_code == 400 and "「商」" in bad.json()["detail"]
    assert finance_api(city.drafter, "post", _path(budget.creditor), {"holder_name": "ヤマダ"}).status_code in (
        403,
        404,
    )
    assert _account(budget.creditor).holder_kana == "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"
