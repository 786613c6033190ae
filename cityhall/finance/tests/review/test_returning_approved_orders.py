"""Returning an approved order (審査済の返付) while its batch is open: the budget released once, on screen and API."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, ValidationFailed
from cityhall.finance.models import (
    BatchStatus,
    PaymentBatch,
    PaymentOrder,
    ReviewStatus,
)
from cityhall.finance.services.batches import batch_export, batch_mark_paid
from cityhall.finance.services.review import order_review_approve, order_review_return, order_review_return_approved
from cityhall.notifications.models import Notification
from cityhall.org import services as org_services
from cityhall.org.models import Role
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.finance import available, pay_day
from cityhall.testing.web import client_for, finance_api

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("zengin_files")]


def _batch_of(order: PaymentOrder) -> PaymentBatch:
    assert order.batch is not None
    return order.batch


def _audit(action: str, pk: int) -> tuple[dict, dict]:
    entry = AuditEntry.objects.get(action=action, object_id=str(pk))
    return json.loads(entry.before or "null"), json.loads(entry.after or "null")


def test_an_approved_order_is_returned_from_its_open_batch_and_releases_its_budget_once(
    city, budget, treasurer, decided_order, django_capture_on_commit_callbacks
):
    day = pay_day()
    first = order_review_approve(actor=treasurer, order=decided_order(amounts=(700_000,), payment_date=day))
    second = order_review_approve(actor=treasurer, order=decided_order(amounts=(100_000,), payment_date=day))
    batch = _batch_of(first)
    assert batch is not None and second.batch_id == batch.pk
    assert available(budget) == 3_000_000 - 800_000

    with django_capture_on_commit_callbacks(execute=True):
        returned = order_review_return_approved(actor=treasurer, order=first, reason=" 請求書の金額が誤っています ")

    assert (returned.review_status, returned.review_reason, returned.batch_id) == (
        ReviewStatus.RETURNED,
        "請求書の金額が誤っています",
        None,
    )
    assert available(budget) == 3_000_000 - 100_000  # released once, as by a return before approval
    before, after = _audit("finance.payment_order.review_return", first.pk)
    assert (before["review_status"], before["batch_id"]) == (ReviewStatus.APPROVED, batch.pk)
    assert (after["review_status"], after["batch_id"], after["review_reason"]) == (
        ReviewStatus.RETURNED,
        None,
        "請求書の金額が誤っています",
    )
    note = Notification.objects.get(recipient=city.drafter)
    assert note.subject.startswith("支出命令が返付されました: ")
    assert "支出命令の画面の「この内容で起案し直す」から修正して起案し直してください" in note.subject
    assert note.subject.endswith("（理由: 請求書の金額が誤っています）")
    assert note.url == reverse("finance:payment_order", args=[first.pk])
    batch.refresh_from_db()  # the other order keeps the batch
    assert list(batch.orders.values_list("pk", flat=True)) == [second.pk]

    # Once returned, nothing releases it again.
    for undo in (order_review_return_approved, order_review_return):
        with pytest.raises(Conflict, match="返付"):
            undo(actor=treasurer, order=first, reason="もう一度")
    assert available(budget) == 3_000_000 - 100_000
    assert AuditEntry.objects.filter(action="finance.payment_order.review_return").count() == 1


def test_the_last_order_returned_deletes_the_batch_so_it_cannot_be_exported(budget, treasurer, decided_order):
    order = order_review_approve(actor=treasurer, order=decided_order(amounts=(50_000,)))
    batch = order.batch
    assert batch is not None

    order_review_return_approved(actor=treasurer, order=order, reason="支払先が誤っています")

    assert not PaymentBatch.objects.filter(pk=batch.pk).exists()
    before, after = _audit("finance.payment_batch.delete", batch.pk)
    assert (before["status"], before["payment_date"], after) == (BatchStatus.OPEN, f"{batch.payment_date}", None)
    assert available(budget) == 3_000_000
    # A later approval of the date opens a new batch.
    again = order_review_approve(
        actor=treasurer, order=decided_order(amounts=(10_000,), payment_date=batch.payment_date)
    )
    assert again.batch is not None and again.batch_id != batch.pk


def test_a_batch_whose_payment_date_has_passed_can_be_emptied(budget, treasurer, decided_order):
    order = order_review_approve(actor=treasurer, order=decided_order(amounts=(50_000,)))
    later = order.payment_date + dt.timedelta(days=7)
    with pytest.raises(ValidationFailed, match=r"支払日.*が過ぎているため"):
        batch_export(actor=treasurer, batch=_batch_of(order), on=later)
    order_review_return_approved(actor=treasurer, order=order, reason="支払日が過ぎたため", on=later)
    assert not PaymentBatch.objects.exists()
    assert available(budget) == 3_000_000


@pytest.mark.parametrize("paid", [False, True])
def test_the_return_is_refused_once_the_batch_is_exported_or_paid(batch, treasurer, paid):
    batch_export(actor=treasurer, batch=batch)
    if paid:
        batch_mark_paid(actor=treasurer, batch=batch)
    label = "支払済" if paid else "振込データ出力済"
    order = batch.orders.order_by("pk").first()
    with pytest.raises(Conflict, match=f"支払データは既に「{label}」のため、返付できません"):
        order_review_return_approved(actor=treasurer, order=order, reason="不備")
    order.refresh_from_db()
    assert (order.review_status, order.batch_id) == (ReviewStatus.APPROVED, batch.pk)
    assert not AuditEntry.objects.filter(action="finance.payment_order.review_return").exists()


def test_the_return_of_an_approved_order_needs_a_reason_and_another_accounting_manager(city, treasurer, decided_order):
    order = order_review_approve(actor=treasurer, order=decided_order())
    with pytest.raises(ValidationFailed, match="返付理由を入力してください"):
        order_review_return_approved(actor=treasurer, order=order, reason=" ")
    org_services.role_grant(actor=SETUP, user=city.drafter, role=Role.TREASURER, valid_from=SINCE)
    with pytest.raises(ValidationFailed, match="自ら起案した支出命令は審査できません"):
        order_review_return_approved(actor=city.drafter, order=order, reason="不備")
    waiting = decided_order()
    with pytest.raises(Conflict, match="審査済の支出命令ではないため"):
        order_review_return_approved(actor=treasurer, order=waiting, reason="不備")
    with pytest.raises(Conflict, match="支払データの画面から返付できます"):
        order_review_return(actor=treasurer, order=order, reason="不備")
    order.refresh_from_db()
    assert order.review_status == ReviewStatus.APPROVED


def _csrf(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_the_batch_page_returns_an_order_with_csrf(budget, treasurer, decided_order):
    day = pay_day()
    first = order_review_approve(actor=treasurer, order=decided_order(amounts=(70_000,), payment_date=day))
    second = order_review_approve(actor=treasurer, order=decided_order(amounts=(30_000,), payment_date=day))
    batch = _batch_of(first)
    client = Client(enforce_csrf_checks=True)
    client.force_login(treasurer)
    url = reverse("finance:batch", args=[batch.pk])
    page = client.get(url).content.decode()
    action = reverse("finance:batch_order_return", args=[batch.pk, first.pk])
    assert f'action="{action}"' in page and page.count('data-testid="batch-return"') == 2
    token = _csrf(page)

    assert client.post(action, {f"return-{first.pk}-reason": "x"}).status_code == 403  # no token
    empty = client.post(action, {"csrfmiddlewaretoken": token, f"return-{first.pk}-reason": ""})
    assert empty.status_code == 400 and "返付理由を入力してください" in empty.content.decode()

    done = client.post(action, {"csrfmiddlewaretoken": token, f"return-{first.pk}-reason": "請求書の再提出"})
    assert (done.status_code, done["Location"]) == (302, url)
    first.refresh_from_db()
    assert (first.review_status, first.batch_id) == (ReviewStatus.RETURNED, None)
    assert "を返付しました" in client.get(url).content.decode()

    last = reverse("finance:batch_order_return", args=[batch.pk, second.pk])
    gone = client.post(last, {"csrfmiddlewaretoken": token, f"return-{second.pk}-reason": "取りやめ"})
    assert (gone.status_code, gone["Location"]) == (302, reverse("finance:batches"))
    assert not PaymentBatch.objects.filter(pk=batch.pk).exists()


def test_the_batch_page_offers_no_return_after_export_and_refuses_one(batch, treasurer, city):
    order = batch.orders.order_by("pk").first()
    client = client_for(treasurer)
    action = reverse("finance:batch_order_return", args=[batch.pk, order.pk])
    batch_export(actor=treasurer, batch=batch)
    page = client.get(reverse("finance:batch", args=[batch.pk])).content.decode()
    assert 'data-testid="batch-return"' not in page
    refused = client.post(action, {f"return-{order.pk}-reason": "不備"}, follow=True)
    assert "のため、返付できません" in refused.content.decode()
    order.refresh_from_db()
    assert order.review_status == ReviewStatus.APPROVED
    # Not the accounting manager: the action does not exist for them.
    assert client_for(city.drafter).post(action, {f"return-{order.pk}-reason": "不備"}).status_code == 404


def test_the_api_returns_an_approved_order_while_its_batch_is_open(budget, treasurer, decided_order):
    day = pay_day()
    order = order_review_approve(actor=treasurer, order=decided_order(amounts=(60_000,), payment_date=day))
    kept = order_review_approve(actor=treasurer, order=decided_order(amounts=(40_000,), payment_date=day))
    path = f"/payment-orders/{order.pk}/review-return"
    answer = finance_api(treasurer, "post", path, {"reason": "請求書の宛名が誤っています"})
    assert answer.status_code == 200, answer.content
    assert (answer.json()["review_status"], answer.json()["batch_id"]) == (ReviewStatus.RETURNED, None)
    assert available(budget) == 3_000_000 - 40_000

    batch_export(actor=treasurer, batch=_batch_of(kept))
    refused = finance_api(treasurer, "post", f"/payment-orders/{kept.pk}/review-return", {"reason": "不備"})
    assert refused.status_code == 409
    assert "返付できません" in refused.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_returning_the_last_order_races_an_approval_and_an_export_of_the_date(treasurer, decided_order):
    """The return empties and deletes the batch while others approve into it or export it: no order is lost."""
    from cityhall.testing.race import race

    day = pay_day()
    first = order_review_approve(actor=treasurer, order=decided_order(amounts=(10_000,), payment_date=day))
    batch = _batch_of(first)
    racing = decided_order(amounts=(20_000,), payment_date=day)

    outcomes = race(
        [
            lambda: order_review_return_approved(actor=treasurer, order=first, reason="取りやめ"),
            lambda: order_review_approve(actor=treasurer, order=racing),
            lambda: batch_export(actor=treasurer, batch=batch),
        ]
    )

    first.refresh_from_db()
    racing.refresh_from_db()
    assert racing.review_status == ReviewStatus.APPROVED and racing.batch_id is not None
    assert PaymentBatch.objects.filter(orders__isnull=True).count() == 0  # no empty batch is left
    if first.review_status == ReviewStatus.RETURNED:
        assert first.batch_id is None
    else:  # the export came first: the return was refused
        assert first.batch_id == batch.pk and "Conflict" in outcomes
    for exported in PaymentBatch.objects.exclude(status=BatchStatus.OPEN):
        assert exported.total_amount == sum(exported.orders.values_list("payment_amount", flat=True))
