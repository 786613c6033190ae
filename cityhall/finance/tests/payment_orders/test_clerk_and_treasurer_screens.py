"""Finance screens of clerks and the accounting manager: 支出負担行為, 支出命令, 会計管理者審査, 支払データ."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from cityhall.documents.models import Document
from cityhall.finance.models import Encumbrance, PaymentOrder
from cityhall.finance.zengin import read_zengin
from cityhall.org import services as org_services
from cityhall.org.models import Role
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.engine import decide
from cityhall.testing.finance import FY, available, encumbrance_post, export_on_screen, order_post
from cityhall.testing.web import field_error

pytestmark = pytest.mark.django_db


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


def test_a_double_submitted_form_drafts_one_encumbrance(client, city, budget):
    client.force_login(city.drafter)
    data = encumbrance_post(budget)
    first = client.post(reverse("finance:encumbrance_new"), data)
    second = client.post(reverse("finance:encumbrance_new"), data)
    enc = Encumbrance.objects.get()
    assert first["Location"] == second["Location"] == reverse("finance:encumbrance", args=[enc.pk])
    assert "既に送信されています" in client.get(second["Location"]).content.decode()


BAD_AMOUNTS = [
    ("1000.5", "金額は円単位の整数で入力してください（入力: 「1000.5」）。"),
    ("１２３．４", "金額は円単位の整数で入力してください（入力: 「123.4」）。"),
    ("0", "金額は1円以上で入力してください。"),
    ("", "金額を入力してください。"),
]


def test_bad_amounts_are_refused_next_to_the_field_and_nothing_is_saved(client, city, budget):
    client.force_login(city.drafter)
    for amount, message in BAD_AMOUNTS:
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
    assert "減額する" not in client.get(url).content.decode()  # not decided yet
    decide(enc.document)
    client.force_login(city.kacho)  # 減額・取消: the authority that decided it (800,000円: 課長専決)
    page = client.get(url).content.decode()
    assert "800,000円" in page and "減額する" in page and "取り消す" in page

    response = client.post(reverse("finance:encumbrance_amend", args=[enc.pk]), {"amend-amount": "900000.5"})
    assert response.status_code == 400
    html = response.content.decode()
    assert field_error(html, "id_amend-amount") == "金額は円単位の整数で入力してください（入力: 「900000.5」）。"
    assert field_error(html, "id_amend-reason") == "変更理由を入力してください。"

    response = client.post(
        reverse("finance:encumbrance_amend", args=[enc.pk]), {"amend-amount": "3,000,001", "amend-reason": "追加"}
    )
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_amend-amount") == (
        "増額は、変更契約（支出負担行為の変更）を起案し、変更後の総額による決裁を受けてください"
        "（現在額: 800,000円、変更後: 3,000,001円）。"
    )
    enc.refresh_from_db()
    assert enc.amount == 800_000

    response = client.post(
        reverse("finance:encumbrance_amend", args=[enc.pk]), {"amend-amount": "600,000", "amend-reason": "数量減"}
    )
    assert response.status_code == 302
    enc.refresh_from_db()
    assert enc.amount == 600_000 and available(budget) == 2_400_000

    response = client.post(reverse("finance:encumbrance_cancel", args=[enc.pk]), {"cancel-reason": "契約不成立"})
    assert response.status_code == 302
    enc.refresh_from_db()
    assert enc.cancelled_at is not None and available(budget) == 3_000_000
    assert "取消" in client.get(url).content.decode()


def test_the_list_sorts_on_the_server(client, city, budget, encumber):
    for amount in (300_000, 100_000, 200_000):
        encumber(amount=amount, title=f"購入{amount}")
    client.force_login(city.drafter)
    ascending = ["100,000円", "200,000円", "300,000円"]
    for sort, expected in (("amount", ascending), ("-amount", ascending[::-1])):
        html = client.get(reverse("finance:encumbrances"), {"sort": sort}).content.decode()
        assert re.findall(r"<td class=\"num\"[^>]*>([\d,]+円)</td>", html) == expected
    html = client.get(reverse("finance:encumbrances"), {"sort": "amount"}).content.decode()
    assert 'aria-sort="ascending"' in html and 'href="?sort=-amount"' in html
    assert client.get(reverse("finance:encumbrances"), {"sort": "password"}).status_code == 200  # unknown: default


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


# --- 支出命令 -----------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    """Exported 全銀 files go to a fresh media directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def decided_encumbrance(city, encumber):
    """An ¥800,000 encumbrance of 総務課, decided by the 課長."""
    enc = encumber(amount=800_000)
    decide(enc.document)
    return Encumbrance.objects.get(pk=enc.pk)


