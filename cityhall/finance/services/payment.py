"""Payment order services (支出命令): linked, combined (兼) and collective (集合) orders.

A payment order is a typed document (``finance.payment_order``) of the matter
kind 支出, so its route follows the delegation rules by amount. Three kinds:

* 支出命令 (``LINKED``) pays against a decided encumbrance of the drafter's
  section: Σ ordered ≤ the encumbrance's amount.
* 支出負担行為兼支出命令 (``COMBINED``) commits and orders in one document, only
  on the 節 of ``settings.CITYHALL_COMBINABLE_SETSU``; it counts in the hard stop like an encumbrance.
* 集合支出命令 (``COLLECTIVE``) pays many creditors from one line on one date;
  it counts in the hard stop too.

Budget is checked when drafting, when the order is submitted (``validate_submit``)
and again inside the deciding transaction (``validate_decide``), each time with the
allotment row locked: that lock is the one serialization point shared with
encumbrances, their amendments and cancellations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from cityhall.accounts.models import User
from cityhall.core.audit import record, snapshot
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.core.japanese import (
    closing_period_end,
    fiscal_year,
    fiscal_year_end,
    format_date,
    format_yen,
    is_bank_business_day,
    to_japan_date,
)
from cityhall.core.japanese.business_days import business_day_on_or_after, closure_reason
from cityhall.core.japanese.money import parse_yen
from cityhall.core.matters import SPENDING_KIND
from cityhall.documents import registry
from cityhall.documents.models import (
    DECIDED_STATUSES,
    EDITABLE_STATUSES,
    Document,
    DocumentStatus,
    FilePlanClass,
    MatterKind,
)
from cityhall.documents.rules import section_of
from cityhall.documents.typed import KEEP, draft_insert, lock_editable_document, update_document_in_transaction
from cityhall.finance import balance, banks
from cityhall.finance.models import (
    Allotment,
    BudgetLine,
    Creditor,
    CreditorBankAccount,
    Encumbrance,
    OrderKind,
    PaymentMethod,
    PaymentOrder,
    PaymentOrderLine,
    ReviewStatus,
    TaxRate,
)
from cityhall.finance.services._common import require_spending, require_user, today
from cityhall.finance.services.encumbrance import FILE_PLAN, acting_day, acting_on, check_not_reserve
from cityhall.org.models import OrgUnit

PAYMENT_ORDER_TYPE = "finance.payment_order"
PAYMENT_ORDER_LABEL = "支出命令"
NOT_FOUND = "支出命令が見つかりません。"
ENCUMBRANCE_NOT_FOUND = "支出負担行為が見つかりません。"


def combinable_setsu() -> frozenset[str]:
    """節 on which a 支出負担行為兼支出命令 is allowed (``settings.CITYHALL_COMBINABLE_SETSU``).

    Expenses whose debt is fixed by law, by a unit price or by the claim itself at the
    moment of payment (給料・手当, 謝礼, 旅費, 光熱水費・消耗品, 手数料, 使用料, 負担金, 扶助費,
    償還金, 公課費, 繰出金): the city's 財務規則 lists them as 「支出決定のとき」 or
    「請求のあったとき」, so a prior encumbrance would only repeat the order. Contracts that
    must be encumbered before the work (委託料, 工事請負費, 備品購入費 …) are not among them.
    """
    return frozenset(settings.CITYHALL_COMBINABLE_SETSU)


TAX_RATES = tuple(TaxRate.values)
DESCRIPTION_MAX = 200


@dataclass(frozen=True)
class OrderLineInput:
    """One line as entered (支出命令の明細の入力): creditor, 税込 amount, tax rate, withholding."""

    creditor: Creditor
    amount: Any  # 税込 whole yen, charged to the budget
    tax_rate: int = 10  # 10, 8 or 0 (対象外・非課税)
    tax_amount: Any = None  # None → amount*rate//(100+rate); if given within 1 yen of that
    withholding: Any = 0  # 源泉徴収, 0 <= w < amount
    bank_account: CreditorBankAccount | None = None  # None → the creditor's default account (transfer)
    description: str = ""


@dataclass(frozen=True)
class _Line:
    """A checked line, ready to store."""

    position: int
    creditor: Creditor
    bank_account: CreditorBankAccount | None
    description: str
    tax_rate: int
    amount: int
    tax_amount: int
    withholding: int


@dataclass(frozen=True)
class _Plan:
    """Everything checked about an order before it is written (起案・修正の内容)."""

    kind: str
    line: BudgetLine
    encumbrance: Encumbrance | None
    lines: list[_Line]
    payment_method: str
    payment_date: dt.date
    inspection_date: dt.date | None
    invoice_received_on: dt.date | None
    description: str

    @property
    def total(self) -> int:
        return sum(x.amount for x in self.lines)

    @property
    def withholding(self) -> int:
        return sum(x.withholding for x in self.lines)


# --- lines ------------------------------------------------------------------


def _row(position: int) -> str:
    return f"明細{position}行目"


def _tax(position: int, amount: int, rate: Any, given: Any) -> tuple[int, int]:
    """The rate and the consumption tax within ``amount`` (内税), given or computed (端数切捨て)."""
    if isinstance(rate, bool) or rate not in TAX_RATES:
        raise ValidationFailed(
            f"{_row(position)}: 税率は10%・8%（軽減税率）・対象外（0%）から選んでください（入力: 「{rate}」）。",
            field=f"lines.{position}.tax_rate",
        )
    expected = amount * rate // (100 + rate)
    if given is None:
        return rate, expected
    tax = parse_yen(given, field=f"lines.{position}.tax_amount", label=f"{_row(position)}: 消費税額", minimum=None)
    if not 0 <= tax < amount:  # the tax is part of the 税込 amount; the table refuses anything else
        raise ValidationFailed(
            f"{_row(position)}: 消費税額（{format_yen(tax)}）は0円以上、"
            f"金額（{format_yen(amount)}）未満にしてください。",
            field=f"lines.{position}.tax_amount",
        )
    if rate == 0 and tax != 0:
        raise ValidationFailed(
            f"{_row(position)}: 対象外・非課税の明細の消費税額は0円です（入力: {format_yen(tax)}）。",
            field=f"lines.{position}.tax_amount",
        )
    if abs(tax - expected) > 1:
        raise ValidationFailed(
            f"{_row(position)}: 消費税額（{format_yen(tax)}）が金額{format_yen(amount)}の{rate}%分"
            f"（{format_yen(expected)}）と合いません。",
            field=f"lines.{position}.tax_amount",
        )
    return rate, tax


def _bank_account(position: int, item: OrderLineInput, method: str) -> CreditorBankAccount | None:
    """The account to transfer to: the given one (of this creditor, in use) or the creditor's default (既定の口座).

    A stopped account (停止中) is never chosen, and refused when given.
    """
    account = item.bank_account
    if account is not None and account.creditor_id != item.creditor.pk:
        raise ValidationFailed(
            f"{_row(position)}: 振込口座は債権者「{item.creditor.name}」の口座から選んでください。",
            field=f"lines.{position}.bank_account",
        )
    if account is not None and not account.is_active:
        named = f"{account.bank_name} {account.branch_name} {account.account_number}"
        raise ValidationFailed(
            f"{_row(position)}: 口座（{named}）は停止中です。",
            field=f"lines.{position}.bank_account",
        )
    if method != PaymentMethod.TRANSFER:
        return account
    if account is None:
        accounts = CreditorBankAccount.objects.filter(creditor=item.creditor, is_active=True)
        account = accounts.order_by("-is_default", "pk").first()
    if account is None:
        stopped = CreditorBankAccount.objects.filter(creditor=item.creditor).exists()
        raise ValidationFailed(
            f"{_row(position)}: 債権者「{item.creditor.name}」"
            + ("の振込口座はすべて停止中です" if stopped else "に振込口座が登録されていません")
            + "（口座を登録するか、支払方法を窓口払にしてください）。",
            field=f"lines.{position}.bank_account",
        )
    _check_bank_exists(position, item.creditor, account)
    return account


def _check_bank_exists(position: int, creditor: Creditor, account: CreditorBankAccount) -> None:
    """The account's bank and branch still exist in the 全銀協 codes (zengin-code).

    Branches merge and close (支店の統廃合); an account registered before keeps the old code, and the
    transfer file would be rejected by the bank long after the order was decided.
    """
    try:
        banks.branch(account.bank_code, account.branch_code)
    except ValidationFailed:
        raise ValidationFailed(
            f"{_row(position)}: 債権者「{creditor.name}」の振込口座（{account.bank_name} {account.branch_name}、"
            f"銀行コード{account.bank_code}・支店コード{account.branch_code}）の金融機関・支店は現在ありません"
            "（統廃合など）。債権者の口座を登録し直してから起案してください。",
            field=f"lines.{position}.bank_account",
        ) from None


def _check_line(position: int, item: OrderLineInput, method: str) -> _Line:
    if not isinstance(item, OrderLineInput) or not isinstance(item.creditor, Creditor):
        raise ValidationFailed(f"{_row(position)}: 債権者を選んでください。", field=f"lines.{position}.creditor")
    if not item.creditor.is_active:
        raise ValidationFailed(
            f"{_row(position)}: 債権者「{item.creditor.name}」は無効になっています。",
            field=f"lines.{position}.creditor",
        )
    amount = parse_yen(item.amount, field=f"lines.{position}.amount", label=f"{_row(position)}: 金額")
    rate, tax = _tax(position, amount, item.tax_rate, item.tax_amount)
    withholding = parse_yen(
        item.withholding, field=f"lines.{position}.withholding", label=f"{_row(position)}: 源泉徴収額", minimum=None
    )
    if not 0 <= withholding < amount:
        raise ValidationFailed(
            f"{_row(position)}: 源泉徴収額（{format_yen(withholding)}）は0円以上、"
            f"金額（{format_yen(amount)}）未満にしてください。",
            field=f"lines.{position}.withholding",
        )
    description = (item.description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise ValidationFailed(
            f"{_row(position)}: 内容は{DESCRIPTION_MAX}文字以内で入力してください。",
            field=f"lines.{position}.description",
        )
    return _Line(
        position=position,
        creditor=item.creditor,
        bank_account=_bank_account(position, item, method),
        description=description,
        tax_rate=rate,
        amount=amount,
        tax_amount=tax,
        withholding=withholding,
    )


def _lock_creditors(lines: list[_Line]) -> None:
    """Lock the lines' creditors (債権者) in pk order and check again that they and their accounts are in use.

    Taken after the allotment lock. Stopping a creditor or an account (債権者・振込口座の停止) locks the
    creditor row, then counts the orders that use it: a draft checked under the same lock is either
    counted there or sees the stop.
    """
    ids = sorted({x.creditor.pk for x in lines})
    active = dict(Creditor.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", "is_active"))
    accounts = {x.bank_account.pk for x in lines if x.bank_account is not None}
    stopped = set(CreditorBankAccount.objects.filter(pk__in=accounts, is_active=False).values_list("pk", flat=True))
    for x in lines:
        if not active.get(x.creditor.pk, False):
            raise ValidationFailed(
                f"{_row(x.position)}: 債権者「{x.creditor.name}」は無効になっています。",
                field=f"lines.{x.position}.creditor",
            )
        account = x.bank_account
        if account is not None and account.pk in stopped:
            named = f"{account.bank_name} {account.branch_name} {account.account_number}"
            raise ValidationFailed(
                f"{_row(x.position)}: 口座（{named}）は停止中です。",
                field=f"lines.{x.position}.bank_account",
            )


def _check_lines(lines: Sequence[OrderLineInput], method: str) -> list[_Line]:
    if not lines:
        raise ValidationFailed("明細を1行以上入力してください。", field="lines")
    return [_check_line(i, item, method) for i, item in enumerate(lines, start=1)]


# --- kinds ------------------------------------------------------------------


def _check_line_usable(line: BudgetLine | None) -> BudgetLine:
    if not isinstance(line, BudgetLine):
        raise ValidationFailed("予算科目を選んでください。", field="line")
    check_not_reserve(line)
    return line


def _check_linked(line: BudgetLine | None, encumbrance: Encumbrance | None, lines: list[_Line]) -> BudgetLine:
    """支出命令: the encumbrance gives the line; every line pays the encumbrance's creditor."""
    if not isinstance(encumbrance, Encumbrance):
        raise ValidationFailed("支出命令には支出負担行為を選んでください。", field="encumbrance")
    if line is not None and line.pk != encumbrance.line_id:
        raise ValidationFailed("予算科目は支出負担行為の予算科目と同じにしてください。", field="line")
    for item in lines:
        if item.creditor.pk != encumbrance.creditor_id:
            raise ValidationFailed(
                f"{_row(item.position)}: 債権者は支出負担行為の債権者"
                f"（{encumbrance.creditor.name}）と同じにしてください。",
                field=f"lines.{item.position}.creditor",
            )
    return _check_line_usable(encumbrance.line)


