"""Payment methods (支払方法) and what follows a payment: 精算 and 戻入.

* 資金前渡 (地方自治法施行令第161条): cash advanced to a staff member (資金前渡職員) for the stated
  purpose; settled (精算) afterwards, never above the advance; the unused part comes back (戻入).
* 概算払 (令162条) and 前金払 (令163条): the timing of a transfer or a cash payment; a 概算払 is
  settled like an advance, but a difference above it is paid by an additional order; a 前金払
  needs one of the grounds of 令163条各号 (or 附則第7条, 公共工事の前払金).
* 口座振替 (令165条の2): the bank debits the city's account on an agreement (no 全銀 file).
* 公金振替 (令165条の3・財務規則): between 会計 or to a 基金; an internal transfer record, no bank file.
* 戻入 (令159条): money paid back to a paid order (誤払い・過渡し); it lowers the line's 支出済額.
* 過年度支出 (令165条の8): a debt of a year already closed (出納閉鎖後) paid from this year's line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Sum

from cityhall.accounts.models import User
from cityhall.core.audit import record, snapshot
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.core.japanese import closing_period_end, fiscal_year, format_date, format_yen
from cityhall.core.japanese.money import parse_yen
from cityhall.documents.rules import section_of
from cityhall.finance.models import (
    TIMED_METHODS,
    BatchStatus,
    OrderRefund,
    OrderSettlement,
    PaymentMethod,
    PaymentOrder,
    PaymentTiming,
    PrepayGround,
    ReviewStatus,
    SettlementReceipt,
)
from cityhall.finance.services._common import NO_PERMISSION, require_user, today
from cityhall.org import selectors as org
from cityhall.org.models import Role

GROUND_MAX = 200
TRANSFER_TO_MAX = 100
NOTE_MAX = 200
NOT_FOUND = "支出命令が見つかりません。"


@dataclass(frozen=True)
class MethodPlan:
    """The checked payment method of an order and the fields that go with it."""

    payment_method: str
    payment_timing: str
    advance_holder: User | None
    method_ground: str
    transfer_to: str
    prior_fiscal_year: int | None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _check_advance(holder: Any, description: str) -> User:
    if not isinstance(holder, User) or not holder.is_active:
        raise ValidationFailed(
            "資金前渡では前渡を受ける職員（資金前渡職員）を選んでください（地方自治法施行令第161条）。",
            field="advance_holder",
        )
    if not description:
        raise ValidationFailed(
            "資金前渡では前渡の目的を摘要に入力してください（地方自治法施行令第161条）。", field="description"
        )
    return holder


def _check_timing(method: str, timing: str, ground: str) -> str:
    if timing not in PaymentTiming.values:
        raise ValidationFailed("支払の時期は確定払・概算払・前金払から選んでください。", field="payment_timing")
    if timing != PaymentTiming.REGULAR and method not in TIMED_METHODS:
        raise ValidationFailed(
            f"{PaymentTiming(timing).label}は口座振込か窓口払で支払ってください（地方自治法施行令第162条・第163条）。",
            field="payment_timing",
        )
    if timing == PaymentTiming.PREPAY and ground not in PrepayGround.values:
        raise ValidationFailed(
            "前金払の根拠（地方自治法施行令第163条各号・附則第7条）を選んでください。"
            "前金払はそこに掲げる経費に限られます。",
            field="method_ground",
        )
    return ground if timing == PaymentTiming.PREPAY else ""


def check_prior_year(value: Any, fy: int, day: dt.date) -> int | None:
    """過年度支出 (令165条の8): the original year is closed (出納閉鎖後) and the order charges this year's line."""
    if value in (None, ""):
        return None
    try:
        prior = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(
            "過年度支出の原年度は西暦の年度で入力してください。", field="prior_fiscal_year"
        ) from None
    current = fiscal_year(day)
    if fy != current:
        raise ValidationFailed(
            f"過年度支出は現年度（{current}年度）の予算から支出してください（地方自治法施行令第165条の8）。",
            field="prior_fiscal_year",
        )
    if prior >= fy:
        raise ValidationFailed(
            f"過年度支出の原年度（{prior}年度）は現年度（{fy}年度）より前にしてください。", field="prior_fiscal_year"
        )
    if day <= closing_period_end(prior):
        raise ValidationFailed(
            f"{prior}年度はまだ出納閉鎖前です（出納整理期間は{format_date(closing_period_end(prior))}まで）。"
            f"{prior}年度の予算から支出してください（過年度支出は出納閉鎖後の支出です。地方自治法施行令第165条の8）。",
            field="prior_fiscal_year",
        )
    return prior


