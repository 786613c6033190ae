"""Choosing a line's bank account in a real browser (支出命令の明細の振込口座): htmx fills it per row."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from cityhall.core.japanese import next_bank_business_day
from cityhall.finance import services
from cityhall.finance.models import PaymentOrder
from cityhall.testing.web import IMMEDIATE_TASKS, PASSWORD, assert_no_serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(CITYHALL_MFA_REQUIRED="never", TASKS=IMMEDIATE_TASKS)
def test_each_row_offers_its_creditors_accounts_and_the_choice_is_kept(page, city, budget):
    staff, yamada = budget.staff, budget.creditor
    old = yamada.bank_accounts.get()
    services.creditor_bank_account_add(  # the new default
        actor=staff, creditor=yamada, data=services.BankAccountInput("0005", "001", "1", "2345678", "ヤマダショウジ")
    )
    sato = services.creditor_create(
        actor=staff, code="100002", name="株式会社サトウ工務店", kana="サトウコウムテン", address="東京都港区",
        bank_account=services.BankAccountInput("0001", "001", "1", "5555555", "サトウコウムテン"),
    ).creditor  # fmt: skip
    city.drafter.set_password(PASSWORD)
    city.drafter.save(update_fields=["password"])
    today = timezone.localdate()

    sign_in(page, city.drafter)
    page.goto("/finance/payments/new/")
    page.get_by_label("集合支出命令").check()
    page.locator("#id_line").select_option(value=str(budget.line.pk))
    page.locator("#id_title").fill("修繕代金の支払について")
    page.locator("#id_payment_date").fill(next_bank_business_day(today).isoformat())
    page.locator("#id_inspection_date").fill(today.isoformat())
    page.locator("#id_inspector").select_option(label="主野 太郎")
    page.locator("#id_invoice_received_on").fill(today.isoformat())

    first = page.locator("#id_lines-0-bank_account")
    expect(first.locator("option")).to_have_count(1)  # no creditor yet: 既定の口座 only
    page.locator("#id_lines-0-creditor").select_option(value=str(yamada.pk))
    expect(first.locator("option")).to_have_text(
        ["既定の口座", "三菱ＵＦＪ 本店 普通 ***5678（既定）", "みずほ 東京営業部 普通 ***4567"]
    )
    first.select_option(value=str(old.pk))
    page.locator("#id_lines-0-amount").fill("110,000")

    page.get_by_role("button", name="明細を追加").click()
    expect(page.locator("#id_lines-1-creditor")).to_be_visible()
    expect(page.locator("#order-lines .htmx-added")).to_have_count(0)  # htmx has wired the new row
    page.locator("#id_lines-1-creditor").select_option(value=str(sato.pk))
    expect(page.locator("#id_lines-1-bank_account option")).to_have_text(
        ["既定の口座", "みずほ 東京営業部 普通 ***5555（既定）"]
    )
    page.locator("#id_lines-1-amount").fill("55,000")

    page.locator("#id_payment_method").select_option(value="cash")  # 窓口払: no account to choose
    expect(first).to_be_hidden()
    page.locator("#id_payment_method").select_option(value="transfer")
    expect(first).to_be_visible()
    expect(first).to_have_value(str(old.pk))
    assert_no_serious_violations(page)
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_text("支出命令を起案しました")).to_be_visible()

    order = PaymentOrder.objects.get()
    assert [x.bank_account_id for x in order.lines.order_by("position")] == [old.pk, sato.bank_accounts.get().pk]
    page.goto(f"/finance/payments/{order.pk}/edit/")  # 修正: the saved account is chosen
    expect(page.locator("#id_lines-0-bank_account")).to_have_value(str(old.pk))
