"""Finance screens of clerks and the accounting manager: 支出負担行為, 支出命令, 会計管理者審査, 支払データ."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from cityhall.documents import services as docs
from cityhall.documents.models import Document, DocumentStatus, StepState
from cityhall.documents.tests.conftest import SETUP, SINCE
from cityhall.finance import balance
from cityhall.finance.models import Allotment, Encumbrance
from cityhall.org import services as org_services
from cityhall.org.models import Role

from .conftest import FY

pytestmark = pytest.mark.django_db


def decide(document: Document) -> Document:
    """Submit by the drafter and approve step by step until decided (回議・決裁)."""
    doc = docs.submit(actor=document.drafter, document=document, expected_version=document.version)
    while doc.status == DocumentStatus.CIRCULATING:
        step = doc.steps.get(round=doc.current_round, state=StepState.PENDING)
        doc = docs.approve(actor=step.assignee, document=doc, expected_version=doc.version)
    assert doc.status == DocumentStatus.DECIDED
    return doc


def available(budget) -> int:
    return balance.available_amount(Allotment.objects.get(pk=budget.allotment.pk))


def field_error(html: str, field_id: str) -> str:
    """The error shown next to a field, checking that the input points at it (aria-describedby)."""
    match = re.search(rf'<p class="doc-field__error" id="{field_id}_error">([^<]*)</p>', html)
    assert match, f"no error next to {field_id}"
    tag = re.search(rf'<(?:input|select|textarea)[^>]*id="{field_id}"[^>]*>', html)
    assert tag and f"{field_id}_error" in tag.group(0) and 'aria-invalid="true"' in tag.group(0)
    return match.group(1)


def encumbrance_post(budget, **overrides) -> dict[str, str]:
    data = {
        "title": "消耗品の購入について",
        "line": str(budget.line.pk),
        "creditor": str(budget.creditor.pk),
        "amount": "800,000",
        "contract_method": "negotiated",
        "deadline": f"{FY + 1}-03-31",
        "body": "コピー用紙ほか",
    }
    return data | overrides


# --- 支出負担行為 ---------------------------------------------------------------------


def test_new_encumbrance_offers_only_lines_allotted_to_the_section_and_shows_the_balance(
    client, city, budget, encumber
):
    client.force_login(city.drafter)
    page = client.get(reverse("finance:encumbrance_new")).content.decode()
    assert budget.line.label in page and 'name="csrfmiddlewaretoken"' in page
    assert '<label class="doc-field__label" for="id_amount">金額（円）' in page

    decide(encumber(amount=500_000).document)
    partial = client.get(reverse("finance:encumbrance_balance"), {"line": budget.line.pk}).content.decode()
    assert "3,000,000円" in partial and "2,500,000円" in partial  # 配当額 and 執行可能額

    client.force_login(city.outsider)  # 人事課 has no allotment
    page = client.get(reverse("finance:encumbrance_new")).content.decode()
    assert budget.line.label not in page and "配当された予算科目がありません" in page
    partial = client.get(reverse("finance:encumbrance_balance"), {"line": budget.line.pk}).content.decode()
    assert "3,000,000円" not in partial


def test_drafting_an_encumbrance_saves_it_and_links_to_the_document(client, city, budget):
    client.force_login(city.drafter)
    response = client.post(reverse("finance:encumbrance_new"), encumbrance_post(budget))
    enc = Encumbrance.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("finance:encumbrance", args=[enc.pk])
    assert (enc.amount, enc.line, enc.creditor, enc.deadline) == (
        800_000,
        budget.line,
        budget.creditor,
        dt.date(FY + 1, 3, 31),
    )
    assert enc.document.title == "消耗品の購入について" and enc.document.drafter == city.drafter
    page = client.get(response["Location"]).content.decode()
    assert f'href="/documents/{enc.document_id}/"' in page
    listing = client.get(reverse("finance:encumbrances")).content.decode()
    assert enc.document.number_label in listing and "800,000円" in listing


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1000.5", "金額は円単位の整数で入力してください（入力: 「1000.5」）。"),
        ("0", "金額は1円以上で入力してください。"),
        ("", "金額を入力してください。"),
    ],
)
def test_bad_amounts_are_refused_next_to_the_field_and_nothing_is_saved(client, city, budget, amount, message):
    client.force_login(city.drafter)
    response = client.post(reverse("finance:encumbrance_new"), encumbrance_post(budget, amount=amount))
    assert response.status_code == 400
    html = response.content.decode()
    assert field_error(html, "id_amount") == message
    assert 'id="error-summary"' in html
    assert not Encumbrance.objects.exists() and not Document.objects.exists()


def test_over_budget_shows_the_services_message_at_the_amount_and_saves_nothing(client, city, budget):
    client.force_login(city.drafter)
    response = client.post(reverse("finance:encumbrance_new"), encumbrance_post(budget, amount="3,000,001"))
    assert response.status_code == 400
    message = field_error(response.content.decode(), "id_amount")
    assert message.startswith("予算残額が不足しています（予算科目: 一般会計 2款総務費")
    assert "執行可能額: 3,000,000円、要求額: 3,000,001円" in message
    assert not Encumbrance.objects.exists() and not Document.objects.exists()


def test_a_line_not_allotted_to_the_section_is_refused(client, city, budget):
    client.force_login(city.outsider)
    response = client.post(reverse("finance:encumbrance_new"), encumbrance_post(budget))
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_line") == "この予算科目は所属課に配当されていません。"
    assert not Encumbrance.objects.exists()


def test_detail_figures_amend_and_cancel_of_a_decided_encumbrance(client, city, budget, encumber):
    enc = encumber(amount=800_000)
    client.force_login(city.drafter)
    url = reverse("finance:encumbrance", args=[enc.pk])
    assert "金額を変更する" not in client.get(url).content.decode()  # not decided yet
    decide(enc.document)
    page = client.get(url).content.decode()
    assert "800,000円" in page and "金額を変更する" in page and "取り消す" in page

    response = client.post(reverse("finance:encumbrance_amend", args=[enc.pk]), {"amend-amount": "900000.5"})
    assert response.status_code == 400
    html = response.content.decode()
    assert field_error(html, "id_amend-amount") == "金額は円単位の整数で入力してください（入力: 「900000.5」）。"
    assert field_error(html, "id_amend-reason") == "変更理由を入力してください。"

    response = client.post(
        reverse("finance:encumbrance_amend", args=[enc.pk]), {"amend-amount": "3,000,001", "amend-reason": "追加"}
    )
    assert response.status_code == 400 and "予算残額が不足しています" in response.content.decode()
    enc.refresh_from_db()
    assert enc.amount == 800_000

    response = client.post(
        reverse("finance:encumbrance_amend", args=[enc.pk]), {"amend-amount": "1,000,000", "amend-reason": "数量増"}
    )
    assert response.status_code == 302
    enc.refresh_from_db()
    assert enc.amount == 1_000_000 and available(budget) == 2_000_000

    response = client.post(reverse("finance:encumbrance_cancel", args=[enc.pk]), {"cancel-reason": "契約不成立"})
    assert response.status_code == 302
    enc.refresh_from_db()
    assert enc.cancelled_at is not None and available(budget) == 3_000_000
    assert "取消" in client.get(url).content.decode()


def test_another_sections_encumbrance_is_not_found(client, city, budget, encumber):
    enc = encumber(amount=100_000)
    client.force_login(city.outsider)
    assert client.get(reverse("finance:encumbrance", args=[enc.pk])).status_code == 404
    response = client.post(reverse("finance:encumbrance_cancel", args=[enc.pk]), {"cancel-reason": "x"})
    assert response.status_code == 404
    assert enc.document.number_label not in client.get(reverse("finance:encumbrances")).content.decode()


# --- menu --------------------------------------------------------------------------


def test_menu_shows_review_and_batches_only_to_the_accounting_manager(client, city, budget):
    client.force_login(city.drafter)
    page = client.get(reverse("web:home")).content.decode()
    assert "支出負担行為" in page and "支出命令" in page
    assert "会計管理者審査" not in page and "支払データ" not in page
    assert client.get(reverse("finance:review_queue")).status_code == 404
    assert client.get(reverse("finance:batches")).status_code == 404

    org_services.role_grant(actor=SETUP, user=city.jinji_kacho, role=Role.TREASURER, valid_from=SINCE)
    client.force_login(city.jinji_kacho)
    page = client.get(reverse("web:home")).content.decode()
    assert "会計管理者審査" in page and "支払データ" in page
    assert client.get(reverse("finance:review_queue")).status_code == 200
