"""Correcting a draft or sent-back encumbrance and payment order on screen (支出負担行為・支出命令の修正).

Also: the documents app's edit page of such a document shows its kind and amount read-only
and leads to the finance correction page.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cityhall.core.audit.models import AuditEntry
from cityhall.core.japanese import next_bank_business_day
from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus
from cityhall.finance import services
from cityhall.finance.models import Encumbrance, PaymentOrder
from cityhall.testing.engine import decide, submit
from cityhall.testing.finance import FY, order_post

pytestmark = pytest.mark.django_db


def send_back(document: Document, by) -> Document:
    """Submit by the drafter, then the first approver sends it back (差戻し)."""
    doc = submit(document)
    doc = docs.send_back(actor=by, document=doc, expected_version=doc.version, comment="金額を見直してください")
    assert doc.status == DocumentStatus.SENT_BACK
    return doc


def field_error(html: str, field_id: str) -> str:
    """The error shown next to a field (the input points at it)."""
    match = re.search(rf'<p class="doc-field__error" id="{field_id}_error">([^<]*)</p>', html)
    assert match, f"no error next to {field_id}"
    return match.group(1)


def audit_count(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


# --- 支出負担行為 ---------------------------------------------------------------------


def enc_post(budget, **overrides) -> dict[str, str]:
    data = {
        "title": "消耗品の購入について（見積り再取得）",
        "creditor": str(budget.creditor.pk),
        "amount": "650,000",
        "contract_method": "negotiated",
        "negotiated_ground": "2",
        "deadline": f"{FY + 1}-03-31",
    }
    return data | overrides


def test_sent_back_encumbrance_is_corrected_on_screen_and_can_be_resubmitted(client, city, budget, encumber):
    enc = encumber(amount=800_000)
    send_back(enc.document, city.kakaricho)
    client.force_login(city.drafter)
    detail = client.get(reverse("finance:encumbrance", args=[enc.pk])).content.decode()
    edit_url = reverse("finance:encumbrance_edit", args=[enc.pk])
    assert f'href="{edit_url}"' in detail and "修正する" in detail

    page = client.get(edit_url).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page and 'data-testid="sent-back-note"' in page
    assert "差戻しの理由：金額を見直してください" in page
    assert 'value="800,000"' in page and 'value="消耗品の購入について"' in page
    assert budget.line.label in page and 'name="line"' not in page  # the line is shown, not changed

    response = client.post(edit_url, enc_post(budget))
    assert response.status_code == 302 and response["Location"] == reverse("finance:encumbrance", args=[enc.pk])
    enc = Encumbrance.objects.get(pk=enc.pk)
    doc = Document.objects.get(pk=enc.document_id)
    assert (enc.amount, enc.deadline, doc.amount, doc.title) == (
        650_000,
        dt.date(FY + 1, 3, 31),
        650_000,
        "消耗品の購入について（見積り再取得）",
    )
    assert audit_count("finance.encumbrance.update") == 1
    doc = docs.resubmit(actor=city.drafter, document=doc, expected_version=doc.version)
    assert doc.status == DocumentStatus.CIRCULATING
    # Circulating again: no link, and the edit page sends the drafter back to the detail page.
    assert "修正する" not in client.get(reverse("finance:encumbrance", args=[enc.pk])).content.decode()
    response = client.get(edit_url, follow=True)
    assert "回議中の文書は修正できません。" in response.content.decode()


def test_encumbrance_edit_errors_name_the_field_and_save_nothing(client, city, budget, encumber):
    enc = encumber(amount=800_000)
    client.force_login(city.drafter)
    url = reverse("finance:encumbrance_edit", args=[enc.pk])
    assert 'data-testid="edit-link"' in client.get(reverse("finance:encumbrance", args=[enc.pk])).content.decode()
    before = audit_count("finance.encumbrance.update")

    response = client.post(url, enc_post(budget, title="", amount="12.5"))
    html = response.content.decode()
    assert response.status_code == 400
    assert field_error(html, "id_title") == "件名を入力してください。"
    assert "金額" in field_error(html, "id_amount") and "入力内容を確認してください" in html

    response = client.post(url, enc_post(budget, amount="3,000,001"))  # over the available 3,000,000
    html = response.content.decode()
    assert response.status_code == 400 and "執行可能額" in field_error(html, "id_amount")
    assert "金額（円）：" in html  # the summary names the field

    enc = Encumbrance.objects.get(pk=enc.pk)
    assert (enc.amount, Document.objects.get(pk=enc.document_id).title) == (800_000, "消耗品の購入について")
    assert audit_count("finance.encumbrance.update") == before


def test_encumbrance_edit_is_404_for_others_and_needs_csrf(client, city, budget, encumber):
    enc = encumber(amount=800_000)
    url = reverse("finance:encumbrance_edit", args=[enc.pk])
    for user in (city.drafter2, city.outsider, city.kacho):  # same section but not the drafter; other section
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, enc_post(budget)).status_code == 404
    client.force_login(city.drafter2)
    assert 'data-testid="edit-link"' not in client.get(reverse("finance:encumbrance", args=[enc.pk])).content.decode()

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(city.drafter)
    assert strict.post(url, enc_post(budget)).status_code == 403
    assert Encumbrance.objects.get(pk=enc.pk).amount == 800_000


# --- 支出命令 -------------------------------------------------------------------------


def payment_day() -> dt.date:
    return next_bank_business_day(timezone.localdate() + dt.timedelta(days=7))


def combined_order(city, budget, *amounts: int) -> PaymentOrder:
    """A 支出負担行為兼支出命令 of 総務課 with one line per amount."""
    day = timezone.localdate()
    return services.payment_order_draft(
        actor=city.drafter,
        title="電気料の支払について",
        kind="combined",
        line=budget.line,
        lines=[services.OrderLineInput(creditor=budget.creditor, amount=a, description=f"{i}月分") for i, a in
               enumerate(amounts, start=4)],
        payment_date=payment_day(),
        inspection_date=day,
        inspector=city.shunin,
        invoice_received_on=day,
    )  # fmt: skip


def order_edit_post(order: PaymentOrder, budget, rows, **overrides) -> dict[str, str]:
    """The edit form as posted: ``rows`` of (amount, rate, withholding), then one empty row."""
    data = {
        "title": order.document.title,
        "kind": order.kind,
        "encumbrance": "",
        "line": str(budget.line.pk),
        "payment_method": "transfer",
        "payment_date": order.payment_date.isoformat(),
        "inspection_date": order.inspection_date.isoformat() if order.inspection_date else "",
        "inspector": str(order.inspector_id or ""),
        "invoice_received_on": order.invoice_received_on.isoformat() if order.invoice_received_on else "",
        "description": "",
        "lines-TOTAL_FORMS": str(len(rows) + 1),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
    }
    for i, row in enumerate(rows):
        amount, rate, withholding = row
        data |= {
            f"lines-{i}-creditor": str(budget.creditor.pk) if amount else "",
            f"lines-{i}-description": f"明細{i + 1}" if amount else "",
            f"lines-{i}-amount": amount,
            f"lines-{i}-tax_rate": rate,
            f"lines-{i}-withholding": withholding,
        }
    n = len(rows)
    data |= {f"lines-{n}-creditor": "", f"lines-{n}-amount": "", f"lines-{n}-tax_rate": "10"}
    return data | overrides


def test_sent_back_order_lines_are_corrected_removed_and_added(client, city, budget):
    order = combined_order(city, budget, 110_000, 55_000)
    send_back(order.document, city.kakaricho)
    client.force_login(city.drafter)
    edit_url = reverse("finance:payment_order_edit", args=[order.pk])
    assert f'href="{edit_url}"' in client.get(reverse("finance:payment_order", args=[order.pk])).content.decode()

    page = client.get(edit_url).content.decode()
    assert 'value="110,000"' in page and 'value="55,000"' in page and 'value="4月分"' in page
    assert 'name="lines-TOTAL_FORMS" value="3"' in page and 'data-testid="sent-back-note"' in page
    row = client.get(reverse("finance:payment_order_line_row"), {"lines-TOTAL_FORMS": "3"}).content.decode()
    assert 'name="lines-3-amount"' in row  # htmx: one more row, as on the new page

    # Row 1 changed, row 2 emptied (removed), a new row 3 at 8%.
    rows = [("121,000", "10", ""), ("", "10", ""), ("10,800", "8", "")]
    response = client.post(edit_url, order_edit_post(order, budget, rows, title="電気料（4月分）の支払について"))
    assert response.status_code == 302, response.content.decode()[:2000]
    order = PaymentOrder.objects.get(pk=order.pk)
    lines = list(order.lines.order_by("position").values_list("amount", "tax_rate", "bank_account__account_number"))
    assert lines == [(121_000, 10, "1234567"), (10_800, 8, "1234567")]
    doc = Document.objects.get(pk=order.document_id)
    assert (order.total_amount, doc.amount, doc.title) == (131_800, 131_800, "電気料（4月分）の支払について")
    assert audit_count("finance.payment_order.update") == 1
    doc = docs.resubmit(actor=city.drafter, document=doc, expected_version=doc.version)
    assert doc.status == DocumentStatus.CIRCULATING


def test_order_edit_errors_are_shown_at_the_line_and_nothing_is_saved(client, city, budget):
    order = combined_order(city, budget, 110_000)
    client.force_login(city.drafter)
    url = reverse("finance:payment_order_edit", args=[order.pk])
    response = client.post(url, order_edit_post(order, budget, [("3,000,001", "10", "")]))
    html = response.content.decode()
    assert response.status_code == 400 and "予算残額が不足しています（予算科目:" in html  # in the summary

    response = client.post(url, order_edit_post(order, budget, [("110,000", "10", ""), ("5,000", "10", "5,000")]))
    html = response.content.decode()
    assert response.status_code == 400 and 'data-testid="line-errors"' in html
    assert "源泉徴収額" in field_error(html, "id_lines-1-withholding")
    assert "明細 2 源泉徴収額（円）：" in html

    response = client.post(url, order_edit_post(order, budget, [("", "10", "")], payment_date=""))
    html = response.content.decode()
    assert response.status_code == 400
    assert field_error(html, "id_payment_date") == "支払予定日を入力してください。"
    assert "明細を1行以上入力してください。" in html

    order = PaymentOrder.objects.get(pk=order.pk)
    assert (order.total_amount, order.lines.count()) == (110_000, 1)
    assert audit_count("finance.payment_order.update") == 0


def test_order_edit_is_404_for_others_and_refused_while_circulating(client, city, budget):
    order = combined_order(city, budget, 110_000)
    url = reverse("finance:payment_order_edit", args=[order.pk])
    for user in (city.drafter2, city.outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, order_edit_post(order, budget, [("1,000", "10", "")])).status_code == 404
    doc = order.document
    docs.submit(actor=city.drafter, document=doc, expected_version=doc.version)
    client.force_login(city.drafter)
    assert (
        'data-testid="edit-link"' not in client.get(reverse("finance:payment_order", args=[order.pk])).content.decode()
    )
    response = client.post(url, order_edit_post(order, budget, [("1,000", "10", "")]))
    assert response.status_code == 302 and response["Location"] == reverse("finance:payment_order", args=[order.pk])
    assert PaymentOrder.objects.get(pk=order.pk).total_amount == 110_000


# --- the documents app's edit page of a finance document (文書の修正画面) ----------------------

NOTE = "金額と事案の種類は、支出負担行為・支出命令などの画面で変更します。"


def test_edit_page_of_an_encumbrance_shows_kind_and_amount_read_only_with_its_screen(client, city, encumber):
    enc = encumber(amount=800_000)
    client.force_login(city.drafter)
    page = client.get(reverse("documents:edit", args=[enc.document_id])).content.decode()
    assert NOTE in page and "800,000" in page
    assert f'href="{reverse("finance:encumbrance_edit", args=[enc.pk])}"' in page  # its correction page
    # Carried as hidden inputs for the route preview, never as a field to type into or a list to pick from.
    assert '<input type="hidden" name="amount" value="800000"' in page
    assert 'type="text" name="amount"' not in page and '<select name="matter_kind"' not in page


def test_edit_page_of_a_payment_order_links_to_the_order(client, city, budget, encumber):
    enc = encumber(amount=800_000)
    decide(enc.document)
    client.force_login(city.drafter)
    assert client.post(reverse("finance:payment_order_new"), order_post(budget, enc)).status_code == 302
    order = PaymentOrder.objects.get()
    page = client.get(reverse("documents:edit", args=[order.document_id])).content.decode()
    assert NOTE in page and f'href="{reverse("finance:payment_order_edit", args=[order.pk])}"' in page
    assert 'type="text" name="amount"' not in page
