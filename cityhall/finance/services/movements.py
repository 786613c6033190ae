"""Movements of budget between lines, each a typed document checked at draft, submit and decision.

流用 (``finance.budget_transfer``): between 目/節 of the same 項 of one account
and year; 款・項 are voted by the council (法220条2項). The one exception is the
budget's own clause (予算で定めた場合, 法220条2項ただし書): when a version of the
year's budget says so (``BudgetVersion.personnel_transfer``), 人件費 (給料・職員手当等・
共済費, 節2–4) moves between 項 of one 款. A 節 the city locks (流用禁止) neither
gives nor receives.

Each movement is of its own kind of matter (事案の種類: 予算流用・予備費充用・繰越,
``cityhall.core.matters``) with its own rows of the 事務決裁規程 and the 財政課 as a
mandatory consult (必須合議先), not of the 支出 kind whose tiers go by amount.

予備費充用 (``finance.reserve_use``): from the account's reserve-fund line
(予備費, a line without 節) to any other line of the same account and year,
across 款・項 — that is what the reserve is for (法217条). The law forbids
using it for expenses the council has rejected (法217条2項); no record of
rejected expenses exists here, so the deciders check that on the document.
流用禁止 is a rule of 流用 only and does not stop a 充用.

繰越 (``finance.carry_over``) has its own module, ``carry_overs``: it shares
the kind of matter, the hard stop and the insert of this one.

What a 流用 or 予備費充用 moves is always the source line's unallotted budget (未配当額), never an
allotment: the section first returns what it will not spend this year
(配当額を減らす), so that no encumbrance of the old year can still draw on yen
that already belong to the next one. The amount is held on the source line
from submission (回議中) and reaches the target line when the document is
decided (``balance.line_amount``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from django.db import transaction

from cityhall.accounts.models import User
from cityhall.core.audit import record, snapshot
from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese import fiscal_year, format_yen
from cityhall.core.japanese.money import parse_yen
from cityhall.core.matters import CARRY_KIND, RESERVE_KIND, TRANSFER_KIND
from cityhall.documents import registry
from cityhall.documents.models import Document, FilePlanClass, MatterKind
from cityhall.documents.typed import draft_insert
from cityhall.finance import balance
from cityhall.finance.document_types import CARRY_TYPE, RESERVE_TYPE, TRANSFER_TYPE
from cityhall.finance.models import BudgetLine, BudgetTransfer, BudgetVersion, TransferKind
from cityhall.finance.selectors.content import movement_content
from cityhall.finance.selectors.visibility import document_rule
from cityhall.finance.services._common import acting_day, require_finance_staff, today

TRANSFER_LABEL = "予算流用"
RESERVE_LABEL = "予備費充用"
CARRY_LABEL = "繰越"
FILE_PLAN = "02-01"

CarryKind = Literal["carry_explicit", "carry_accident", "carry_continuing"]
CARRY_KINDS = (TransferKind.CARRY_EXPLICIT, TransferKind.CARRY_ACCIDENT, TransferKind.CARRY_CONTINUING)

# Which kinds each document type may carry; the hooks refuse a mismatch.
KINDS_OF_TYPE: dict[str, tuple[str, ...]] = {
    TRANSFER_TYPE: (TransferKind.TRANSFER,),
    RESERVE_TYPE: (TransferKind.RESERVE,),
    CARRY_TYPE: CARRY_KINDS,
}

# The kind of matter (事案の種類) of each type: its own rows of the 事務決裁規程 and mandatory consult.
MATTER_KIND_OF_TYPE: dict[str, str] = {
    TRANSFER_TYPE: TRANSFER_KIND,
    RESERVE_TYPE: RESERVE_KIND,
    CARRY_TYPE: CARRY_KIND,
}

_AUDIT_ACTION = {
    TRANSFER_TYPE: "finance.transfer.create",
    RESERVE_TYPE: "finance.reserve_use.create",
    CARRY_TYPE: "finance.carry_over.create",
}

# How each kind names its shortage, balance and amount in the hard stop's message.
_SHORTAGE = {
    TransferKind.TRANSFER: ("流用元の予算残額が不足しています", "未配当額", "流用額"),
    TransferKind.RESERVE: ("予備費の残額が不足しています", "予備費残額", "充用額"),
    TransferKind.CARRY_EXPLICIT: ("繰越元の未配当額が不足しています", "未配当額", "繰越額"),
    TransferKind.CARRY_ACCIDENT: ("繰越元の未配当額が不足しています", "未配当額", "繰越額"),
    TransferKind.CARRY_CONTINUING: ("繰越元の未配当額が不足しています", "未配当額", "繰越額"),
}


def _check_lines(source: BudgetLine, target: BudgetLine) -> None:
    """The rules of 流用: same account, year and 項; different lines; no locked 節 (unless between its 細節)."""
    if source.pk == target.pk:
        raise ValidationFailed("流用元と流用先に同じ予算科目は選べません。", field="target")
    # The 予備費 first: its 款 differs from every other line, and the 項 message would mislead.
    for line, field in ((source, "source"), (target, "target")):
        if line.setsu is None:
            raise ValidationFailed("予備費は流用ではなく予備費充用で使ってください。", field=field)
    _refuse_carried(source, target, "流用")
    if source.account_id != target.account_id or source.fiscal_year != target.fiscal_year:
        raise ValidationFailed("会計・年度の異なる予算科目の間では流用できません。", field="target")
    if source.moku.parent_id != target.moku.parent_id:
        _check_between_kou(source, target)
    if (source.moku_id, source.setsu_id) == (target.moku_id, target.setsu_id):
        return  # between 細節 of one 節: the 節's total, which the lock protects, does not change
    for line, field in ((source, "source"), (target, "target")):
        if line.setsu is not None and line.setsu.transfer_locked:
            raise ValidationFailed(f"{line.setsu.code}節{line.setsu.name}は流用禁止に設定されています。", field=field)


PERSONNEL_SETSU = ("2", "3", "4")
"""節 of 人件費 that a budget may let move between 項 (給料・職員手当等・共済費, the usual clause of 予算)."""


def _check_between_kou(source: BudgetLine, target: BudgetLine) -> None:
    """項間流用: only 人件費 between 項 of one 款, and only where the budget says so (法220条2項ただし書)."""
    personnel = all(
        line.setsu is not None and line.setsu.code.lstrip("0") in PERSONNEL_SETSU for line in (source, target)
    )
    if not personnel:
        raise ValidationFailed(
            "項を超える流用はできません。各項の間の流用は、予算で定めた場合の人件費（給料・職員手当等・共済費）"
            "に限られます（地方自治法第220条第2項）。款を超える場合は補正予算で措置してください。",
            field="target",
        )
    source_kan = source.moku.parent.parent_id if source.moku.parent else None
    target_kan = target.moku.parent.parent_id if target.moku.parent else None
    if source_kan != target_kan:
        raise ValidationFailed(
            "款を超える流用はできません。人件費の項間流用も同一款内に限られます（地方自治法第220条第2項ただし書）。",
            field="target",
        )
    allowed = BudgetVersion.objects.filter(
        account_id=source.account_id, fiscal_year=source.fiscal_year, personnel_transfer=True
    ).exists()
    if not allowed:
        raise ValidationFailed(
            f"{source.fiscal_year}年度の予算に人件費の項間流用の定めがないため、項を超えて流用できません"
            "（地方自治法第220条第2項ただし書）。",
            field="target",
        )


def _refuse_carried(source: BudgetLine, target: BudgetLine, what: str) -> None:
    """Carried money (繰越分) is spent only on what was carried: no 流用 or 予備費充用 in or out of it."""
    for line, field in ((source, "source"), (target, "target")):
        if line.is_carried:
            raise ValidationFailed(
                f"「{line.label}」は前年度からの繰越分のため、{what}の対象にできません。", field=field
            )


def _check_reserve_lines(source: BudgetLine, target: BudgetLine) -> None:
    """The rules of 予備費充用: from the 予備費 line to another line of the same account and year."""
    if not source.is_reserve:
        raise ValidationFailed(
            f"充用元には予備費の明細を選んでください（「{source.label}」は予備費ではありません）。", field="source"
        )
    if target.is_reserve:
        raise ValidationFailed("充用先には予備費以外の予算科目を選んでください。", field="target")
    if source.account_id != target.account_id or source.fiscal_year != target.fiscal_year:
        raise ValidationFailed("予備費は同じ会計・年度の予算科目にだけ充用できます。", field="target")
    _refuse_carried(source, target, "予備費充用")


def _check_year(kind: str, line: BudgetLine, day: dt.date) -> None:
    """A 流用 or 予備費充用 acts within its own fiscal year: not in the closing period (出納整理期間), not ahead.

    Checked at draft, at submission and in the deciding transaction, on the acting day
    (処理日, ``acting_day``), so a 流用 still circulating on 31 March can no longer be decided in April.
    """
    if fiscal_year(day) == line.fiscal_year:
        return
    if kind == TransferKind.RESERVE:
        raise ValidationFailed(
            f"{line.fiscal_year}年度の予備費は{day:%Y年%m月%d日}に充用できません（年度外の日付です）。",
            field="source",
        )
    raise ValidationFailed(f"{line.fiscal_year}年度の予算は{day:%Y年%m月%d日}に流用できません。", field="source")


def _check_rules(kind: str, source: BudgetLine, target: BudgetLine, day: dt.date) -> None:
    """The rules of a 流用 or 予備費充用, on the day of the act."""
    if kind == TransferKind.TRANSFER:
        _check_lines(source, target)
    else:
        _check_reserve_lines(source, target)
    _check_year(kind, source, day)


def require_free(line: BudgetLine, amount: int, kind: str, *, exclude_document_id: int | None = None) -> None:
    """The hard stop: the amount within the source line's unallotted budget (未配当額), worded for the kind.

    The caller holds the lock on ``line``.
    """
    try:
        balance.require_unallotted(line, amount, exclude_document_id=exclude_document_id)
    except ValidationFailed as exc:
        available = exc.extra.get("available")
        free = available if isinstance(available, int) else 0
        lead, free_label, amount_label = _SHORTAGE[TransferKind(kind)]
        hint = ""
        if kind in CARRY_KINDS and balance.allotted_amount(line):
            hint = "課に配当したままの額は、配当額を減らしてから繰り越してください。"
        raise ValidationFailed(
            f"{lead}（予算科目: {line.label}、{free_label}: {format_yen(max(free, 0))}、"
            f"{amount_label}: {format_yen(amount)}）。{hint}",
            field="amount",
            extra=exc.extra,
        ) from None


def _lines(source_id: int, target_id: int) -> tuple[BudgetLine, BudgetLine]:
    rows = BudgetLine.objects.select_related("moku__parent", "setsu").in_bulk([source_id, target_id])
    return rows[source_id], rows[target_id]


def required_reason(reason: str, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed(f"{what}の理由を入力してください。", field="reason")
    return text


def movement_matter_kind(doc_type: str) -> MatterKind:
    """The movement's own kind of matter (予算流用・予備費充用・繰越), set up by the documents' defaults."""
    kind = MatterKind.objects.filter(code=MATTER_KIND_OF_TYPE[doc_type]).first()
    if kind is None:
        raise ValidationFailed(
            f"事案の種類「{movement_label(doc_type)}」が事務決裁規程に設定されていません（初期設定を確認してください）。",
            field="matter_kind",
        )
    return kind


def movement_label(doc_type: str) -> str:
    """The Japanese name of a movement type (予算流用・予備費充用・繰越)."""
    return {TRANSFER_TYPE: TRANSFER_LABEL, RESERVE_TYPE: RESERVE_LABEL, CARRY_TYPE: CARRY_LABEL}[doc_type]


def _require_own_kind(document: Document) -> None:
    """A movement stays of its own kind of matter, so its own rows (決裁区分・必須合議) decide it."""
    code = MATTER_KIND_OF_TYPE.get(document.doc_type)
    if code is not None and document.matter_kind.code != code:
        raise ValidationFailed(
            f"{movement_label(document.doc_type)}の事案の種類は「{movement_label(document.doc_type)}」にしてください"
            f"（現在: 「{document.matter_kind.name}」）。",
            field="matter_kind",
        )


def insert_movement(
    *,
    actor: User,
    title: str,
    doc_type: str,
    kind: str,
    source: BudgetLine,
    target: BudgetLine,
    amount: int,
    reason: str,
    body: str,
    day: dt.date,
    **links: Any,
) -> BudgetTransfer:
    """The document and its movement row, inside the caller's transaction, with the audit entry.

    ``links``: what a 繰越 rests on (its 繰越明許費, 継続費 or encumbrance).
    """
    document = draft_insert(
        actor=actor,
        title=title,
        matter_kind=movement_matter_kind(doc_type),
        body=f"{body}\n理由: {reason}",
        amount=amount,
        file_plan_class=FilePlanClass.objects.filter(code=FILE_PLAN).first(),
        doc_type=doc_type,
        on=day,
    )
    transfer = BudgetTransfer.objects.create(
        document=document, source=source, target=target, kind=kind, amount=amount, reason=reason[:300], **links
    )
    record(actor=actor, action=_AUDIT_ACTION[doc_type], obj=transfer, after=snapshot(transfer))
    return transfer


@dataclass(frozen=True)
class _Between:
    """What differs between a 流用 and a 予備費充用 drafted from one line to another."""

    doc_type: str
    what: str  # the act, in the reason's message
    amount_label: str
    verb: str  # the document's body: 「… へ N円を流用する。」


_BETWEEN_LINES: dict[str, _Between] = {
    TransferKind.TRANSFER: _Between(TRANSFER_TYPE, "流用", "流用額", "流用"),
    TransferKind.RESERVE: _Between(RESERVE_TYPE, "予備費充用", "充用額", "充用"),
}


def _draft_between_lines(
    kind: str,
    *,
    actor: Any,
    title: str,
    source: BudgetLine,
    target: BudgetLine,
    amount: Any,
    reason: str,
    on: dt.date | None,
) -> BudgetTransfer:
    """A 流用 or 予備費充用: the rules, then the source's unallotted amount locked, then the document."""
    spec = _BETWEEN_LINES[kind]
    day = today(on)
    actor = require_finance_staff(actor, on=day)
    amount = parse_yen(amount, label=spec.amount_label)
    reason = required_reason(reason, spec.what)
    source, target = _lines(source.pk, target.pk)
    _check_rules(kind, source, target, day)
    with transaction.atomic(durable=True):
        require_free(balance.lock_line(source.pk), amount, kind)
        return insert_movement(
            actor=actor,
            title=title,
            doc_type=spec.doc_type,
            kind=kind,
            source=source,
            target=target,
            amount=amount,
            reason=reason,
            body=f"{source.label} から {target.label} へ {amount:,}円を{spec.verb}する。",
            day=day,
        )


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
    return _draft_between_lines(
        TransferKind.TRANSFER,
        actor=actor,
        title=title,
        source=source,
        target=target,
        amount=amount,
        reason=reason,
        on=on,
    )


