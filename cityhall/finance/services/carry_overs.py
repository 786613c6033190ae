"""繰越 (``finance.carry_over``): money of year FY spent in FY+1, on the grounds the Act gives.

Three kinds, each resting on its own ground, checked at draft, at submission and in the
deciding transaction:

* 繰越明許 (地方自治法第213条): only what the council allowed in the budget's 繰越明許費
  (``CarryAllowance``, a 款・項 and 事業名 with its limit); the carries under one allowance, in
  circulation or decided, never exceed its amount.
* 事故繰越 (法220条3項ただし書): only an amount already encumbered (支出負担行為をし) that an
  accident kept from being paid within the year; it names its encumbrance and never exceeds the
  encumbrance's unpaid remainder.
* 継続費逓次繰越 (施行令第145条第1項): the unspent part of a 継続費's 年割額, carried year by year
  up to the last year of the 継続費, without a new decision of the council.

A 繰越明許 may carry an encumbered amount too (a contract running into next year). Where a carry
names an encumbrance, its decision carries the encumbrance itself (``_apply_decision``): the old
year's encumbrance keeps what was paid and records the carried part, the section's allotment of
the old year gives that part back, and a new encumbrance of FY+1 on the 繰越分 line, with the same
creditor and contract, holds it, so the payment next year is ordered against it.

Carried money goes to the FY+1 line of the same account/目/節/細節 and of the kind (繰越分), created
when missing; a carry is made from 1 April of FY to the end of its closing period (31 May of FY+1).
What is carried without an encumbrance is the source line's unallotted budget (未配当額).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import translation

from cityhall.accounts.models import User
from cityhall.core.audit import record, snapshot
from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import closing_period_end, fiscal_year_label, fiscal_year_start, format_yen
from cityhall.core.japanese.money import parse_yen
from cityhall.documents import registry
from cityhall.documents.models import DECIDED_STATUSES, Document, DocumentStatus
from cityhall.finance import balance
from cityhall.finance.models import (
    Allotment,
    BudgetKind,
    BudgetLine,
    BudgetTransfer,
    CarryAllowance,
    ContinuingExpense,
    Encumbrance,
    TransferKind,
)
from cityhall.finance.selectors.content import movement_content
from cityhall.finance.selectors.visibility import document_rule
from cityhall.finance.services._common import acting_day, require_finance_staff, today
from cityhall.finance.services.budget import budget_line_insert
from cityhall.finance.services.contract_checks import refuse_open_change
from cityhall.finance.services.movements import (
    CARRY_KINDS,
    CARRY_LABEL,
    CARRY_TYPE,
    CarryKind,
    insert_movement,
    require_free,
    require_movement,
    required_reason,
)

_OPEN = (DocumentStatus.DRAFT, DocumentStatus.CIRCULATING, DocumentStatus.SENT_BACK)
_COUNTING = (*_OPEN, DocumentStatus.DECIDED, DocumentStatus.CLOSED)


def _check_source(source: BudgetLine, kind: str) -> None:
    """What may be carried: never the 予備費; carried money again only by 事故繰越 of a 繰越明許費 (法220条3項)."""
    if source.is_reserve:
        raise ValidationFailed("予備費は繰り越せません。", field="source")
    if source.is_carried and (source.budget_kind, kind) != (BudgetKind.CARRY_EXPLICIT, TransferKind.CARRY_ACCIDENT):
        raise ValidationFailed(
            f"「{source.label}」は繰越分のため、再び繰り越せるのは繰越明許費の事故繰越だけです。", field="source"
        )


def _check_target(source: BudgetLine, target: BudgetLine, kind: str) -> None:
    same_heading = (source.account_id, source.moku_id, source.setsu_id, source.saisetsu_id) == (
        target.account_id,
        target.moku_id,
        target.setsu_id,
        target.saisetsu_id,
    )
    if not same_heading or target.fiscal_year != source.fiscal_year + 1 or target.budget_kind != kind:
        raise ValidationFailed("繰越先は翌年度の同じ予算科目の繰越分でなければなりません。", field="target")


def _check_period(line: BudgetLine, day: dt.date) -> None:
    """A 繰越 is made while the old year can still act: within FY or its closing period (出納整理期間)."""
    start, end = fiscal_year_start(line.fiscal_year), closing_period_end(line.fiscal_year)
    if not start <= day <= end:
        raise ValidationFailed(
            f"{line.fiscal_year}年度の予算は{day:%Y年%m月%d日}には繰り越せません"
            f"（繰越は{start:%Y年%m月%d日}から出納整理期間の終わる{end:%Y年%m月%d日}までです）。",
            field="source",
        )


def _check_allowance(source: BudgetLine, allowance: CarryAllowance | None) -> None:
    """繰越明許 only under a 繰越明許費 of the budget for the source's 会計・年度・項 (法213条)."""
    if allowance is None:
        raise ValidationFailed(
            "繰越明許費を選んでください。繰越明許は予算で定めた繰越明許費の範囲でのみできます（地方自治法第213条）。",
            field="allowance",
        )
    if (allowance.account_id, allowance.fiscal_year, allowance.kou_id) != (
        source.account_id,
        source.fiscal_year,
        source.moku.parent_id,
    ):
        raise ValidationFailed(
            f"繰越明許費「{allowance.project}」は{allowance.fiscal_year}年度の別の会計・項のものです。"
            f"「{source.label}」の項の繰越明許費を選んでください（地方自治法第213条）。",
            field="allowance",
        )