def check_method(
    *,
    payment_method: str,
    payment_timing: Any,
    advance_holder: Any,
    method_ground: Any,
    transfer_to: Any,
    prior_fiscal_year: Any,
    description: str,
    fy: int,
    day: dt.date,
) -> MethodPlan:
    """The method's own fields, checked; fields of other methods are cleared."""
    timing = payment_timing or PaymentTiming.REGULAR
    ground, target = _text(method_ground), _text(transfer_to)
    if len(ground) > GROUND_MAX:
        raise ValidationFailed(f"支払方法の根拠は{GROUND_MAX}文字以内で入力してください。", field="method_ground")
    if len(target) > TRANSFER_TO_MAX:
        raise ValidationFailed(f"振替先は{TRANSFER_TO_MAX}文字以内で入力してください。", field="transfer_to")
    holder = _check_advance(advance_holder, description) if payment_method == PaymentMethod.ADVANCE else None
    ground = _check_timing(payment_method, timing, ground) if payment_method != PaymentMethod.DEBIT else ground
    if payment_method == PaymentMethod.DEBIT and not ground:
        raise ValidationFailed(
            "口座振替では振替の依頼（契約）の内容を支払方法の根拠に入力してください（地方自治法施行令第165条の2）。",
            field="method_ground",
        )
    if payment_method == PaymentMethod.INTERNAL and not target:
        raise ValidationFailed(
            "公金振替では振替先の会計または基金を入力してください（地方自治法施行令第165条の3・財務規則）。",
            field="transfer_to",
        )
    return MethodPlan(
        payment_method=payment_method,
        payment_timing=timing,
        advance_holder=holder,
        method_ground=ground,
        transfer_to=target if payment_method == PaymentMethod.INTERNAL else "",
        prior_fiscal_year=check_prior_year(prior_fiscal_year, fy, day),
    )


# --- after the payment: 精算 and 戻入 ------------------------------------------------------------


