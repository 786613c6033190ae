"""Budget transfer services (流用): draft as a typed document, checked at submit and decision.

Transfers move budget between 目/節 of the same 項 of one account and year;
款・項 are voted by the council and never cross. A 節 the city locks
(流用禁止) neither gives nor receives. The source line must have the amount
unallotted (未配当額); the amount is held from submission and moves to the
target line when the document is decided.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from cityhall.core.audit import record, snapshot
from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import fiscal_year
from cityhall.documents import registry
from cityhall.documents.models import Document, FilePlanClass, MatterKind
from cityhall.documents.services.drafting import draft_insert
from cityhall.finance import balance
from cityhall.finance.models import BudgetLine, BudgetTransfer
from cityhall.finance.services._common import require_finance_staff, today, yen

TRANSFER_TYPE = "finance.budget_transfer"
TRANSFER_LABEL = "予算流用"
SPENDING_KIND = "spending"
FILE_PLAN = "02-01"


def _check_lines(source: BudgetLine, target: BudgetLine) -> None:
    """The rules of 流用: same account, year and 項; different lines; no locked 節."""
    if source.pk == target.pk:
        raise ValidationFailed("流用元と流用先に同じ予算科目は選べません。", field="target")
    if source.account_id != target.account_id or source.fiscal_year != target.fiscal_year:
        raise ValidationFailed("会計・年度の異なる予算科目の間では流用できません。", field="target")
    if source.moku.parent_id != target.moku.parent_id:
        raise ValidationFailed("款・項を超える流用はできません（議会の議決が必要です）。", field="target")
    for line, field in ((source, "source"), (target, "target")):
        if line.setsu is None:
            raise ValidationFailed("予備費は流用ではなく予備費充用で使ってください。", field=field)
        if line.setsu.transfer_locked:
            raise ValidationFailed(f"{line.setsu.code}節{line.setsu.name}は流用禁止に設定されています。", field=field)


def _lines(source_id: int, target_id: int) -> tuple[BudgetLine, BudgetLine]:
    rows = BudgetLine.objects.select_related("moku", "setsu").in_bulk([source_id, target_id])
    return rows[source_id], rows[target_id]


def transfer_draft(
    *,
    actor: Any,
    title: str,
    source: BudgetLine,
    target: BudgetLine,
    amount: Any,
    reason: str,
    on: dt.date | None = None,
) -> BudgetTransfer:
    """Draft a budget transfer (流用の起案) from one line to another of the same 項."""
    day = today(on)
    actor = require_finance_staff(actor, on=day)
    amount = yen(amount, label="流用額")
    if not (reason or "").strip():
        raise ValidationFailed("流用の理由を入力してください。", field="reason")
    source, target = _lines(source.pk, target.pk)
    _check_lines(source, target)
    if fiscal_year(day) != source.fiscal_year:
        raise ValidationFailed(f"{source.fiscal_year}年度の予算は{day:%Y年%m月%d日}に流用できません。", field="source")
    with transaction.atomic(durable=True):
        balance.require_unallotted(balance.lock_line(source.pk), amount)
        document = draft_insert(
            actor=actor,
            title=title,
            matter_kind=MatterKind.objects.filter(code=SPENDING_KIND).first(),
            body=f"{source.label} から {target.label} へ {amount:,}円を流用する。\n理由: {reason.strip()}",
            amount=amount,
            file_plan_class=FilePlanClass.objects.filter(code=FILE_PLAN).first(),
            doc_type=TRANSFER_TYPE,
            on=day,
        )
        transfer = BudgetTransfer.objects.create(
            document=document, source=source, target=target, amount=amount, reason=reason.strip()[:300]
        )
        record(actor=actor, action="finance.transfer.create", obj=transfer, after=snapshot(transfer))
    return transfer


def _check(document: Document) -> None:
    """Hook of submit and decision: the rules again, then the source line's unallotted amount under lock."""
    transfer = BudgetTransfer.objects.filter(document=document).first()
    if transfer is None:
        raise ValidationFailed("流用の内容が登録されていません。")
    if document.amount != transfer.amount:
        raise ValidationFailed("文書の金額と流用額が一致しません。", field="amount")
    source, target = _lines(transfer.source_id, transfer.target_id)
    _check_lines(source, target)
    balance.require_unallotted(balance.lock_line(source.pk), transfer.amount, exclude_document_id=document.pk)


def register() -> None:
    """Register the budget transfer as a typed document (文書の型)."""
    registry.register_type(TRANSFER_TYPE, TRANSFER_LABEL, validate_submit=_check, validate_decide=_check)
