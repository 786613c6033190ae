"""The accounting manager's review (会計管理者審査): the checks the law names, approve, return, the queue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.core.japanese import is_bank_business_day
from cityhall.core.japanese.business_days import business_day_on_or_after
from cityhall.finance import services
from cityhall.finance.models import Allotment, BatchStatus, Encumbrance, PaymentBatch, PaymentOrder, ReviewStatus
from cityhall.finance.selectors.review import review_checks, review_queue
from cityhall.finance.services.review import order_review_approve, order_review_return
from cityhall.notifications.models import Notification
from cityhall.org import services as org_services
from cityhall.org.models import Role
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.engine import decide, submit
from cityhall.testing.finance import FY, available, pay_day

pytestmark = pytest.mark.django_db


def test_approve_puts_the_order_into_the_open_batch_of_its_payment_date(treasurer, decided_order):
    order = decided_order(amounts=(110_000,))
    assert [c.ok for c in review_checks(order)] == [True, True, True, True]
    approved = order_review_approve(actor=treasurer, order=order)
    assert (approved.review_status, approved.reviewed_by, approved.review_reason) == (
        ReviewStatus.APPROVED,
        treasurer,
        "",
    )
    batch = approved.batch
    assert batch is not None
    assert (batch.payment_date, batch.status) == (order.payment_date, BatchStatus.OPEN)
    entry = AuditEntry.objects.get(action="finance.payment_order.review_approve", object_id=str(order.pk))
    assert entry.actor_label == "kaikei"
    assert AuditEntry.objects.filter(action="finance.payment_batch.create", object_id=str(batch.pk)).count() == 1


def test_approved_orders_are_grouped_by_payment_date(treasurer, decided_order):
    first_day = pay_day()
    second_day = pay_day(first_day)
    a = order_review_approve(actor=treasurer, order=decided_order(payment_date=first_day))
    b = order_review_approve(actor=treasurer, order=decided_order(payment_date=first_day))
    c = order_review_approve(actor=treasurer, order=decided_order(payment_date=second_day))
    assert a.batch_id == b.batch_id != c.batch_id
    assert list(PaymentBatch.objects.order_by("payment_date").values_list("payment_date", flat=True)) == [
        first_day,
        second_day,
    ]
    assert set(PaymentOrder.objects.filter(batch=a.batch_id).values_list("pk", flat=True)) == {a.pk, b.pk}


def test_only_the_accounting_manager_may_review(city, budget, decided_order):
    order = decided_order()
    for actor in (city.drafter, city.kacho, budget.staff, "batch"):
        with pytest.raises(PermissionDenied):
            order_review_approve(actor=actor, order=order)
        with pytest.raises(PermissionDenied):
            order_review_return(actor=actor, order=order, reason="不備")
    order.refresh_from_db()
    assert (order.review_status, order.batch_id) == (ReviewStatus.WAITING, None)
    assert list(review_queue(city.kacho)) == []


def test_an_accounting_manager_cannot_review_an_order_they_drafted_or_decided(city, treasurer, decided_order):
    order = decided_order()
    for who, role in ((city.drafter, "起案"), (city.kacho, "決裁")):
        org_services.role_grant(actor=SETUP, user=who, role=Role.TREASURER, valid_from=SINCE)
        assert list(review_queue(who)) == []  # not offered to them at all
        with pytest.raises(ValidationFailed, match=f"自ら{role}した支出命令は審査できません"):
            order_review_approve(actor=who, order=order)
        with pytest.raises(ValidationFailed, match=f"自ら{role}した支出命令は審査できません"):
            order_review_return(actor=who, order=order, reason="不備")
    order.refresh_from_db()
    assert (order.review_status, order.batch_id) == (ReviewStatus.WAITING, None)
    assert order.document.decided_by_id == city.kacho.pk
    assert list(review_queue(treasurer)) == [order]  # another accounting manager reviews it


def _refused(treasurer, order, label: str, detail: str, **kw) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        order_review_approve(actor=treasurer, order=order, **kw)
    assert f"{label}: " in caught.value.message and detail in caught.value.message
    order.refresh_from_db()
    assert (order.review_status, order.batch_id) == (ReviewStatus.WAITING, None)
    assert not PaymentBatch.objects.exists()
    return caught.value


def test_an_order_not_yet_decided_is_not_lawful(city, treasurer, draft_order):
    order = draft_order()
    submit(order)
    error = _refused(treasurer, order, "適法性", "支出命令が決裁されていません（文書の状態: 回議中）")
    assert error.field == "document"


def test_an_order_on_a_cancelled_encumbrance_is_not_lawful(city, treasurer, encumber, decided_order):
    encumbrance = encumber(amount=500_000)
    decide(encumbrance)
    order = decided_order(kind="linked", encumbrance=encumbrance, amounts=(200_000,))
    with pytest.raises(Conflict):  # the service keeps an encumbrance with orders from being cancelled …
        services.encumbrance_cancel(actor=city.kacho, encumbrance=encumbrance, reason="契約解除")
    # … so the state is reached only behind the services' back (a data correction); the review still stops.
    Encumbrance.objects.filter(pk=encumbrance.pk).update(cancelled_at=timezone.now())
    _refused(treasurer, order, "適法性", "支出負担行為が取り消されています")


def test_the_budget_is_checked_again_with_the_allotment_locked(budget, treasurer, decided_order):
    order = decided_order(amounts=(900_000,))
    # The allotment is cut behind the services' back (a data correction): the review must still stop.
    Allotment.objects.filter(pk=budget.allotment.pk).update(amount=500_000)
    error = _refused(treasurer, order, "予算", "執行可能額: 500,000円、要求額: 900,000円")
    assert (error.field, error.extra["checks"]) == ("amount", ["予算"])


def test_a_linked_order_above_its_amended_encumbrance_is_refused(city, treasurer, encumber, decided_order):
    encumbrance = encumber(amount=500_000)
    decide(encumbrance)
    order = decided_order(kind="linked", encumbrance=encumbrance, amounts=(400_000,))
    with pytest.raises((Conflict, ValidationFailed)):  # the service refuses to cut below the orders …
        services.encumbrance_amend(actor=city.kacho, encumbrance=encumbrance, amount=300_000, reason="減額")
    # … so the state is reached only behind the services' back (a data correction); the review still stops.
    Encumbrance.objects.filter(pk=encumbrance.pk).update(amount=300_000)
    _refused(treasurer, order, "予算", "支出負担行為の残額が不足しています（負担行為額: 300,000円")


@pytest.mark.parametrize(
    ("change", "detail", "field"),
    [
        ({"inspection_date": None}, "検収日が入力されていません", "inspection_date"),
        ({"invoice_received_on": None}, "請求書受理日が入力されていません", "invoice_received_on"),
    ],
)
def test_the_debt_must_be_fixed(treasurer, decided_order, change, detail, field):
    error = _refused(treasurer, decided_order(**change), "債務確定", detail)
    assert error.field == field


def test_an_inspection_after_the_review_day_is_not_a_fixed_debt(treasurer, decided_order):
    order = decided_order()
    _refused(treasurer, order, "債務確定", "が未来の日付です", on=order.inspection_date - dt.timedelta(days=1))


def test_the_payment_date_must_not_have_passed(treasurer, decided_order):
    order = decided_order()
    _refused(treasurer, order, "支払日", "が過ぎています", on=pay_day(order.payment_date))


def test_the_payment_date_must_be_a_bank_business_day(treasurer, decided_order):
    order = decided_order()
    sunday = order.payment_date + dt.timedelta(days=6 - order.payment_date.weekday())
    assert not is_bank_business_day(sunday)
    # The drafting service refuses holidays: the state is reached only behind the services' back.
    PaymentOrder.objects.filter(pk=order.pk).update(payment_date=sunday)
    order.refresh_from_db()
    _refused(treasurer, order, "支払日", "は銀行の休業日（日曜日）です")


def test_several_failed_checks_are_named_together(treasurer, decided_order):
    order = decided_order(inspection_date=None)
    error = _refused(treasurer, order, "債務確定", "検収日", on=pay_day(order.payment_date))
    assert error.extra["checks"] == ["債務確定", "支払日"]


def test_return_releases_the_budget_and_tells_the_drafter(
    city, budget, treasurer, decided_order, django_capture_on_commit_callbacks
):
    order = decided_order(amounts=(700_000,))
    assert available(budget) == 2_300_000
    with django_capture_on_commit_callbacks(execute=True):
        returned = order_review_return(actor=treasurer, order=order, reason="  請求書の日付が誤っています ")
    assert (returned.review_status, returned.review_reason, returned.batch_id) == (
        ReviewStatus.RETURNED,
        "請求書の日付が誤っています",
        None,
    )
    assert available(budget) == 3_000_000
    note = Notification.objects.get(recipient=city.drafter)
    assert note.subject.startswith("支出命令が返付されました: ")
    assert note.subject.endswith("（理由: 請求書の日付が誤っています）")
    assert note.target == f"finance.paymentorder:{order.pk}"
    assert AuditEntry.objects.filter(action="finance.payment_order.review_return", object_id=str(order.pk)).exists()
    with pytest.raises(Conflict, match="既に審査されています（審査状況: 返付）"):
        order_review_approve(actor=treasurer, order=order)


def test_return_needs_a_reason_and_a_decided_order(city, treasurer, draft_order, decided_order):
    order = decided_order()
    with pytest.raises(ValidationFailed, match="返付理由を入力してください") as caught:
        order_review_return(actor=treasurer, order=order, reason="  ")
    assert caught.value.field == "reason"
    with pytest.raises(ValidationFailed, match="300文字以内"):
        order_review_return(actor=treasurer, order=order, reason="x" * 301)
    order.refresh_from_db()
    assert order.review_status == ReviewStatus.WAITING
    with pytest.raises(Conflict, match="決裁前の支出命令は返付できません"):
        order_review_return(actor=treasurer, order=draft_order(), reason="不備")
    assert not AuditEntry.objects.filter(action="finance.payment_order.review_return").exists()


def test_an_approved_order_cannot_be_approved_or_returned_again(treasurer, decided_order):
    order = decided_order()
    order_review_approve(actor=treasurer, order=order)
    with pytest.raises(Conflict, match="審査済"):
        order_review_approve(actor=treasurer, order=order)
    with pytest.raises(Conflict, match="審査済"):
        order_review_return(actor=treasurer, order=order, reason="やはり不備")
    assert AuditEntry.objects.filter(action="finance.payment_order.review_approve").count() == 1


def test_the_queue_holds_decided_orders_waiting_oldest_payment_date_first(treasurer, draft_order, decided_order):
    later = decided_order(payment_date=pay_day(pay_day()))
    sooner = decided_order(payment_date=pay_day())
    draft_order()  # not decided: not in the queue
    approved = decided_order()
    order_review_approve(actor=treasurer, order=approved)
    assert list(review_queue(treasurer)) == [sooner, later]


def test_the_checks_read_in_japanese(treasurer, decided_order):
    order = decided_order(invoice_received_on=None)
    checks = review_checks(order)
    assert [(c.label, c.ok) for c in checks] == [
        ("適法性", True),
        ("予算", True),
        ("債務確定", False),
        ("支払日", True),
    ]
    assert checks[2].detail == "請求書受理日が入力されていません。"
    assert checks[1].detail.startswith("執行可能額 2,890,000円")


def test_review_flags_an_old_year_order_inspected_after_31_march(city, budget):
    march = business_day_on_or_after(dt.date(FY + 1, 3, 23))
    order = services.payment_order_draft(
        actor=city.drafter, title="電気料", kind="combined", line=budget.line,
        lines=[services.OrderLineInput(creditor=budget.creditor, amount=50_000)],
        payment_date=business_day_on_or_after(dt.date(FY + 1, 4, 10)), inspection_date=dt.date(FY + 1, 4, 2),
        invoice_received_on=dt.date(FY + 1, 4, 3), on=march,
    )  # fmt: skip
    decide(order, on=march)
    checks = {c.label: c for c in review_checks(order, on=dt.date(FY + 1, 4, 6))}
    assert not checks["債務確定"].ok
    assert checks["債務確定"].field == "inspection_date"
    assert "年度末" in checks["債務確定"].detail