def _locked_paid_order(actor: User, order: PaymentOrder, day: dt.date) -> PaymentOrder:
    locked = (
        PaymentOrder.objects.select_for_update(of=("self",))
        .select_related("document", "batch", "section")
        .filter(pk=order.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(NOT_FOUND)
    own = locked.document.drafter_id == actor.pk or locked.advance_holder_id == actor.pk
    same_section = section_of(actor, on=day) == locked.section
    if not (own or same_section or org.has_role(actor, Role.TREASURER, on=day)):
        raise PermissionDenied(NO_PERMISSION)
    if locked.review_status != ReviewStatus.APPROVED or locked.batch is None or locked.batch.status != BatchStatus.PAID:
        raise Conflict("支払済の支出命令にだけ精算・戻入を記録できます。")
    return locked


def _check_before_closing(order: PaymentOrder, day: dt.date, field: str) -> None:
    """A 戻入 goes back to the year's expense only until its 出納閉鎖 (31 May); after it, the money is
    the current year's revenue (雑入), not a 戻入 (地方自治法施行令第159条)."""
    closing = closing_period_end(order.fiscal_year)
    if day > closing:
        raise ValidationFailed(
            f"{order.fiscal_year}年度は出納閉鎖（{format_date(closing)}）後のため戻入できません。"
            "返納金は現年度の歳入（雑入）として収入してください（地方自治法施行令第159条）。",
            field=field,
        )


def refunded_amount(order: PaymentOrder) -> int:
    """Σ 戻入 of the order."""
    return int(OrderRefund.objects.filter(order=order).aggregate(total=Sum("amount"))["total"] or 0)


@dataclass(frozen=True)
class ReceiptInput:
    """One receipt of a settlement (領収書): what and how much."""

    description: str
    amount: Any


def _receipts(receipts: Sequence[ReceiptInput], actual: int) -> list[tuple[str, int]]:
    checked = []
    for n, item in enumerate(receipts, start=1):
        text = _text(item.description)
        if not text or len(text) > NOTE_MAX:
            raise ValidationFailed(
                f"領収書{n}行目: 内容を{NOTE_MAX}文字以内で入力してください。", field=f"receipts.{n}.description"
            )
        checked.append((text, parse_yen(item.amount, field=f"receipts.{n}.amount", label=f"領収書{n}行目の金額")))
    if checked and sum(amount for _, amount in checked) != actual:
        total = sum(amount for _, amount in checked)
        raise ValidationFailed(
            f"領収書の合計（{format_yen(total)}）が精算額（{format_yen(actual)}）と一致しません。", field="receipts"
        )
    return checked


def order_settle(
    *,
    actor: Any,
    order: PaymentOrder,
    actual: Any,
    note: str = "",
    receipts: Sequence[ReceiptInput] = (),
    on: dt.date | None = None,
) -> OrderSettlement:
    """Settle a paid 資金前渡 or 概算払 (精算): what was actually spent; the unused part as a 戻入.

    A 資金前渡 is never settled above the advance (令161条); a 概算払 above it records the
    additional amount to be paid by a new order (令162条).
    """
    actor = require_user(actor)
    day = today(on)
    amount = parse_yen(actual, field="actual", label="精算額", minimum=0)
    note = _text(note)
    if len(note) > NOTE_MAX:
        raise ValidationFailed(f"摘要は{NOTE_MAX}文字以内で入力してください。", field="note")
    with transaction.atomic(durable=True):
        locked = _locked_paid_order(actor, order, day)
        if not locked.is_settled_later:
            raise ValidationFailed(
                "精算するのは資金前渡（地方自治法施行令第161条）と概算払（同第162条）の支出命令だけです。",
                field="actual",
            )
        if OrderSettlement.objects.filter(order=locked).exists():
            raise Conflict("この支出命令は既に精算しています。")
        advanced = locked.total_amount
        if locked.payment_method == PaymentMethod.ADVANCE and amount > advanced:
            raise ValidationFailed(
                f"資金前渡の精算額（{format_yen(amount)}）は前渡額（{format_yen(advanced)}）を超えられません"
                "（地方自治法施行令第161条）。超える分は別の支出命令で支出してください。",
                field="actual",
            )
        checked = _receipts(receipts, amount)
        if amount < advanced:
            _check_before_closing(locked, day, "actual")
        settlement = OrderSettlement.objects.create(
            order=locked,
            settled_on=day,
            advanced=advanced,
            actual=amount,
            additional=max(amount - advanced, 0),
            note=note,
            recorded_by=actor,
        )
        SettlementReceipt.objects.bulk_create(
            SettlementReceipt(settlement=settlement, position=n, description=text, amount=value)
            for n, (text, value) in enumerate(checked, start=1)
        )
        after = snapshot(settlement)
        after["receipts"] = [{"description": text, "amount": value} for text, value in checked]
        if settlement.returned:
            article = "161" if locked.payment_method == PaymentMethod.ADVANCE else "162"
            refund = OrderRefund.objects.create(
                order=locked,
                settlement=settlement,
                amount=settlement.returned,
                refunded_on=day,
                reason=f"精算による戻入（地方自治法施行令第{article}条）",
                recorded_by=actor,
            )
            after["refund"] = snapshot(refund)
        record(actor=actor, action="finance.payment_order.settle", obj=locked, after=after)
    return settlement


def order_refund(
    *, actor: Any, order: PaymentOrder, amount: Any, reason: str, on: dt.date | None = None
) -> OrderRefund:
    """Record a 戻入 (令159条) against a paid order: at most what the order paid less earlier refunds."""
    actor = require_user(actor)
    day = today(on)
    value = parse_yen(amount, field="amount", label="戻入額")
    reason = _text(reason)
    if not reason or len(reason) > NOTE_MAX:
        raise ValidationFailed(f"戻入の理由を{NOTE_MAX}文字以内で入力してください。", field="reason")
    with transaction.atomic(durable=True):
        locked = _locked_paid_order(actor, order, day)
        if locked.is_settled_later and not OrderSettlement.objects.filter(order=locked).exists():
            raise Conflict("資金前渡・概算払の戻入は精算で記録してください（地方自治法施行令第161条・第162条）。")
        _check_before_closing(locked, day, "amount")
        left = locked.payment_amount - refunded_amount(locked)
        if value > left:
            raise ValidationFailed(
                f"戻入額（{format_yen(value)}）は支出命令の支払額のうち戻入していない額（{format_yen(max(left, 0))}）"
                "以内にしてください（地方自治法施行令第159条）。",
                field="amount",
            )
        refund = OrderRefund.objects.create(
            order=locked, amount=value, refunded_on=day, reason=reason, recorded_by=actor
        )
        record(actor=actor, action="finance.payment_order.refund", obj=locked, after=snapshot(refund))
    return refund