def _check_continuing(source: BudgetLine, expense: ContinuingExpense | None) -> None:
    """逓次繰越 only from a 継続費's own line of a year before its last (施行令第145条第1項)."""
    if expense is None:
        raise ValidationFailed("逓次繰越する継続費を選んでください。", field="continuing")
    if not expense.covers(source) or not expense.installments.filter(fiscal_year=source.fiscal_year).exists():
        raise ValidationFailed(
            f"「{source.label}」は継続費「{expense.project}」の{source.fiscal_year}年度の年割額の予算科目ではありません。",
            field="source",
        )
    if source.fiscal_year >= expense.last_year:
        raise ValidationFailed(
            f"継続費「{expense.project}」の最終年度（{expense.last_year}年度）の残額は逓次繰越できません"
            "（継続年度の終わりまでに限られます。地方自治法施行令第145条第1項）。",
            field="source",
        )


def _check_encumbrance(source: BudgetLine, encumbrance: Encumbrance) -> None:
    """The encumbrance carried is decided, alive, of the source line, and carried once."""
    if encumbrance.line_id != source.pk:
        raise ValidationFailed(
            f"支出負担行為（{encumbrance.document.number_label}）は繰越元の予算科目のものではありません。",
            field="encumbrance",
        )
    if encumbrance.cancelled_at is not None or encumbrance.document.status not in DECIDED_STATUSES:
        raise ValidationFailed(
            f"支出負担行為（{encumbrance.document.number_label}）は決裁済みでないため繰り越せません。",
            field="encumbrance",
        )
    refuse_open_change(encumbrance)


def _check_grounds(
    kind: str,
    source: BudgetLine,
    *,
    allowance: CarryAllowance | None,
    encumbrance: Encumbrance | None,
    continuing: ContinuingExpense | None,
) -> None:
    """The ground each kind rests on (法213条・法220条③ただし書・令145条①)."""
    _check_source(source, kind)
    if kind == TransferKind.CARRY_EXPLICIT:
        _check_allowance(source, allowance)
    elif kind == TransferKind.CARRY_CONTINUING:
        _check_continuing(source, continuing)
    elif encumbrance is None:
        raise ValidationFailed(
            "事故繰越は、年度内に支出負担行為をした経費に限られます。繰り越す支出負担行為を選んでください"
            "（地方自治法第220条第3項ただし書）。",
            field="encumbrance",
        )
    if encumbrance is not None:
        _check_encumbrance(source, encumbrance)


def _open_carries(**filters: Any) -> Any:
    return BudgetTransfer.objects.filter(document__status__in=_COUNTING, **filters)


def _require_within_allowance(allowance: CarryAllowance, amount: int, exclude_document_id: int | None) -> None:
    """The carries under one 繰越明許費 never exceed it; the caller holds its lock."""
    used = _open_carries(allowance=allowance).exclude(document_id=exclude_document_id)
    total = int(used.aggregate(total=Sum("amount"))["total"] or 0)
    if total + amount > allowance.amount:
        raise ValidationFailed(
            f"繰越明許費「{allowance.project}」の額を超えます（繰越明許費: {format_yen(allowance.amount)}、"
            f"繰越済み・手続中: {format_yen(total)}、繰越額: {format_yen(amount)}。地方自治法第213条）。",
            field="amount",
        )


def unpaid_remainder(encumbrance: Encumbrance, *, exclude_document_id: int | None = None) -> int:
    """What of the encumbrance is neither ordered nor already being carried (繰り越せる額)."""
    carrying = _open_carries(encumbrance=encumbrance).exclude(document_id=exclude_document_id)
    carried = int(carrying.aggregate(total=Sum("amount"))["total"] or 0)
    return encumbrance.amount - balance.ordered_against(encumbrance) - carried