def _check_combined(line: BudgetLine, lines: list[_Line]) -> None:
    """支出負担行為兼支出命令: only on the 節 that allow it, for one creditor."""
    setsu = line.setsu
    if setsu is None or setsu.code not in combinable_setsu():
        where = f"{setsu.code}節{setsu.name}" if setsu is not None else "この科目"
        raise ValidationFailed(
            f"{where}では支出負担行為兼支出命令はできません（予算科目: {line.label}）。"
            "先に支出負担行為を決裁してから支出命令を起案してください。",
            field="kind",
        )
    if len({item.creditor.pk for item in lines}) != 1:
        raise ValidationFailed("支出負担行為兼支出命令の債権者は1者にしてください。", field="lines")


def _check_kind(kind: str, line: BudgetLine | None, encumbrance: Encumbrance | None, lines: list[_Line]) -> BudgetLine:
    """The kind's own rules; returns the budget line charged."""
    if kind == OrderKind.LINKED:
        return _check_linked(line, encumbrance, lines)
    if encumbrance is not None:
        raise ValidationFailed(
            f"{OrderKind(kind).label}には支出負担行為を指定できません（負担行為を伴わない支出命令です）。",
            field="encumbrance",
        )
    line = _check_line_usable(line)
    if kind == OrderKind.COMBINED:
        _check_combined(line, lines)
    elif len(lines) < 2:
        raise ValidationFailed("集合支出命令には2行以上の明細（債権者）を入力してください。", field="lines")
    return line