@pytest.fixture
def treasurer(city):
    """人事課長 also holds 会計管理者 (Role.TREASURER) in this test city."""
    org_services.role_grant(actor=SETUP, user=city.jinji_kacho, role=Role.TREASURER, valid_from=SINCE)
    return city.jinji_kacho


def test_a_payment_order_against_a_decided_encumbrance_with_totals_by_tax_rate(
    client, city, budget, decided_encumbrance
):
    enc = decided_encumbrance
    client.force_login(city.drafter)
    form = client.get(reverse("finance:payment_order_new"), {"encumbrance": enc.pk}).content.decode()
    assert f'<option value="{enc.pk}" selected>' in form and 'name="lines-TOTAL_FORMS"' in form

    lines = (("440,000", "10", "0"), ("324,000", "8", ""), ("36,000", "0", ""))
    response = client.post(reverse("finance:payment_order_new"), order_post(budget, enc, lines=lines))
    assert response.status_code == 302, response.content.decode()[:3000]
    order = PaymentOrder.objects.get()
    assert (order.kind, order.encumbrance, order.total_amount, order.withholding_amount) == (
        "linked",
        enc,
        800_000,
        0,
    )
    assert [(x.amount, x.tax_rate, x.tax_amount) for x in order.lines.order_by("position")] == [
        (440_000, 10, 40_000),
        (324_000, 8, 24_000),
        (36_000, 0, 0),
    ]
    page = client.get(response["Location"]).content.decode()
    totals = page.split('data-testid="tax-totals"')[1].split("</table>")[0]
    assert re.findall(
        r"<th scope=\"row\">([^<]+)</th><td class=\"num\">([^<]+)</td><td class=\"num\">([^<]+)</td>", totals
    ) == [
        ("10%", "440,000円", "40,000円"),
        ("8%（軽減税率）", "324,000円", "24,000円"),
        ("対象外・非課税", "36,000円", "0円"),
    ]
    assert f'href="/documents/{order.document_id}/"' in page
    assert "800,000円" in client.get(reverse("finance:payment_orders")).content.decode()
    url = reverse("finance:encumbrance", args=[enc.pk])
    assert re.search(r'data-testid="remaining">800,000円<', client.get(url).content.decode())  # a draft holds nothing
    decide(order.document)
    detail = client.get(url).content.decode()
    assert re.search(r'data-testid="ordered">800,000円<', detail) and re.search(r'data-testid="remaining">0円<', detail)