def _require_unpaid(encumbrance: Encumbrance, amount: int, exclude_document_id: int | None) -> None:
    """An encumbered carry within what is still unpaid; the caller holds the allotment's lock."""
    remainder = unpaid_remainder(encumbrance, exclude_document_id=exclude_document_id)
    if amount > remainder:
        raise ValidationFailed(
            f"繰越額が支出負担行為（{encumbrance.document.number_label}）の未払残額を超えています"
            f"（未払残額: {format_yen(max(remainder, 0))}、繰越額: {format_yen(amount)}）。",
            field="amount",
        )


def _hold(
    kind: str,
    source: BudgetLine,
    amount: int,
    *,
    allowance: CarryAllowance | None,
    encumbrance: Encumbrance | None,
    exclude_document_id: int | None = None,
) -> None:
    """The hard stops: the money carried exists, and the 繰越明許費 holds it; the caller holds the line's lock."""
    if encumbrance is not None:
        balance.lock_allotment(encumbrance.allotment_id)
        _require_unpaid(encumbrance, amount, exclude_document_id)
    else:
        require_free(source, amount, kind, exclude_document_id=exclude_document_id)
    if kind == TransferKind.CARRY_EXPLICIT and allowance is not None:
        locked = CarryAllowance.objects.select_for_update().get(pk=allowance.pk)
        _require_within_allowance(locked, amount, exclude_document_id)


def _next_year_line(actor: User, source: BudgetLine, kind: str) -> BudgetLine:
    """The 繰越分 line of FY+1 for the kind, with the source's account/目/節/細節; created when missing.

    Runs in the caller's transaction. It is never the next year's ordinary line: carried money
    may be spent only on what was carried, so it is kept apart from that year's own budget.
    """
    found = BudgetLine.objects.filter(
        account_id=source.account_id,
        fiscal_year=source.fiscal_year + 1,
        moku_id=source.moku_id,
        setsu_id=source.setsu_id,
        saisetsu_id=source.saisetsu_id,
        budget_kind=kind,
    ).first()
    if found is not None:
        return found
    return budget_line_insert(
        actor=actor,
        account=source.account,
        fiscal_year=source.fiscal_year + 1,
        moku=source.moku,
        setsu=source.setsu,
        saisetsu=source.saisetsu,
        budget_kind=kind,
    )


def _kind_label(kind: str) -> str:
    if kind not in CARRY_KINDS:
        raise ValidationFailed("繰越の種類は繰越明許・事故繰越・継続費逓次繰越から選んでください。", field="kind")
    with translation.override("ja"):  # the official document is written in Japanese whatever the screen
        return str(TransferKind(kind).label)


def _source_of(source: BudgetLine | None, encumbrance: Encumbrance | None) -> BudgetLine:
    """The line carried from: the encumbrance's line when one is named (and the given source must be it)."""
    if encumbrance is not None and source is not None and source.pk != encumbrance.line_id:
        raise ValidationFailed("繰越元の予算科目と支出負担行為の予算科目が異なります。", field="encumbrance")
    line_id = encumbrance.line_id if encumbrance is not None else source.pk if source is not None else None
    if line_id is None:
        raise ValidationFailed("繰越元の予算科目を選んでください。", field="source")
    return BudgetLine.objects.select_related("account", "moku__parent", "setsu", "saisetsu").get(pk=line_id)


def carry_over_draft(
    *,
    actor: Any,
    title: str,
    source: BudgetLine | None = None,
    kind: CarryKind,
    amount: Any,
    reason: str,
    allowance: CarryAllowance | None = None,
    encumbrance: Encumbrance | None = None,
    continuing: ContinuingExpense | None = None,
    on: dt.date | None = None,
) -> BudgetTransfer:
    """Draft a carry-over (繰越明許・事故繰越・継続費逓次繰越の起案) into FY+1.

    The next year's line of the same account/目/節/細節 is created in the same
    transaction when it does not exist yet, so a refused draft leaves nothing.
    """
    day = today(on)
    actor = require_finance_staff(actor, on=day)
    label = _kind_label(kind)
    amount = parse_yen(amount, label="繰越額")
    reason = required_reason(reason, label)
    if encumbrance is not None:
        encumbrance = Encumbrance.objects.select_related("document").get(pk=encumbrance.pk)
    source = _source_of(source, encumbrance)
    _check_grounds(kind, source, allowance=allowance, encumbrance=encumbrance, continuing=continuing)
    _check_period(source, day)
    with transaction.atomic(durable=True):
        # The source lock also serialises two carries creating the same next-year line.
        balance.lock_line(source.pk)
        _hold(kind, source, amount, allowance=allowance, encumbrance=encumbrance)
        target = _next_year_line(actor, source, kind)
        what = f"支出負担行為（{encumbrance.document.number_label}）の未払残額のうち" if encumbrance else ""
        return insert_movement(
            actor=actor,
            title=title,
            doc_type=CARRY_TYPE,
            kind=kind,
            source=source,
            target=target,
            amount=amount,
            reason=reason,
            body=f"{source.label}（{fiscal_year_label(source.fiscal_year)}）の{what}{amount:,}円を{label}として"
            f"{target.fiscal_year}年度へ繰り越す。",
            day=day,
            allowance=allowance if kind == TransferKind.CARRY_EXPLICIT else None,
            continuing=continuing if kind == TransferKind.CARRY_CONTINUING else None,
            encumbrance=encumbrance,
        )