def _check_choices(kind: str, payment_method: str) -> None:
    if kind not in OrderKind.values:
        raise ValidationFailed("支出命令の種類を選んでください。", field="kind")
    if payment_method not in PaymentMethod.values:
        raise ValidationFailed("支払方法は口座振込か窓口払から選んでください。", field="payment_method")


# --- dates ------------------------------------------------------------------


def _day_text(day: dt.date) -> str:
    return format_date(day)


def _check_payment_day(payment_date: Any, day: dt.date) -> dt.date:
    """A bank business day (銀行営業日), not before the drafting day."""
    if not isinstance(payment_date, dt.date) or isinstance(payment_date, dt.datetime):
        raise ValidationFailed("支払予定日を入力してください。", field="payment_date")
    if not is_bank_business_day(payment_date):
        raise ValidationFailed(
            f"支払予定日（{_day_text(payment_date)}）は銀行の休業日です（{closure_reason(payment_date, 'bank')}）。"
            "銀行営業日を指定してください。",
            field="payment_date",
        )
    if payment_date < day:
        raise ValidationFailed(
            f"支払予定日（{_day_text(payment_date)}）は起案日（{_day_text(day)}）以降の日付にしてください。",
            field="payment_date",
        )
    return payment_date


def _optional_date(value: Any, field: str, label: str) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationFailed(f"{label}は日付で入力してください（入力: 「{value}」）。", field=field)
    return value


