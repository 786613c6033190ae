"""What a 支出負担行為, 支出命令 or 流用 decides, on its document page and in its signed 起案用紙.

The deciders read the budget line, the creditor, the lines, the payee's bank and the balance on
the document they approve; the screens mask account numbers to their last four digits and show
the payee's bank only to those who may open the order; the signed sheet (原議) lists every payee,
masked the same way; showing an individual's account is recorded as finance records it on its
own pages.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.core.audit.models import AuditEntry
from cityhall.core.japanese import format_wareki, format_yen
from cityhall.documents.files import extract_pdf_text
from cityhall.documents.models import Document
from cityhall.documents.sheet import sign_decided_document
from cityhall.finance import services
from cityhall.finance.models import PaymentOrder, PaymentOrderLine
from cityhall.org import services as org_services
from cityhall.org.models import Role
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.engine import decide, submit
from cityhall.testing.finance import FY, order_post, pay_day
from cityhall.testing.web import client_for, documents_api

pytestmark = pytest.mark.django_db


def _page(user, document_id: int) -> str:
    response = client_for(user).get(reverse("documents:detail", args=[document_id]))
    assert response.status_code == 200
    return response.content.decode()


def _individual(budget):
    """鈴木一郎, an individual (個人) with an account 7654321 at 0005-001."""
    return services.creditor_create(
        actor=budget.staff, code="200001", name="鈴木一郎", kana="スズキイチロウ", address="東京都港区",
        is_individual=True,
        bank_account=services.BankAccountInput("0005", "001", "1", "7654321", "スズキ イチロウ"),
    ).creditor  # fmt: skip


def _order_paying_an_individual(budget, draft_order):
    """A collective order paying 鈴木一郎 (an individual) ¥30,000 and ヤマダ商事 ¥11,000."""
    person = _individual(budget)
    order = draft_order(
        kind="collective",
        lines=[
            services.OrderLineInput(creditor=person, amount=30_000, tax_rate=0, description="講師謝礼"),
            services.OrderLineInput(creditor=budget.creditor, amount=11_000),
        ],
    )
    return person, order


def test_an_encumbrance_shows_its_line_creditor_terms_and_the_balance_before_and_after(city, budget, encumber):
    deadline = dt.date(FY + 1, 3, 31)
    enc = encumber(amount=800_000, deadline=deadline)
    submit(enc)
    page = _page(city.kacho, enc.document_id)
    assert 'data-testid="typed-content"' in page
    for expected in (
        budget.line.label,
        "総務課",
        "株式会社ヤマダ商事",
        "800,000円",
        "随意契約",
        format_wareki(deadline),
        "3,000,000円",  # 執行可能額 before this encumbrance
        "2,200,000円",  # and after it
    ):
        assert expected in page, expected
    assert reverse("finance:encumbrance", args=[enc.pk]) in page


def test_a_payment_order_shows_its_lines_payee_masked_account_and_what_is_left_of_the_encumbrance(
    city, budget, encumber, draft_order
):
    enc = encumber(amount=800_000)
    decide(enc)
    order = draft_order(
        kind="linked",
        encumbrance=enc,
        lines=[services.OrderLineInput(creditor=budget.creditor, amount=500_000, description="コピー用紙")],
    )
    submit(order)
    line = PaymentOrderLine.objects.get(order=order)
    account = budget.creditor.bank_accounts.get()
    page = _page(city.kacho, order.document_id)
    for expected in (
        "コピー用紙",
        "500,000円",
        format_yen(line.tax_amount),
        "10%",
        account.bank_name,
        account.branch_name,
        "普通",
        "***4567",
        account.holder_kana,
        format_wareki(order.payment_date),
        "口座振込",
        enc.document.number_label,
        "300,000円",  # the encumbrance's 800,000 less this order's 500,000
    ):
        assert expected in page, expected
    assert ">1234567<" not in page and "1234567</" not in page
    assert reverse("finance:payment_order", args=[order.pk]) in page


def test_the_body_of_a_payment_order_says_its_content_follows(city, budget, draft_order):
    order = draft_order()
    page = _page(city.drafter, order.document_id)
    assert "内容は次のとおりです。" in page


def test_the_body_a_clerk_writes_on_the_new_order_is_the_documents_body(city, budget, encumber):
    enc = encumber(amount=800_000)
    decide(enc)
    body = "コピー用紙の代金を次のとおり支払ってよろしいか伺います。"
    response = client_for(city.drafter).post(reverse("finance:payment_order_new"), order_post(budget, enc, body=body))
    assert response.status_code == 302
    order = PaymentOrder.objects.get()
    assert order.document.body == body
    assert body in _page(city.drafter, order.document_id)


def test_only_those_who_may_open_the_order_see_its_document(city, budget, draft_order):
    """One rule for the record (閲覧の規則は一つ): 人事課 may not open the order, so not its document either."""
    order = draft_order(amounts=(110_000,))
    submit(order)
    response = client_for(city.outsider).get(reverse("documents:detail", args=[order.document_id]))
    assert response.status_code == 404
    page = _page(city.kacho, order.document_id)
    assert "株式会社ヤマダ商事" in page and "110,000円" in page and "***4567" in page


def test_showing_an_individuals_account_on_the_document_page_is_recorded(city, budget, draft_order):
    person, order = _order_paying_an_individual(budget, draft_order)
    company_only = draft_order(amounts=(22_000,))
    seen = AuditEntry.objects.filter(action="finance.creditor.view")
    before = seen.count()
    _page(city.kacho, company_only.document_id)
    assert seen.count() == before
    page = _page(city.kacho, order.document_id)
    assert "***4321" in page and "7654321" not in page
    entry = seen.latest("seq")
    assert seen.count() == before + 1
    assert (entry.object_id, entry.actor_id) == (str(person.pk), city.kacho.pk)
    assert '"where":"document_detail"' in entry.after
    response = client_for(city.outsider).get(reverse("documents:detail", args=[order.document_id]))
    assert response.status_code == 404  # not theirs to see: nothing shown, nothing to record
    assert seen.count() == before + 1
    preview = client_for(city.kacho).get(
        reverse("documents:preview", args=[order.document_id]), headers={"HX-Request": "true"}
    )
    assert "***4321" in preview.content.decode()
    assert seen.count() == before + 2 and '"where":"document_preview"' in seen.latest("seq").after


def test_the_signed_sheet_records_the_lines_and_the_payees_account(city, budget, decided_order, city_signing):
    order = decided_order(amounts=(110_000,), description="消耗品")
    assert sign_decided_document(order.document_id)
    pdf = Document.objects.get(pk=order.document_id).signed_pdf.read()
    text = "".join(extract_pdf_text("sheet.pdf", pdf).split())
    account = budget.creditor.bank_accounts.get()
    shown = ("支出命令の内容", "明細", "振込先", "株式会社ヤマダ商事", "110,000円", account.bank_name, "***4567")
    for expected in shown:
        assert expected in text, expected
    assert "1234567" not in text  # no more of the account than the screens show


def test_a_transfer_shows_both_lines_and_their_budgets_before_and_after(city, budget):
    org_services.role_grant(actor=SETUP, user=city.drafter, role=Role.ACCOUNTING, valid_from=SINCE)
    target = services.budget_line_create(
        actor=budget.staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu["11"]
    )
    transfer = services.transfer_draft(
        actor=city.drafter, title="需用費から役務費への流用", source=budget.line, target=target,
        amount=500_000, reason="通信運搬費の不足",
    )  # fmt: skip
    page = _page(city.drafter, transfer.document_id)
    for expected in (budget.line.label, target.label, "5,000,000円", "4,500,000円", "500,000円", "通信運搬費の不足"):
        assert expected in page, expected


def test_the_payment_date_is_the_one_the_order_pays_on(city, budget, draft_order):
    day = pay_day(timezone.localdate() + dt.timedelta(days=10))
    order = draft_order(payment_date=day)
    assert format_wareki(day) in _page(city.drafter, order.document_id)


def test_the_api_gives_the_content_and_history_the_page_shows_and_records_the_view(city, budget, draft_order):
    _person, order = _order_paying_an_individual(budget, draft_order)
    submit(order)
    seen = AuditEntry.objects.filter(action="finance.creditor.view")
    before = seen.count()

    content = documents_api(city.kacho, "get", f"/{order.document_id}/content")
    assert content.status_code == 200
    text = json.dumps(content.json(), ensure_ascii=False)
    assert "鈴木一郎" in text and "***4321" in text and "7654321" not in text
    assert content.json()["record_url"] == reverse("finance:payment_order", args=[order.pk])
    assert seen.count() == before + 1 and '"where":"document_api"' in seen.latest("seq").after

    history = documents_api(city.kacho, "get", f"/{order.document_id}/history").json()
    assert [(r["number"], r["label"]) for r in history] == [(1, "回議 1")]
    assert history[0]["entries"][0]["action"] == "回議開始"
    assert history[0]["entries"][0]["actor"] == order.document.drafter.full_name

    outsider = documents_api(city.outsider, "get", f"/{order.document_id}/content")  # one rule: not theirs
    assert outsider.status_code == 404 and "***4321" not in outsider.content.decode()


def test_the_api_content_of_a_plain_document_is_empty_and_a_hidden_one_is_not_found(city, draft):
    document = draft(is_confidential=True)
    assert documents_api(city.drafter, "get", f"/{document.pk}/content").json()["sections"] == []
    stranger = city.outsider  # 人事課: a 秘 document of 総務課 is not theirs
    assert documents_api(stranger, "get", f"/{document.pk}/history").status_code == 404
    assert documents_api(stranger, "get", f"/{document.pk}/content").status_code == 404
