"""The rules a payment order must meet (支出命令の審査事項), checked at drafting, submission and decision.

Lines (債権者・口座・税額・源泉徴収), the kind's own rules (支出命令・兼・集合), dates and the
fiscal year (会計年度独立の原則と出納整理期間, 法208条・235条の5); the budget hard stop with the
allotment row locked is in ``payment_order_locks``. The writes in ``payment_orders`` call them; so
do the hooks the approval engine runs in the submitting and deciding transactions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from cityhall.accounts.models import User
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.japanese import (
    closing_period_end,
    fiscal_year,
    fiscal_year_end,
    format_date,
    format_yen,
    is_bank_business_day,
    to_japan_date,
)
from cityhall.core.japanese.business_days import closure_reason
from cityhall.core.japanese.money import parse_yen
from cityhall.documents.models import (
    Document,
)
from cityhall.documents.rules import section_of
from cityhall.finance import banks
from cityhall.finance.models import (
    Allotment,
    BudgetLine,
    Creditor,
    CreditorBankAccount,
    Encumbrance,
    OrderKind,
    PaymentMethod,
    TaxRate,
)
from cityhall.finance.selectors.review import INSPECTOR_NOT_INDEPENDENT
from cityhall.finance.services.encumbrances import check_not_reserve
from cityhall.finance.withholding_tax import check_line_withholding
from cityhall.org.models import OrgUnit

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
MAX_ORDER_LINES = 200
"""明細の上限: one order pays at most this many lines (form, API and service alike)."""


@dataclass(frozen=True)
class OrderLineInput:
    """One line as entered (支出命令の明細の入力): creditor, 税込 amount, tax rate, withholding."""

    creditor: Creditor
    amount: Any  # 税込 whole yen, charged to the budget
    tax_rate: int = 10  # 10, 8 or 0 (対象外・非課税)
    tax_amount: Any = None  # None → amount*rate//(100+rate); if given within 1 yen of that
    withholding: Any = 0  # 源泉徴収: computed from ``withholding_kind``; if typed (not 0) it must match
    bank_account: CreditorBankAccount | None = None  # None → the creditor's default account (transfer)
    description: str = ""
    withholding_kind: str = ""  # 源泉区分 (``finance.withholding_tax.kinds()``), "" for none


@dataclass(frozen=True)
class CheckedLine:
    """A checked line, ready to store."""

    position: int
    creditor: Creditor
    bank_account: CreditorBankAccount | None
    description: str
    tax_rate: int
    amount: int
    tax_amount: int
    withholding: int
    withholding_kind: str = ""


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


def _check_line(position: int, item: OrderLineInput, method: str) -> CheckedLine:
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
    withholding_kind, withholding = check_line_withholding(
        position=position,
        kind_code=item.withholding_kind,
        creditor=item.creditor,
        amount=amount,
        tax_amount=tax,
        typed=withholding,
    )
    description = (item.description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise ValidationFailed(
            f"{_row(position)}: 内容は{DESCRIPTION_MAX}文字以内で入力してください。",
            field=f"lines.{position}.description",
        )
    return CheckedLine(
        position=position,
        creditor=item.creditor,
        bank_account=_bank_account(position, item, method),
        description=description,
        tax_rate=rate,
        amount=amount,
        tax_amount=tax,
        withholding=withholding,
        withholding_kind=withholding_kind,
    )


def lock_creditors(lines: list[CheckedLine]) -> None:
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


def check_lines(lines: Sequence[OrderLineInput], method: str) -> list[CheckedLine]:
    if not lines:
        raise ValidationFailed("明細を1行以上入力してください。", field="lines")
    if len(lines) > MAX_ORDER_LINES:
        raise ValidationFailed(f"明細は{MAX_ORDER_LINES}行までです（{len(lines):,}行あります）。", field="lines")
    return [_check_line(i, item, method) for i, item in enumerate(lines, start=1)]


def _check_line_usable(line: BudgetLine | None) -> BudgetLine:
    if not isinstance(line, BudgetLine):
        raise ValidationFailed("予算科目を選んでください。", field="line")
    check_not_reserve(line)
    return line


def _check_linked(line: BudgetLine | None, encumbrance: Encumbrance | None, lines: list[CheckedLine]) -> BudgetLine:
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


def _check_combinable(line: BudgetLine, kind_label: str) -> None:
    """No spending without a 支出負担行為 (法232条の3), except on the 節 the city lets combine the two."""
    setsu = line.setsu
    if setsu is None or setsu.code not in combinable_setsu():
        where = f"{setsu.code}節{setsu.name}" if setsu is not None else "この科目"
        raise ValidationFailed(
            f"{where}では{kind_label}はできません（予算科目: {line.label}）。"
            "支出には先に支出負担行為が必要です（地方自治法第232条の3）。"
            "支出負担行為を決裁してから支出命令を起案してください。",
            field="kind",
        )


def _check_combined(line: BudgetLine, lines: list[CheckedLine]) -> None:
    """支出負担行為兼支出命令: only on the 節 that allow it, for one creditor."""
    _check_combinable(line, "支出負担行為兼支出命令")
    if len({item.creditor.pk for item in lines}) != 1:
        raise ValidationFailed("支出負担行為兼支出命令の債権者は1者にしてください。", field="lines")


def check_kind(
    kind: str, line: BudgetLine | None, encumbrance: Encumbrance | None, lines: list[CheckedLine]
) -> BudgetLine:
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
    else:
        _check_collective(line, lines)
    return line


def _check_collective(line: BudgetLine, lines: list[CheckedLine]) -> None:
    """集合支出命令: each creditor's payment qualifies for 兼, so only on the 節 that allow it."""
    if len(lines) < 2:
        raise ValidationFailed("集合支出命令には2行以上の明細（債権者）を入力してください。", field="lines")
    _check_combinable(line, "支出負担行為を経ない集合支出命令")