def _encumbrance_decided_on(encumbrance: Encumbrance) -> dt.date | None:
    """The day a linked order's encumbrance was decided (支出負担行為の決裁日)."""
    decided = Document.objects.filter(pk=encumbrance.document_id).values_list("decided_at", flat=True).first()
    return to_japan_date(decided) if decided else None


def _check_debt_fixed(*, fy: int, kind: str, encumbrance: Encumbrance | None, inspection_date: dt.date | None) -> None:
    """In the closing period only debts fixed by 31 March are paid from the old year.

    Every kind needs the inspection date (検収日) by then: a linked order's encumbrance
    decided in March does not make goods delivered in April a debt of the old year.
    A linked order's encumbrance must have been decided by 31 March as well.
    """
    year_end = fiscal_year_end(fy)
    if kind == OrderKind.LINKED and encumbrance is not None:
        decided = _encumbrance_decided_on(encumbrance)
        if decided is None or decided > year_end:
            shown = _day_text(decided) if decided else "未決裁"
            raise ValidationFailed(
                f"出納整理期間中は{_day_text(year_end)}までに確定した債務しか支出できません"
                f"（支出負担行為の決裁日: {shown}）。",
                field="encumbrance",
            )
    if inspection_date is None:
        raise ValidationFailed(
            f"出納整理期間中の{fy}年度の支出命令には検収日（{_day_text(year_end)}以前）が必要です。",
            field="inspection_date",
        )
    if inspection_date > year_end:
        raise ValidationFailed(
            f"出納整理期間中は{_day_text(year_end)}までに確定した債務しか支出できません"
            f"（検収日: {_day_text(inspection_date)}）。",
            field="inspection_date",
        )


