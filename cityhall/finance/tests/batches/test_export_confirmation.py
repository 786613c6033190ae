"""The batch list shows every batch's count and total; exporting asks to confirm them, then shows the batch exported."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cityhall.core.audit.models import AuditEntry
from cityhall.finance.models import BatchStatus, PaymentOrder
from cityhall.finance.services.review import order_review_return_approved
from cityhall.testing.finance import BATCH_TOTAL
from cityhall.testing.web import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("zengin_files")]


def _cell(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">(.*?)</', html, flags=re.S)
    assert match is not None, testid
    return match.group(1).strip()


def test_the_list_shows_the_open_batchs_count_and_total(batch, treasurer):
    html = client_for(treasurer).get(reverse("finance:batches")).content.decode()
    assert (_cell(html, "batch-count"), _cell(html, "batch-total")) == ("3 件", f"{BATCH_TOTAL:,}円")
    assert "—" not in html


def test_export_asks_to_confirm_count_and_total_then_shows_the_batch_exported_with_its_file(batch, treasurer):
    client = client_for(treasurer)
    detail = client.get(reverse("finance:batch", args=[batch.pk])).content.decode()
    assert f'href="{reverse("finance:batch_export", args=[batch.pk])}"' in detail  # a link: nothing written yet
    confirm = client.get(reverse("finance:batch_export", args=[batch.pk]))
    html = confirm.content.decode()
    assert (_cell(html, "confirm-count"), _cell(html, "confirm-total")) == ("3 件", f"{BATCH_TOTAL:,}円")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.OPEN

    data = {"expected_orders": "3", "expected_total": str(BATCH_TOTAL)}
    response = client.post(reverse("finance:batch_export", args=[batch.pk]), data, follow=True)
    assert response.redirect_chain == [(reverse("finance:batch", args=[batch.pk]), 302)]
    page = response.content.decode()
    assert f"振込データを出力しました（3件、{BATCH_TOTAL:,}円）。" in page
    assert _cell(page, "batch-status") == "振込データ出力済"
    batch.refresh_from_db()
    assert _cell(page, "batch-file") == batch.download_name != ""
    assert reverse("finance:batch_file", args=[batch.pk]) in page and 'data-testid="export"' not in page


def test_figures_that_changed_after_confirming_export_nothing_and_ask_again(batch, treasurer):
    client = client_for(treasurer)
    cash = PaymentOrder.objects.get(batch=batch, payment_method="cash")
    order_review_return_approved(actor=treasurer, order=cash, reason="請求書の再提出")
    data = {"expected_orders": "3", "expected_total": str(BATCH_TOTAL)}
    response = client.post(reverse("finance:batch_export", args=[batch.pk]), data, follow=True)
    assert response.redirect_chain == [(reverse("finance:batch_export", args=[batch.pk]), 302)]
    html = response.content.decode()
    assert "確認した後に支払データの内容が変わりました（確認時: 3件" in html and "現在: 2件" in html
    assert _cell(html, "confirm-count") == "2 件"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.OPEN
    assert not AuditEntry.objects.filter(action="finance.payment_batch.export").exists()


def test_a_post_without_the_confirmed_figures_is_refused(batch, treasurer):
    response = client_for(treasurer).post(reverse("finance:batch_export", args=[batch.pk]))
    assert response.status_code == 400 and "確認した件数が送られていません。" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.OPEN
