"""Choosing a line's bank account on the payment order screens (支出命令の明細の振込口座の選択).

The select lists the chosen creditor's accounts in use, the default first; left empty, the
creditor's default account (既定の口座) is paid. The service refuses another creditor's account.
"""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cityhall.core.audit.models import AuditEntry
from cityhall.documents.models import Document
from cityhall.finance import services
from cityhall.finance.models import PaymentOrder
from cityhall.finance.services.creditors import creditor_deactivate
from cityhall.finance.zengin import read_zengin
from cityhall.testing.engine import decide
from cityhall.testing.finance import export_on_screen, order_post
from cityhall.testing.web import field_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def enc(city, encumber):
    """An ¥800,000 encumbrance of 総務課 with ヤマダ商事, decided."""
    encumbrance = encumber(amount=800_000)
    decide(encumbrance.document)
    return encumbrance


def account_input(bank: str, number: str, holder: str = "カブシキガイシャヤマダショウジ") -> services.BankAccountInput:
    return services.BankAccountInput(bank, "001", "1", number, holder)


@pytest.fixture
def accounts(budget):
    """ヤマダ商事's accounts: ``old`` (the fixture's, no longer default), ``main`` (default), ``stopped``;
    and ``other``, the account of another creditor (サトウ工務店)."""
    staff, yamada = budget.staff, budget.creditor
    old = yamada.bank_accounts.get()
    stopped = services.creditor_bank_account_add(actor=staff, creditor=yamada, data=account_input("0001", "3456789"))
    main = services.creditor_bank_account_add(actor=staff, creditor=yamada, data=account_input("0005", "2345678"))
    services.creditor_bank_account_deactivate(actor=staff, creditor=yamada, account_id=stopped.pk)
    sato = services.creditor_create(
        actor=staff,
        code="100002",
        name="株式会社サトウ工務店",
        kana="サトウコウムテン",
        address="東京都港区",
        bank_account=account_input("0001", "5555555", "カブシキガイシャサトウコウムテン"),
    ).creditor
    for account in (old, stopped, main):
        account.refresh_from_db()
    return SimpleNamespace(old=old, main=main, stopped=stopped, other=sato.bank_accounts.get(), sato=sato)


def options(html: str) -> list[tuple[str, str]]:
    """The (value, label) options of the first 振込口座 select in ``html``."""
    select = re.search(r'<select name="lines-\d+-bank_account".*?</select>', html, re.S)
    assert select, "no account select"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(0))


def account_url(row: int, creditor_pk: object) -> tuple[str, dict[str, str]]:
    return reverse("finance:payment_order_line_account", args=[row]), {f"lines-{row}-creditor": str(creditor_pk)}


# --- the select and its htmx endpoint ----------------------------------------------------


def test_the_account_select_lists_the_creditors_accounts_in_use_default_first(client, city, budget, accounts):
    client.force_login(city.drafter)
    html = client.get(*account_url(2, budget.creditor.pk)).content.decode()
    assert 'id="id_lines-2-bank_account"' in html
    assert options(html) == [
        ("", "既定の口座"),
        (str(accounts.main.pk), "三菱ＵＦＪ 本店 普通 ***5678（既定）"),
        (str(accounts.old.pk), "みずほ 東京営業部 普通 ***4567"),
    ]  # not the stopped account, nor another creditor's; a clerk sees the last three digits, as on the order
    assert options(client.get(*account_url(0, "")).content.decode()) == [("", "既定の口座")]  # no creditor yet

    page = client.get(reverse("finance:payment_order_new")).content.decode()  # each row fetches its own select
    assert f'hx-get="{reverse("finance:payment_order_line_account", args=[0])}"' in page
    assert 'hx-trigger="change from:#id_lines-0-creditor"' in page


def test_the_account_endpoint_is_404_for_unknown_or_inactive_creditors_and_outsiders(client, city, budget, accounts):
    client.force_login(city.drafter)
    assert client.get(*account_url(0, 999_999)).status_code == 404
    assert client.get(*account_url(0, "abc")).status_code == 404
    creditor_deactivate(actor=budget.staff, creditor=accounts.sato)
    assert client.get(*account_url(0, accounts.sato.pk)).status_code == 404
    assert client.get(*account_url(200, budget.creditor.pk)).status_code == 404  # past the last row

    nobody = get_user_model().objects.create_user(username="mushozoku", last_name="無", first_name="所属")
    client.force_login(nobody)  # no 課: may not draft orders
    assert client.get(*account_url(0, budget.creditor.pk)).status_code == 404
    client.logout()
    assert client.get(*account_url(0, budget.creditor.pk)).status_code == 302  # to sign in


def test_an_individuals_number_is_masked_for_clerks_and_audited_when_shown_in_full(client, city, budget):
    person = services.creditor_create(
        actor=budget.staff, code="200001", name="鈴木一郎", kana="スズキイチロウ", address="東京都港区",
        is_individual=True, bank_account=account_input("0005", "7654321", "スズキ イチロウ"),
    ).creditor  # fmt: skip
    client.force_login(city.drafter)
    html = client.get(*account_url(0, person.pk)).content.decode()
    assert options(html)[1][1] == "三菱ＵＦＪ 本店 普通 ***4321（既定）" and "7654321" not in html
    assert not AuditEntry.objects.filter(action="finance.creditor.view").exists()

    client.force_login(budget.staff)  # 会計 sees the full number; the view is recorded
    html = client.get(*account_url(0, person.pk)).content.decode()
    assert options(html)[1][1] == "三菱ＵＦＪ 本店 普通 7654321（既定）"
    entry = AuditEntry.objects.get(action="finance.creditor.view")
    assert (entry.actor_id, entry.object_id) == (budget.staff.pk, str(person.pk))
    assert "payment_order_form" in str(entry.after)

    bad = order_post(budget, None, lines=(("1000.5", "0", ""),)) | {"lines-0-creditor": str(person.pk)}
    html = client.post(reverse("finance:payment_order_new"), bad).content.decode()  # the form shown again
    assert "三菱ＵＦＪ 本店 普通 7654321（既定）" in html
    assert AuditEntry.objects.filter(action="finance.creditor.view", object_id=str(person.pk)).count() == 2