def _check_year(
    *,
    fy: int,
    day: dt.date,
    payment_date: dt.date,
    kind: str,
    encumbrance: Encumbrance | None,
    inspection_date: dt.date | None,
) -> None:
    """The fiscal year rules (会計年度独立の原則と出納整理期間, 法208条・235条の5).

    An order charges the year of ``day``; during 1 April – 31 May it may still charge
    the old year, but only for debts fixed by 31 March; payment by 31 May.
    """
    year_end, closing_end = fiscal_year_end(fy), closing_period_end(fy)
    if fiscal_year(day) != fy:
        if not (year_end < day <= closing_end):
            raise ValidationFailed(
                f"{fy}年度の予算で{_day_text(day)}に支出命令はできません"
                f"（出納整理期間は{_day_text(closing_end)}までです）。",
                field="line",
            )
        _check_debt_fixed(fy=fy, kind=kind, encumbrance=encumbrance, inspection_date=inspection_date)
    if payment_date > closing_end:
        raise ValidationFailed(
            f"{fy}年度の支出の支払予定日は{_day_text(closing_end)}までにしてください"
            f"（入力: {_day_text(payment_date)}）。",
            field="payment_date",
        )


# --- budget -----------------------------------------------------------------


def _require_encumbrance_usable(encumbrance: Encumbrance) -> Document:
    document = Document.objects.get(pk=encumbrance.document_id)
    if document.status not in DECIDED_STATUSES:
        raise ValidationFailed(
            f"決裁前の支出負担行為には支出命令できません（現在の状態: {document.get_status_display()}）。",
            field="encumbrance",
        )
    if encumbrance.cancelled_at is not None:
        raise ValidationFailed("取り消された支出負担行為には支出命令できません。", field="encumbrance")
    return document


def _check_budget(kind: str, allotment_id: int, encumbrance_id: int | None, total: int, exclude: int | None) -> None:
    """The hard stop with the allotment locked: the encumbrance's rest, or the available balance."""
    allotment = balance.lock_allotment(allotment_id)
    if kind != OrderKind.LINKED or encumbrance_id is None:
        balance.require_available(allotment, total, exclude_document_id=exclude)
        return
    # Read after taking the allotment lock, which amendments and cancellations take too.
    encumbrance = Encumbrance.objects.get(pk=encumbrance_id)
    _require_encumbrance_usable(encumbrance)
    ordered = balance.ordered_against(encumbrance, exclude_document_id=exclude)
    if total > encumbrance.amount - ordered:
        raise ValidationFailed(
            f"支出負担行為の残額を超えています（負担額: {format_yen(encumbrance.amount)}、"
            f"命令済額: {format_yen(ordered)}、今回の額: {format_yen(total)}）。",
            field="amount",
            extra={"encumbered": encumbrance.amount, "ordered": ordered, "requested": total},
        )


def _allotment_in(section: OrgUnit, plan: _Plan) -> Allotment:
    """The allotment charged for ``section``: the encumbrance's (of that section), else the line's 配当 to it."""
    if plan.encumbrance is not None:
        if section.pk != plan.encumbrance.section_id:
            raise PermissionDenied(ENCUMBRANCE_NOT_FOUND)
        return Allotment.objects.get(pk=plan.encumbrance.allotment_id)
    allotment = Allotment.objects.filter(line=plan.line, section=section).first()
    if allotment is None:
        raise ValidationFailed(f"予算科目「{plan.line.label}」は{section.name}に配当されていません。", field="line")
    return allotment


def _allotment_for(actor: User, plan: _Plan, day: dt.date) -> Allotment:
    """At drafting: the allotment of the drafter's section on the day."""
    section = section_of(actor, on=day)
    if section is None:
        raise PermissionDenied("所属が登録されていないため起案できません。")
    return _allotment_in(section, plan)


# --- writing ----------------------------------------------------------------


def _plan(
    *,
    kind: str,
    lines: Sequence[OrderLineInput],
    payment_date: Any,
    line: BudgetLine | None,
    encumbrance: Encumbrance | None,
    payment_method: str,
    inspection_date: dt.date | None,
    invoice_received_on: dt.date | None,
    description: str,
    day: dt.date,
) -> _Plan:
    """Check everything that needs no lock; the budget comes later, locked."""
    _check_choices(kind, payment_method)
    checked = _check_lines(lines, payment_method)
    budget_line = _check_kind(kind, line, encumbrance, checked)
    payment_date = _check_payment_day(payment_date, day)
    inspection_date = _optional_date(inspection_date, "inspection_date", "検収日")
    invoice_received_on = _optional_date(invoice_received_on, "invoice_received_on", "請求書受理日")
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise ValidationFailed(f"摘要は{DESCRIPTION_MAX}文字以内で入力してください。", field="description")
    fy = encumbrance.fiscal_year if encumbrance is not None else budget_line.fiscal_year
    _check_year(
        fy=fy,
        day=day,
        payment_date=payment_date,
        kind=kind,
        encumbrance=encumbrance,
        inspection_date=inspection_date,
    )
    return _Plan(
        kind=kind,
        line=budget_line,
        encumbrance=encumbrance,
        lines=checked,
        payment_method=payment_method,
        payment_date=payment_date,
        inspection_date=inspection_date,
        invoice_received_on=invoice_received_on,
        description=description,
    )


