"""Allotments (配当): a line's budget given to a section to spend, within the line's budget.

``allotment_set`` sets (or changes) one allotment; ``allotment_insert`` does the same inside the
caller's transaction, and ``allotments_insert`` gives lines their first allotments (当初配当) in
bulk, as the switch-over of a budget book does (当初予算書の移行). The reserve fund (予備費) is
never allotted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from cityhall.core.audit import record, snapshot
from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import closing_period_end, fiscal_year_label, format_wareki
from cityhall.core.japanese.money import parse_yen
from cityhall.finance import balance
from cityhall.finance.models import Allotment, BudgetLine
from cityhall.finance.services._common import require_finance_staff, today
from cityhall.org.models import OrgUnit, UnitKind


def _checked_amount(line: BudgetLine, section: OrgUnit, amount: Any, day: dt.date) -> int:
    """The amount to allot, if the line can be allotted on ``day`` to ``section`` (before any lock)."""
    if day > closing_period_end(line.fiscal_year):
        raise ValidationFailed(
            f"{fiscal_year_label(line.fiscal_year)}の予算明細「{line.label}」は出納整理期間"
            f"（{format_wareki(closing_period_end(line.fiscal_year))}まで）を過ぎているため配当できません。",
            field="line",
        )
    amount = parse_yen(amount, label="配当額", minimum=None)
    if amount < 0:
        raise ValidationFailed("配当額は0円以上にしてください。", field="amount")
    if section.kind != UnitKind.SECTION:
        raise ValidationFailed("配当先には課を選んでください。", field="section")
    if line.is_reserve:
        raise ValidationFailed(
            f"予備費は配当できません（予算科目: {line.label}）。予備費充用で他の予算科目に移してから配当してください。",
            field="line",
        )
    return amount


def _over_budget(total: int, others: int, amount: int, **extra: object) -> ValidationFailed:
    return ValidationFailed(
        f"配当額の合計が予算額を超えます（予算額: {total:,}円、他課への配当: {others:,}円、配当額: {amount:,}円）。",
        field="amount",
        extra=extra,
    )


def allotment_insert(
    *, actor: Any, line: BudgetLine, section: OrgUnit, amount: Any, on: dt.date | None = None
) -> Allotment:
    """``allotment_set`` inside the caller's transaction (e.g. the allotments of a switched-over budget book).

    The caller has checked the actor's 会計 role and holds the transaction; a refused allotment leaves
    nothing behind in it.
    """
    amount = _checked_amount(line, section, amount, today(on))
    with transaction.atomic():  # a savepoint: the caller's transaction survives a refused allotment
        line = BudgetLine.objects.select_for_update().get(pk=line.pk)
        allotment, _made = Allotment.objects.get_or_create(line=line, section=section)
        allotment = balance.lock_allotment(allotment.pk)
        before = snapshot(allotment)
        total = balance.line_amount(line)
        others = balance.allotted_amount(line, exclude_allotment_id=allotment.pk)
        if others + amount > total:
            raise _over_budget(total, others, amount)
        # 執行済額: encumbrances and the orders without one (兼・集合), as the available balance counts them.
        held = allotment.amount - balance.available_amount(allotment)
        if amount < held:
            raise ValidationFailed(f"配当額を執行済額（{held:,}円）より少なくはできません。", field="amount")
        allotment.amount = amount
        allotment.save(update_fields=["amount", "updated_at"])
        record(actor=actor, action="finance.allotment.set", obj=allotment, before=before, after=snapshot(allotment))
    return allotment


def allotment_set(
    *, actor: Any, line: BudgetLine, section: OrgUnit, amount: Any, on: dt.date | None = None
) -> Allotment:
    """Set the allotment (配当) of a line to a section: within the line's budget, not below 執行済額.

    A year's lines are allotted until the end of its closing period (出納整理期間, 31 May of the
    next year; ``on`` is today unless given): after that nothing can be spent from them.
    """
    actor = require_finance_staff(actor, on=on)
    with transaction.atomic(durable=True):
        return allotment_insert(actor=actor, line=line, section=section, amount=amount, on=on)


def allotments_insert(
    *, actor: Any, allotments: Sequence[tuple[BudgetLine, OrgUnit, Any]], on: dt.date | None = None
) -> list[Allotment]:
    """The first allotments (当初配当) of lines to sections inside the caller's transaction, each audited.

    For lines not yet allotted to those sections (``allotment_set`` changes an allotment). The lines
    are locked and their budgets and allotments read in grouped queries, whatever their number. The
    caller has checked the actor's 会計 role and holds the transaction; a refused allotment leaves
    none of them behind, and its index in ``allotments`` is in the error's ``extra["allotment"]``.
    """
    day = today(on)
    amounts: list[int] = []
    for index, (line, section, raw) in enumerate(allotments):
        try:
            amounts.append(_checked_amount(line, section, raw, day))
        except ValidationFailed as exc:
            raise ValidationFailed(exc.message, field=exc.field, extra={"allotment": index}) from None
    if not allotments:
        return []
    with transaction.atomic():  # a savepoint: the caller's transaction survives a refused allotment
        wanted = {line.pk for line, _s, _a in allotments}
        lines = {ln.pk: ln for ln in BudgetLine.objects.select_for_update().filter(pk__in=wanted).order_by("pk")}
        taken = set(Allotment.objects.filter(line__in=wanted).values_list("line", "section"))
        figures = balance.line_figures_for(list(lines.values()), allotments=False)
        allotted = {pk: found.allotted for pk, found in figures.items()}
        made: list[Allotment] = []
        for index, ((given, section, _raw), amount) in enumerate(zip(allotments, amounts, strict=True)):
            line = lines[given.pk]
            if (line.pk, section.pk) in taken:
                raise ValidationFailed(
                    f"予算明細「{line.label}」は既に{section.name}に配当されています。"
                    "配当額を変えるときは配当の画面で変更してください。",
                    field="section",
                    extra={"allotment": index},
                )
            taken.add((line.pk, section.pk))
            total = figures[line.pk].budget
            if allotted[line.pk] + amount > total:
                raise _over_budget(total, allotted[line.pk], amount, allotment=index)
            allotted[line.pk] += amount
            made.append(Allotment(line=line, section=section, amount=amount))
        Allotment.objects.bulk_create(made)
        for allotment in made:
            record(actor=actor, action="finance.allotment.set", obj=allotment, after=snapshot(allotment))
    return made