def test_order_errors_show_next_to_the_line_and_nothing_is_saved(client, city, budget, decided_encumbrance):
    enc = decided_encumbrance
    client.force_login(city.drafter)
    bad = order_post(budget, enc, lines=(("1000.5", "10", ""),))
    response = client.post(reverse("finance:payment_order_new"), bad)
    assert response.status_code == 400
    html = response.content.decode()
    assert field_error(html, "id_lines-0-amount") == "金額は円単位の整数で入力してください（入力: 「1000.5」）。"
    assert 'data-testid="line-errors"' in html

    response = client.post(
        reverse("finance:payment_order_new"), order_post(budget, enc, lines=(("800,001", "10", ""),))
    )
    assert response.status_code == 400
    assert "支出負担行為の残額を超えています（負担額: 800,000円、命令済額: 0円、今回の額: 800,001円）" in (
        response.content.decode()
    )

    response = client.post(reverse("finance:payment_order_new"), order_post(budget, None, lines=(("1,000", "10", ""),)))
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_encumbrance") == "支出命令のときは支出負担行為を選んでください。"

    response = client.post(
        reverse("finance:payment_order_new"), order_post(budget, enc, lines=(("1,000", "10", "1,000"),))
    )
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_lines-0-withholding").startswith("明細1行目")
    assert not PaymentOrder.objects.exists()
    assert Document.objects.count() == 1  # the encumbrance's only