def _write_lines(order: PaymentOrder, lines: list[_Line]) -> None:
    PaymentOrderLine.objects.bulk_create(
        PaymentOrderLine(
            order=order,
            position=x.position,
            creditor=x.creditor,
            bank_account=x.bank_account,
            description=x.description,
            tax_rate=x.tax_rate,
            amount=x.amount,
            tax_amount=x.tax_amount,
            withholding=x.withholding,
        )
        for x in lines
    )


def _apply(order: PaymentOrder, plan: _Plan, allotment: Allotment) -> None:
    order.kind = plan.kind
    order.fiscal_year = plan.line.fiscal_year
    order.line = plan.line
    order.section = allotment.section
    order.allotment = allotment
    order.encumbrance = plan.encumbrance
    order.payment_method = plan.payment_method
    order.payment_date = plan.payment_date
    order.inspection_date = plan.inspection_date
    order.invoice_received_on = plan.invoice_received_on
    order.description = plan.description
    order.total_amount = plan.total
    order.withholding_amount = plan.withholding
    order.payment_amount = plan.total - plan.withholding


def order_snapshot(order: PaymentOrder) -> dict[str, Any]:
    """The order and its lines for the audit log (監査ログ)."""
    data = snapshot(order)
    data["lines"] = [snapshot(x) for x in PaymentOrderLine.objects.filter(order=order).order_by("position")]
    return data


def payment_order_draft(
    *,
    actor: Any,
    title: str,
    kind: str,
    lines: Sequence[OrderLineInput],
    payment_date: dt.date,
    line: BudgetLine | None = None,
    encumbrance: Encumbrance | None = None,
    payment_method: str = PaymentMethod.TRANSFER,
    inspection_date: dt.date | None = None,
    invoice_received_on: dt.date | None = None,
    description: str = "",
    body: str = "",
    on: dt.date | None = None,
) -> PaymentOrder:
    """Draft a payment order (支出命令の起案): the document, the order and its lines in one transaction."""
    actor = require_user(actor)
    day = today(on)
    plan = _plan(
        kind=kind,
        lines=lines,
        payment_date=payment_date,
        line=line,
        encumbrance=encumbrance,
        payment_method=payment_method,
        inspection_date=inspection_date,
        invoice_received_on=invoice_received_on,
        description=description,
        day=day,
    )
    with transaction.atomic(durable=True):
        return _draft_in_transaction(actor, plan, day, title=title, body=body)


def _draft_in_transaction(
    actor: User,
    plan: _Plan,
    day: dt.date,
    *,
    title: str,
    body: str,
    has_personal_info: bool = False,
    is_confidential: bool = False,
    source: PaymentOrder | None = None,
) -> PaymentOrder:
    """Write a checked plan as a new draft inside the caller's transaction: budget, creditors, document, audit.

    ``source`` is the returned order being drafted again (起案し直し); the audit entry names it.
    """
    allotment = _allotment_for(actor, plan, day)
    _check_budget(plan.kind, allotment.pk, getattr(plan.encumbrance, "pk", None), plan.total, None)
    _lock_creditors(plan.lines)
    document = draft_insert(
        actor=actor,
        title=title,
        matter_kind=MatterKind.objects.filter(code=SPENDING_KIND).first(),
        body=body,
        amount=plan.total,
        has_personal_info=has_personal_info,
        is_confidential=is_confidential,
        file_plan_class=FilePlanClass.objects.filter(code=FILE_PLAN).first(),
        doc_type=PAYMENT_ORDER_TYPE,
        on=day,
    )
    order = PaymentOrder(document=document, redrafted_from=source)
    _apply(order, plan, allotment)
    order.save()
    _write_lines(order, plan.lines)
    after = order_snapshot(order)
    if source is None:
        record(actor=actor, action="finance.payment_order.create", obj=order, after=after)
    else:
        after["redrafted_from"] = {
            "order": source.pk,
            "document": source.document_id,
            "number": source.document.number_label,
        }
        record(actor=actor, action="finance.payment_order.redraft", obj=order, after=after)
    return order


def _editable_order(actor: User, order: PaymentOrder) -> tuple[Document, PaymentOrder]:
    document = lock_editable_document(actor, order.document_id)
    locked = (
        PaymentOrder.objects.select_for_update(of=("self",))
        .select_related("line", "section", "encumbrance__creditor")
        .filter(pk=order.pk, document=document)
        .first()
    )
    if locked is None:
        raise PermissionDenied(NOT_FOUND)
    return document, locked