def check_choices(kind: str, payment_method: str) -> None:
    if kind not in OrderKind.values:
        raise ValidationFailed("支出命令の種類を選んでください。", field="kind")
    if payment_method not in PaymentMethod.values:
        raise ValidationFailed(
            "支払方法は口座振込・窓口払・資金前渡・口座振替・公金振替から選んでください。", field="payment_method"
        )


def day_text(day: dt.date) -> str:
    return format_date(day)


def check_payment_day(payment_date: Any, day: dt.date) -> dt.date:
    """A bank business day (銀行営業日), not before the drafting day."""
    if not isinstance(payment_date, dt.date) or isinstance(payment_date, dt.datetime):
        raise ValidationFailed("支払予定日を入力してください。", field="payment_date")
    if not is_bank_business_day(payment_date):
        raise ValidationFailed(
            f"支払予定日（{day_text(payment_date)}）は銀行の休業日です（{closure_reason(payment_date, 'bank')}）。"
            "銀行営業日を指定してください。",
            field="payment_date",
        )
    if payment_date < day:
        raise ValidationFailed(
            f"支払予定日（{day_text(payment_date)}）は起案日（{day_text(day)}）以降の日付にしてください。",
            field="payment_date",
        )
    return payment_date


def optional_date(value: Any, field: str, label: str) -> dt.date | None:
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
            shown = day_text(decided) if decided else "未決裁"
            raise ValidationFailed(
                f"出納整理期間中は{day_text(year_end)}までに確定した債務しか支出できません"
                f"（支出負担行為の決裁日: {shown}）。",
                field="encumbrance",
            )
    if inspection_date is None:
        raise ValidationFailed(
            f"出納整理期間中の{fy}年度の支出命令には検収日（{day_text(year_end)}以前）が必要です。",
            field="inspection_date",
        )
    if inspection_date > year_end:
        raise ValidationFailed(
            f"出納整理期間中は{day_text(year_end)}までに確定した債務しか支出できません"
            f"（検収日: {day_text(inspection_date)}）。",
            field="inspection_date",
        )


def closing_period_message(fy: int, payment_date: dt.date) -> str:
    """Why a payment of 年度 ``fy`` cannot be paid on ``payment_date``: after the 出納整理期間 (法235条の5)."""
    closing_end = closing_period_end(fy)
    return (
        f"{fy}年度の支出の支払予定日は{day_text(closing_end)}までにしてください（入力: {day_text(payment_date)}）。"
        f"{fy}年度の出納は翌年度の5月31日をもって閉鎖されるため（地方自治法第235条の5）、"
        "それより後には支払えません。"
    )


def check_year(
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
                f"{fy}年度の予算で{day_text(day)}に支出命令はできません"
                f"（出納整理期間は{day_text(closing_end)}までです）。",
                field="line",
            )
        _check_debt_fixed(fy=fy, kind=kind, encumbrance=encumbrance, inspection_date=inspection_date)
    if payment_date > closing_end:
        raise ValidationFailed(closing_period_message(fy, payment_date), field="payment_date")


def allotment_in(section: OrgUnit, line: BudgetLine, encumbrance: Encumbrance | None) -> Allotment:
    """The allotment charged for ``section``: the encumbrance's (of that section), else the line's 配当 to it."""
    if encumbrance is not None:
        if section.pk != encumbrance.section_id:
            raise PermissionDenied(ENCUMBRANCE_NOT_FOUND)
        return Allotment.objects.get(pk=encumbrance.allotment_id)
    allotment = Allotment.objects.filter(line=line, section=section).first()
    if allotment is None:
        raise ValidationFailed(f"予算科目「{line.label}」は{section.name}に配当されていません。", field="line")
    return allotment


def allotment_for(actor: User, line: BudgetLine, encumbrance: Encumbrance | None, day: dt.date) -> Allotment:
    """At drafting: the allotment of the drafter's section on the day."""
    section = section_of(actor, on=day)
    if section is None:
        raise PermissionDenied("所属が登録されていないため起案できません。")
    return allotment_in(section, line, encumbrance)


def check_inspector(inspector: Any, drafter: User, encumbrance: Encumbrance | None) -> User | None:
    """検査員: an active member of staff who drafted neither this order nor the encumbrance it rests on."""
    if inspector is None:
        return None
    if not isinstance(inspector, User) or not inspector.is_active:
        raise ValidationFailed("検査員が見つかりません。在職中の職員を指定してください。", field="inspector")
    drafters = {drafter.pk}
    if encumbrance is not None:
        drafters.add(encumbrance.document.drafter_id)
    if inspector.pk in drafters:
        raise ValidationFailed(INSPECTOR_NOT_INDEPENDENT, field="inspector")
    return inspector