def test_a_collective_order_charges_the_line_without_encumbrance(client, city, budget):
    client.force_login(city.drafter)
    data = order_post(budget, None, lines=(("110,000", "10", ""), ("54,000", "8", "")))
    data |= {"kind": "collective", "line": str(budget.line.pk)}
    response = client.post(reverse("finance:payment_order_new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    order = PaymentOrder.objects.get()
    assert (order.kind, order.line, order.encumbrance, order.total_amount) == ("collective", budget.line, None, 164_000)
    decide(order.document)
    assert available(budget) == 3_000_000 - 164_000

    data = order_post(budget, None, lines=(("1,000", "10", ""),)) | {"kind": "collective", "line": ""}
    response = client.post(reverse("finance:payment_order_new"), data)
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_line").startswith("支出負担行為兼支出命令・集合支出命令のときは")
    data["line"] = str(budget.line.pk)
    response = client.post(reverse("finance:payment_order_new"), data)
    assert response.status_code == 400
    assert "集合支出命令には2行以上の明細（債権者）を入力してください。" in response.content.decode()
    assert PaymentOrder.objects.count() == 1


def test_an_order_failing_a_check_cannot_be_approved(client, city, budget, decided_encumbrance, treasurer):
    client.force_login(city.drafter)
    data = order_post(budget, decided_encumbrance) | {"inspection_date": ""}
    assert client.post(reverse("finance:payment_order_new"), data).status_code == 302
    order = PaymentOrder.objects.get()
    decide(order.document)
    client.force_login(treasurer)
    page = client.get(reverse("finance:review_queue")).content.decode()
    assert "検収日が入力されていません。" in page and "disabled" in page
    response = client.post(reverse("finance:review_approve", args=[order.pk]), follow=True)
    assert "検収日" in response.content.decode()
    order.refresh_from_db()
    assert order.review_status == "waiting" and order.batch is None


def test_a_batch_of_cash_orders_is_fixed_without_a_file(client, city, budget, decided_encumbrance, treasurer, media):
    client.force_login(city.drafter)
    data = order_post(budget, decided_encumbrance, lines=(("33,000", "10", ""),)) | {"payment_method": "cash"}
    assert client.post(reverse("finance:payment_order_new"), data).status_code == 302
    order = PaymentOrder.objects.get()
    decide(order.document)
    client.force_login(treasurer)
    assert client.post(reverse("finance:review_approve", args=[order.pk])).status_code == 302
    order.refresh_from_db()
    response = export_on_screen(client, order.batch_id, follow=True)
    html = response.content.decode()
    assert "口座振込がないため振込データのファイルはありません" in html and "振込データをダウンロード" not in html
    assert "支払済にする" in html


def test_add_a_row_returns_the_next_line_and_the_new_count(client, city, budget):
    client.force_login(city.drafter)
    html = client.get(reverse("finance:payment_order_line_row"), {"lines-TOTAL_FORMS": "2"}).content.decode()
    assert 'name="lines-2-amount"' in html and "明細 3" in html
    assert 'id="id_lines-TOTAL_FORMS" hx-swap-oob="true"' in html and 'value="3"' in html


def test_another_sections_order_is_not_found(client, city, budget, decided_encumbrance):
    client.force_login(city.drafter)
    client.post(reverse("finance:payment_order_new"), order_post(budget, decided_encumbrance))
    order = PaymentOrder.objects.get()
    client.force_login(city.outsider)
    assert client.get(reverse("finance:payment_order", args=[order.pk])).status_code == 404


# --- 会計管理者審査・支払データ ----------------------------------------------------------


def test_review_approve_return_export_and_mark_paid(client, city, budget, decided_encumbrance, treasurer, media):
    client.force_login(city.drafter)
    for amount in ("500,000", "300,000"):
        client.post(
            reverse("finance:payment_order_new"), order_post(budget, decided_encumbrance, lines=((amount, "10", ""),))
        )
    first, second = PaymentOrder.objects.order_by("pk")
    decide(first.document)
    decide(second.document)

    client.force_login(treasurer)
    page = client.get(reverse("finance:review_queue")).content.decode()
    assert page.count('data-testid="review-item"') == 2 and "債務確定" in page and "適法性" in page
    assert re.search(r'data-testid="nav-count">2<', page)

    response = client.post(reverse("finance:review_return", args=[second.pk]), {f"return-{second.pk}-reason": ""})
    assert response.status_code == 400
    assert field_error(response.content.decode(), f"id_return-{second.pk}-reason") == "返付理由を入力してください。"
    response = client.post(
        reverse("finance:review_return", args=[second.pk]), {f"return-{second.pk}-reason": "請求書の金額が違う"}
    )
    assert response.status_code == 302
    assert client.post(reverse("finance:review_approve", args=[first.pk])).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.review_status, second.review_status) == ("approved", "returned")

    batch = first.batch
    assert batch is not None
    page = client.get(reverse("finance:batch", args=[batch.pk])).content.decode()
    assert "振込データを出力" in page and "支払済にする" not in page
    response = export_on_screen(client, batch.pk)
    assert response.status_code == 302 and response["Location"] == reverse("finance:batch", args=[batch.pk])
    response = client.get(reverse("finance:batch_file", args=[batch.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    parsed = read_zengin(io.BytesIO(response.content), year=batch.payment_date.year)
    assert (parsed.count, parsed.total) == (1, 500_000)

    assert client.post(reverse("finance:batch_paid", args=[batch.pk])).status_code == 302
    batch.refresh_from_db()
    assert batch.status == "paid"
    assert "支払済" in client.get(reverse("finance:batches")).content.decode()

    client.force_login(city.drafter)  # not the accounting manager: the screens do not exist
    assert client.post(reverse("finance:review_approve", args=[second.pk])).status_code == 404
    assert client.get(reverse("finance:batch", args=[batch.pk])).status_code == 404


def test_the_accounting_office_reads_batches_but_cannot_act(client, city, budget, decided_encumbrance, treasurer):
    client.force_login(city.drafter)
    client.post(reverse("finance:payment_order_new"), order_post(budget, decided_encumbrance))
    order = PaymentOrder.objects.get()
    decide(order.document)
    client.force_login(treasurer)
    client.post(reverse("finance:review_approve", args=[order.pk]))
    order.refresh_from_db()
    assert order.batch is not None

    client.force_login(budget.staff)  # 会計 (財政課), not the 会計管理者
    assert "支払データ" in client.get(reverse("web:home")).content.decode()
    assert reverse("finance:batch", args=[order.batch_id]) in client.get(reverse("finance:batches")).content.decode()
    page = client.get(reverse("finance:batch", args=[order.batch_id])).content.decode()
    assert order.document.number_label in page
    assert "振込データを出力" not in page and "会計管理者審査" not in page
    assert client.post(reverse("finance:batch_export", args=[order.batch_id])).status_code == 404
    assert client.post(reverse("finance:batch_paid", args=[order.batch_id])).status_code == 404
    order.batch.refresh_from_db()
    assert order.batch.status == "open"