def _current_inputs(order: PaymentOrder) -> list[OrderLineInput]:
    return [
        OrderLineInput(
            creditor=x.creditor,
            amount=x.amount,
            tax_rate=x.tax_rate,
            tax_amount=x.tax_amount,
            withholding=x.withholding,
            bank_account=x.bank_account,
            description=x.description,
        )
        for x in order.lines.select_related("creditor", "bank_account").order_by("position")
    ]


def payment_order_update(
    *,
    actor: Any,
    order: PaymentOrder,
    title: Any = KEEP,
    kind: Any = KEEP,
    lines: Any = KEEP,
    payment_date: Any = KEEP,
    line: Any = KEEP,
    encumbrance: Any = KEEP,
    payment_method: Any = KEEP,
    inspection_date: Any = KEEP,
    invoice_received_on: Any = KEEP,
    description: Any = KEEP,
    body: Any = KEEP,
    on: dt.date | None = None,
) -> PaymentOrder:
    """Change a payment order while it is 起案中 or 差戻し (支出命令の修正), with the same checks as drafting.

    Arguments not given stay as they are; the document's amount follows the total.
    """
    actor = require_user(actor)
    day = today(on)

    def pick(value: Any, old: Any) -> Any:
        return old if value is KEEP else value

    with transaction.atomic(durable=True):
        document, current = _editable_order(actor, order)
        plan = _plan(
            kind=pick(kind, current.kind),
            lines=_current_inputs(current) if lines is KEEP else lines,
            payment_date=pick(payment_date, current.payment_date),
            line=pick(line, current.line),
            encumbrance=pick(encumbrance, current.encumbrance),
            payment_method=pick(payment_method, current.payment_method),
            inspection_date=pick(inspection_date, current.inspection_date),
            invoice_received_on=pick(invoice_received_on, current.invoice_received_on),
            description=pick(description, current.description),
            day=day,
        )
        title = pick(title, document.title)
        if not isinstance(title, str) or not title.strip():
            raise ValidationFailed("件名を入力してください。", field="title")
        # The section the order was drafted for, not the drafter's section today: a clerk who moved
        # must not carry a draft over to the new section's budget (配当).
        allotment = _allotment_in(current.section, plan)
        before = order_snapshot(current)
        _check_budget(plan.kind, allotment.pk, getattr(plan.encumbrance, "pk", None), plan.total, document.pk)
        _lock_creditors(plan.lines)
        _apply(current, plan, allotment)
        current.save()
        current.lines.all().delete()
        _write_lines(current, plan.lines)
        update_document_in_transaction(
            actor, document, title=title.strip(), body=pick(body, document.body) or "", amount=plan.total
        )
        record(
            actor=actor,
            action="finance.payment_order.update",
            obj=current,
            before=before,
            after=order_snapshot(current),
        )
    return current


# --- drafting a returned order again (返付後の起案し直し) ------------------------------

REDRAFT_NOT_ALLOWED = "返付された支出命令を起案し直せるのは、起案者と同じ課の職員だけです。"


def may_redraft(actor: User, order: PaymentOrder, *, on: dt.date | None = None) -> bool:
    """Whether ``actor`` may draft the returned ``order`` again: it is returned and they belong to its 課 today.

    Drafting charges the drafter's section (as ``payment_order_draft`` does), so a drafter who has
    moved would charge another section's budget; the order's own section drafts it again.
    """
    if order.review_status != ReviewStatus.RETURNED or live_redraft(order) is not None:
        return False
    section = section_of(actor, on=today(on))
    return section is not None and section.pk == order.section_id


def live_redraft(order: PaymentOrder) -> PaymentOrder | None:
    """The copy of a returned order still on its way (not withdrawn, refused or itself returned), if any."""
    return (
        order.redrafts.exclude(document__status__in=(DocumentStatus.WITHDRAWN, DocumentStatus.REJECTED))
        .exclude(review_status=ReviewStatus.RETURNED)
        .select_related("document")
        .order_by("pk")
        .first()
    )