def _check(document: Document) -> None:
    """Hook of submit and decision: the grounds again on the acting day (処理日), then the hard stops under lock."""
    transfer = require_movement(document)
    carry = BudgetTransfer.objects.select_related(
        "source__account", "source__moku__parent", "source__setsu", "target", "allowance", "continuing"
    ).get(pk=transfer.pk)
    encumbrance = (
        Encumbrance.objects.select_related("document").get(pk=carry.encumbrance_id) if carry.encumbrance_id else None
    )
    _check_grounds(
        carry.kind, carry.source, allowance=carry.allowance, encumbrance=encumbrance, continuing=carry.continuing
    )
    _check_target(carry.source, carry.target, carry.kind)
    _check_period(carry.source, acting_day())
    balance.lock_line(carry.source_id)
    _hold(
        carry.kind,
        carry.source,
        carry.amount,
        allowance=carry.allowance,
        encumbrance=encumbrance,
        exclude_document_id=document.pk,
    )


def _apply_decision(document: Document, actor: User) -> None:
    """A carried encumbrance moves to FY+1 in the deciding transaction: the old year keeps what was paid."""
    carry = BudgetTransfer.objects.select_related("target").get(document=document)
    if carry.encumbrance_id is None:
        return
    old = Encumbrance.objects.select_for_update(of=("self",)).get(pk=carry.encumbrance_id)
    before = snapshot(old)
    old.amount -= carry.amount
    old.carried_amount += carry.amount
    old.save(update_fields=["amount", "carried_amount"])
    record(actor=actor, action="finance.encumbrance.carry_out", obj=old, before=before, after=snapshot(old))
    taken = _move_allotment(actor, old, carry.target, carry.amount)
    new = Encumbrance.objects.create(
        document=document,
        fiscal_year=carry.target.fiscal_year,
        line=carry.target,
        section_id=old.section_id,
        allotment=taken,
        creditor_id=old.creditor_id,
        amount=carry.amount,
        original_amount=carry.amount,
        contract_method=old.contract_method,
        negotiated_ground=old.negotiated_ground,
        contract_kind=old.contract_kind,
        unit_price=old.unit_price,
        contract_number=old.contract_number,
        contract_date=old.contract_date,
        deadline=old.deadline,
        carried_from=old,
    )
    record(actor=actor, action="finance.encumbrance.carry_in", obj=new, after=snapshot(new))


def _move_allotment(actor: User, old: Encumbrance, target: BudgetLine, amount: int) -> Allotment:
    """The section's allotment gives the carried amount back in FY and receives it on the 繰越分 line."""
    given = balance.lock_allotment(old.allotment_id)
    before = snapshot(given)
    given.amount -= amount
    given.save(update_fields=["amount", "updated_at"])
    record(actor=actor, action="finance.allotment.carry", obj=given, before=before, after=snapshot(given))
    taken, _ = Allotment.objects.get_or_create(line=target, section_id=old.section_id, defaults={"amount": 0})
    taken = balance.lock_allotment(taken.pk)
    before = snapshot(taken)
    taken.amount += amount
    taken.save(update_fields=["amount", "updated_at"])
    record(actor=actor, action="finance.allotment.carry", obj=taken, before=before, after=snapshot(taken))
    return taken


def register() -> None:
    """Register 繰越 as a typed document (文書の型): the grounds at submit and decision, the carry on decision."""
    registry.register_type(
        CARRY_TYPE,
        CARRY_LABEL,
        validate_submit=_check,
        validate_decide=_check,
        apply_decision=_apply_decision,
        content=movement_content,
        visibility=document_rule,
    )