def reserve_use_draft(
    *,
    actor: Any,
    title: str,
    source: BudgetLine,
    target: BudgetLine,
    amount: Any,
    reason: str,
    on: dt.date | None = None,
) -> BudgetTransfer:
    """Draft a reserve-fund use (予備費充用の起案) from the 予備費 line to a line of the same account and year.

    Crossing 款・項 is allowed. The reserve may not pay for expenses the
    council has rejected (法217条2項): the deciders check that on the document.
    """
    return _draft_between_lines(
        TransferKind.RESERVE,
        actor=actor,
        title=title,
        source=source,
        target=target,
        amount=amount,
        reason=reason,
        on=on,
    )


def require_movement(document: Document) -> BudgetTransfer:
    """The movement row of a 流用・充用・繰越 document, of its own kind of matter and amount."""
    _require_own_kind(document)
    transfer = BudgetTransfer.objects.filter(document=document).first()
    kinds = KINDS_OF_TYPE.get(document.doc_type, ())
    if transfer is None or transfer.kind not in kinds:
        raise ValidationFailed("予算の移動（流用・予備費充用・繰越）の内容が登録されていません。")
    if document.amount != transfer.amount:
        raise ValidationFailed(f"文書の金額と{TransferKind(transfer.kind).label}の額が一致しません。", field="amount")
    return transfer


def _check(document: Document) -> None:
    """Hook of submit and decision: the rules again on the acting day (処理日), then the unallotted amount under lock.

    In the deciding transaction this refuses a 流用 or 予備費充用 of a year that has ended.
    """
    transfer = require_movement(document)
    source, target = _lines(transfer.source_id, transfer.target_id)
    _check_rules(transfer.kind, source, target, acting_day())
    require_free(balance.lock_line(source.pk), transfer.amount, transfer.kind, exclude_document_id=document.pk)


def register() -> None:
    """Register 流用 and 予備費充用 as typed documents (文書の型), with the same hook at submit and decision."""
    for key, label in ((TRANSFER_TYPE, TRANSFER_LABEL), (RESERVE_TYPE, RESERVE_LABEL)):
        registry.register_type(
            key,
            label,
            validate_submit=_check,
            validate_decide=_check,
            content=movement_content,
            visibility=document_rule,
        )