def payment_order_redraft(*, actor: Any, order: PaymentOrder, on: dt.date | None = None) -> PaymentOrder:
    """Draft a returned order (返付) again as a new draft with the same content (起案し直し).

    The returned document stays decided and is never changed; the copy goes through the drafting
    checks (budget, fiscal year, creditors and accounts in use, banks) in one transaction. A payment
    date that has passed moves to the first bank business day from today; the drafter corrects the
    rest on the new draft's 修正 page.
    """
    actor = require_user(actor)
    day = today(on)
    with transaction.atomic(durable=True):
        # Locked so that the review cannot change it while it is copied.
        source = (
            PaymentOrder.objects.select_for_update(of=("self",))
            .select_related("document", "line", "encumbrance__creditor")
            .filter(pk=order.pk)
            .first()
        )
        if source is None:
            raise PermissionDenied(NOT_FOUND)
        section = section_of(actor, on=day)
        if section is None or section.pk != source.section_id:
            if source.document.drafter_id != actor.pk:
                raise PermissionDenied(NOT_FOUND)
            raise PermissionDenied(REDRAFT_NOT_ALLOWED)
        if source.review_status != ReviewStatus.RETURNED:
            shown = source.get_review_status_display()
            raise Conflict(f"起案し直せるのは会計管理者が返付した支出命令だけです（審査状況: {shown}）。")
        # Under the source's lock: a double click or two colleagues make one copy, not two payments.
        existing = live_redraft(source)
        if existing is not None:
            raise Conflict(
                f"この支出命令は既に起案し直されています（{existing.document.number_label} "
                f"{existing.document.title}、{existing.document.get_status_display()}）。"
            )
        document = source.document
        plan = _plan(
            kind=source.kind,
            lines=_current_inputs(source),
            payment_date=max(source.payment_date, business_day_on_or_after(day)),
            line=source.line,
            encumbrance=source.encumbrance,
            payment_method=source.payment_method,
            inspection_date=source.inspection_date,
            invoice_received_on=source.invoice_received_on,
            description=source.description,
            day=day,
        )
        return _draft_in_transaction(
            actor,
            plan,
            day,
            title=document.title,
            body=document.body,
            has_personal_info=document.has_personal_info,
            is_confidential=document.is_confidential,
            source=source,
        )


# --- typed document hooks -----------------------------------------------------


def _order_of(document: Document) -> PaymentOrder:
    require_spending(document)
    order = PaymentOrder.objects.filter(document=document).select_related("encumbrance").first()
    if order is None:
        raise ValidationFailed("支出命令の内容が登録されていません。")
    if document.amount != order.total_amount:
        raise ValidationFailed(
            f"文書の金額（{document.amount or 0:,}円）と支出命令額（{order.total_amount:,}円）が一致しません。",
            field="amount",
        )
    return order


def _validate_decide(document: Document) -> None:
    """At the decision: the fiscal year rules on the deciding day, then the hard stop, in the deciding transaction.

    An order submitted in March and decided in April must meet the closing-period rules of April.
    """
    order = _order_of(document)
    _check_year(
        fy=order.fiscal_year,
        day=acting_day(),
        payment_date=order.payment_date,
        kind=order.kind,
        encumbrance=order.encumbrance,
        inspection_date=order.inspection_date,
    )
    _check_budget(order.kind, order.allotment_id, order.encumbrance_id, order.total_amount, document.pk)


def _validate_submit(document: Document) -> None:
    """At submission: the fiscal year rules on the day of submitting, then the hard stop."""
    order = _order_of(document)
    day = acting_day()
    if order.payment_date < day:
        raise ValidationFailed(
            f"支払予定日（{_day_text(order.payment_date)}）が過ぎています。支払予定日を修正してから提出してください。",
            field="payment_date",
        )
    _check_year(
        fy=order.fiscal_year,
        day=day,
        payment_date=order.payment_date,
        kind=order.kind,
        encumbrance=order.encumbrance,
        inspection_date=order.inspection_date,
    )
    _check_budget(order.kind, order.allotment_id, order.encumbrance_id, order.total_amount, document.pk)


def _screen_url(document: Document) -> str | None:
    """The payment order screen (支出命令): its correction (修正) while editable, else its detail page."""
    pk = PaymentOrder.objects.filter(document=document).values_list("pk", flat=True).first()
    name = "finance:payment_edit" if document.status in EDITABLE_STATUSES else "finance:payment"
    return reverse(name, args=[pk]) if pk is not None else None


def register() -> None:
    """Register the payment order as a typed document (文書の型); called from ``FinanceConfig.ready``."""
    registry.register_type(
        PAYMENT_ORDER_TYPE,
        PAYMENT_ORDER_LABEL,
        validate_submit=_validate_submit,
        validate_decide=_validate_decide,
        edit_url=_screen_url,
    )


__all__ = [
    "KEEP",
    "PAYMENT_ORDER_TYPE",
    "OrderLineInput",
    "acting_on",
    "combinable_setsu",
    "may_redraft",
    "payment_order_draft",
    "payment_order_redraft",
    "payment_order_update",
    "register",
]