# --- saving, the 全銀 file, refusals ------------------------------------------------------


def test_a_chosen_account_is_saved_and_paid_to_in_the_zengin_file(
    client, city, budget, accounts, enc, treasurer, zengin_files
):
    client.force_login(city.drafter)
    data = order_post(budget, enc) | {"lines-0-bank_account": str(accounts.old.pk)}
    response = client.post(reverse("finance:payment_order_new"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    order = PaymentOrder.objects.get()
    assert order.lines.get().bank_account == accounts.old  # not the default account

    decide(order.document)
    client.force_login(treasurer)
    assert client.post(reverse("finance:review_approve", args=[order.pk])).status_code == 302
    order.refresh_from_db()
    assert export_on_screen(client, order.batch_id).status_code == 302
    response = client.get(reverse("finance:batch_file", args=[order.batch_id]))
    assert response.status_code == 200
    parsed = read_zengin(io.BytesIO(response.content), year=order.payment_date.year)
    assert [(t.bank_code, t.account_number, t.amount) for t in parsed.transfers] == [("0001", "1234567", 500_000)]


def test_an_empty_choice_pays_the_default_and_cash_ignores_the_select(client, city, budget, accounts):
    client.force_login(city.drafter)
    data = order_post(budget, None, lines=(("1,000", "10", ""), ("2,000", "10", "")))
    data |= {"kind": "collective", "line": str(budget.line.pk), "lines-0-bank_account": ""}
    data |= {"lines-1-bank_account": str(accounts.main.pk)}
    assert client.post(reverse("finance:payment_order_new"), data).status_code == 302
    lines = PaymentOrder.objects.get().lines.order_by("position")
    assert [x.bank_account for x in lines] == [accounts.main, accounts.main]

    cash = data | {"payment_method": "cash", "lines-0-bank_account": str(accounts.other.pk)}
    cash["form_token"] = "cash-order"
    response = client.post(reverse("finance:payment_order_new"), cash)
    assert response.status_code == 302, response.content.decode()[:3000]
    order = PaymentOrder.objects.order_by("pk").last()
    assert order is not None and [x.bank_account for x in order.lines.all()] == [None, None]


def test_another_creditors_or_a_stopped_account_is_refused_at_the_row_and_nothing_is_saved(
    client, city, budget, accounts, enc
):
    client.force_login(city.drafter)
    lines = (("300,000", "10", ""), ("200,000", "10", ""))
    data = order_post(budget, enc, lines=lines) | {"lines-1-bank_account": str(accounts.other.pk)}
    response = client.post(reverse("finance:payment_order_new"), data)
    assert response.status_code == 400
    html = response.content.decode()
    message = "明細2行目: 振込口座は債権者「株式会社ヤマダ商事」の口座から選んでください。"
    assert field_error(html, "id_lines-1-bank_account") == message
    assert f'<a href="#id_lines-1-bank_account">明細 2 振込口座：{message}</a>' in html  # the summary names the row
    assert options(html.split('id="id_lines-1-creditor"')[1])[1][0] == str(accounts.main.pk)  # the row's own

    data |= {"lines-1-bank_account": str(accounts.stopped.pk), "form_token": "second"}
    html = client.post(reverse("finance:payment_order_new"), data).content.decode()
    assert field_error(html, "id_lines-1-bank_account") == "明細2行目: 口座（みずほ 東京営業部 3456789）は停止中です。"
    data |= {"lines-1-bank_account": "999999", "form_token": "third"}
    html = client.post(reverse("finance:payment_order_new"), data).content.decode()
    assert field_error(html, "id_lines-1-bank_account") == "振込口座が見つかりません。"
    assert not PaymentOrder.objects.exists()
    assert Document.objects.count() == 1  # the encumbrance's only


# --- 修正 ------------------------------------------------------------------------------


def test_edit_preselects_the_saved_account_and_saves_a_new_choice(client, city, budget, accounts, enc):
    client.force_login(city.drafter)
    data = order_post(budget, enc) | {"lines-0-bank_account": str(accounts.old.pk)}
    assert client.post(reverse("finance:payment_order_new"), data).status_code == 302
    order = PaymentOrder.objects.get()
    url = reverse("finance:payment_order_edit", args=[order.pk])

    page = client.get(url).content.decode()
    assert f'<option value="{accounts.old.pk}" selected>みずほ 東京営業部 普通 ***4567</option>' in page
    assert options(page)[1] == (str(accounts.main.pk), "三菱ＵＦＪ 本店 普通 ***5678（既定）")

    response = client.post(url, data | {"lines-0-bank_account": ""})  # back to the default account
    assert response.status_code == 302, response.content.decode()[:3000]
    assert order.lines.get().bank_account == accounts.main
    data = data | {"lines-0-bank_account": str(accounts.other.pk)}
    assert client.post(url, data).status_code == 400
    assert order.lines.get().bank_account == accounts.main
