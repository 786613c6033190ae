"""Encumbrance services (支出負担行為): draft, budget checks at submit and decision, amend, cancel.

An encumbrance is a typed document (``finance.encumbrance``). A contract (契約方法 of 法234条①:
一般競争入札, 指名競争入札, 随意契約, せり売り) is of the matter kind 契約 and routed by its
delegation rules (under ¥1,300,000 課長専決 …); a commitment that is no contract (補助金の交付決定,
負担金 …) is of the kind 支出 (under ¥1,000,000 課長専決 …). The contract's particulars are checked
by ``cityhall.finance.contracts`` (随意契約の理由, 少額随意契約の限度額) and its 契約番号 is unique
in the fiscal year among live encumbrances. The available balance is a hard stop when drafting, when it is
submitted (``validate_submit``) and again inside the deciding transaction
(``validate_decide``), each time with the allotment row locked. The fiscal year is
checked at drafting, at submission and again at the decision, on the acting day
(``acting_day``): after 31 March nothing new commits the old year. A decided
encumbrance is reduced (減額) or cancelled (取消) only by the authority that decided
it (``can_amend_encumbrance``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.audit import record, snapshot
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.core.japanese import fiscal_year, format_yen
from cityhall.core.japanese.money import parse_yen
from cityhall.documents import registry
from cityhall.documents.models import (
    DECIDED_STATUSES,
    EDITABLE_STATUSES,
    Document,
    FilePlanClass,
    MatterKind,
)
from cityhall.documents.rules import section_of
from cityhall.documents.typed import KEEP, draft_insert, lock_editable_document, update_document_in_transaction
from cityhall.finance import balance, contracts
from cityhall.finance.document_types import ENCUMBRANCE_TYPE
from cityhall.finance.models import Allotment, BudgetLine, Creditor, Encumbrance
from cityhall.finance.selectors.content import encumbrance_content
from cityhall.finance.selectors.encumbrances import (
    amend_authority,
    encumbrances_for,
    holds_amend_authority,
)
from cityhall.finance.selectors.rule_facts import encumbrance_facts
from cityhall.finance.selectors.visibility import document_rule
from cityhall.finance.services._common import (
    acting_day,
    require_user,
    today,
)
from cityhall.finance.services.contract_checks import (
    check_number_free,
    clean_number,
    drop_what_no_longer_applies,
    refuse_open_change,
    require_kind,
)

ENCUMBRANCE_LABEL = "支出負担行為"
FILE_PLAN = "02-01-01"
NOT_FOUND = "支出負担行為が見つかりません。"


def check_not_reserve(line: BudgetLine) -> None:
    """The reserve fund (予備費) is never charged: it only gives to other lines (予備費充用)."""
    if line.setsu_id is None:
        raise ValidationFailed(
            f"予備費（{line.label}）からは直接支出できません（予備費充用により他の科目に充ててから支出してください）。",
            field="line",
        )


def _check_year(line: BudgetLine, day: dt.date, *, deciding: bool = False) -> None:
    """After 31 March no new encumbrance for the old year (出納整理期間, 法235条の5), nor one ahead of its year."""
    if fiscal_year(day) == line.fiscal_year:
        return
    if deciding:
        raise ValidationFailed(
            f"{line.fiscal_year}年度の予算による支出負担行為は{day:%Y年%m月%d日}には決裁できません"
            "（年度外の日付です。3月31日を過ぎると旧年度の予算で新たな支出負担行為はできません）。"
            "取り下げて、新年度の予算で起案し直してください。",
            field="line",
        )
    raise ValidationFailed(
        f"{line.fiscal_year}年度の予算で{day:%Y年%m月%d日}に支出負担行為はできません（年度外の日付です）。",
        field="line",
    )


def own_section_allotment(actor: User, line: BudgetLine, day: dt.date) -> Allotment:
    """The allotment (配当) of ``line`` to the actor's section on the day; refused when there is none."""
    section = section_of(actor, on=day)
    if section is None:
        raise PermissionDenied("所属が登録されていないため起案できません。")
    allotment = Allotment.objects.filter(line=line, section=section).first()
    if allotment is None:
        raise ValidationFailed(f"予算科目「{line.label}」は{section.name}に配当されていません。", field="line")
    return allotment


def _creditor_active(creditor: Creditor) -> None:
    if not creditor.is_active:
        raise ValidationFailed(f"債権者「{creditor.name}」は無効になっています。", field="creditor")


def _lock_creditor(creditor: Creditor) -> None:
    """Lock the creditor (債権者) after the allotment and check again that it is in use (停止されていない).

    Stopping a creditor locks its row, then counts the encumbrances that use it: a draft checked
    under the same lock is either counted there or sees the stop.
    """
    locked = Creditor.objects.select_for_update().filter(pk=creditor.pk).first()
    _creditor_active(locked or creditor)


def encumbrance_draft(
    *,
    actor: Any,
    title: str,
    line: BudgetLine,
    creditor: Creditor,
    amount: Any,
    contract_method: str,
    deadline: dt.date | None = None,
    body: str = "",
    negotiated_ground: str = "",
    contract_kind: str = "",
    unit_price: bool = False,
    contract_number: str = "",
    contract_date: dt.date | None = None,
    on: dt.date | None = None,
) -> Encumbrance:
    """Draft an encumbrance (支出負担行為の起案): the document and its data in one transaction.

    The line must be allotted (配当) to the drafter's section and have the
    amount available; the amount is whole yen above zero. A contract names its method
    (法234条①), a 随意契約 its ground (令167条の2①), within the 少額 limit under 1号.
    """
    actor = require_user(actor)
    day = today(on)
    amount = parse_yen(amount)
    _creditor_active(creditor)
    check_not_reserve(line)
    _check_year(line, day)
    number = clean_number(contract_number)
    contract_method, ground, kind_of_contract = contracts.clean_contract(
        contract_method=contract_method,
        negotiated_ground=negotiated_ground,
        contract_kind=contract_kind,
        line=line,
        amount=amount,
        contract_number=number,
        contract_date=contract_date,
        unit_price=unit_price,
        day=day,
    )
    kind = MatterKind.objects.filter(code=contracts.matter_kind_code(contract_method)).first()
    with transaction.atomic(durable=True):
        allotment = balance.lock_allotment(own_section_allotment(actor, line, day).pk)
        balance.require_available(allotment, amount)
        _lock_creditor(creditor)
        check_number_free(line.fiscal_year, number)
        document = draft_insert(
            actor=actor,
            title=title,
            matter_kind=kind,
            body=body,
            amount=amount,
            file_plan_class=FilePlanClass.objects.filter(code=FILE_PLAN).first(),
            doc_type=ENCUMBRANCE_TYPE,
            on=day,
        )
        encumbrance = Encumbrance.objects.create(
            document=document,
            fiscal_year=line.fiscal_year,
            line=line,
            section=allotment.section,
            allotment=allotment,
            creditor=creditor,
            amount=amount,
            original_amount=amount,
            contract_method=contract_method,
            negotiated_ground=ground,
            contract_kind=kind_of_contract,
            unit_price=bool(unit_price),
            contract_number=number,
            contract_date=contract_date,
            deadline=deadline,
        )
        record(actor=actor, action="finance.encumbrance.create", obj=encumbrance, after=snapshot(encumbrance))
    return encumbrance


def _check_budget(document: Document) -> None:
    """The hard stop for a typed document hook: lock the allotment, compare with the balance."""
    encumbrance = Encumbrance.objects.filter(document=document).select_related("line").first()
    if encumbrance is None:
        raise ValidationFailed("支出負担行為の内容が登録されていません。")
    require_kind(document, encumbrance)
    check_number_free(encumbrance.fiscal_year, encumbrance.contract_number, exclude_pk=encumbrance.pk)
    if encumbrance.cancelled_at is not None:
        raise Conflict("この支出負担行為は取り消されています。")
    if document.amount != encumbrance.amount:
        raise ValidationFailed(
            f"文書の金額（{document.amount or 0:,}円）と支出負担行為の金額（{encumbrance.amount:,}円）が一致しません。",
            field="amount",
        )
    allotment = balance.lock_allotment(encumbrance.allotment_id)
    balance.require_available(allotment, encumbrance.amount, exclude_document_id=document.pk)


def _validate_submit(document: Document) -> None:
    """At submission (回議開始): the fiscal year on the acting day, then the hard stop."""
    encumbrance = Encumbrance.objects.filter(document=document).select_related("line").first()
    if encumbrance is not None:
        _check_year(encumbrance.line, acting_day())
    _check_budget(document)


def _validate_decide(document: Document) -> None:
    """At the decision (決裁), inside the deciding transaction: the fiscal year again, then the hard stop.

    The decision is the act that commits the budget, so one submitted by 31 March and not
    decided by then can no longer commit the old year (出納整理期間, 法235条の5): the drafter
    withdraws it and drafts against the new year's budget.
    """
    encumbrance = Encumbrance.objects.filter(document=document).select_related("line").first()
    if encumbrance is not None:
        _check_year(encumbrance.line, acting_day(), deciding=True)
    _check_budget(document)


def _lock_decided(actor: User, encumbrance: Encumbrance, day: dt.date) -> tuple[Document, Encumbrance]:
    """The decided, live encumbrance, locked, when the actor holds the authority that decided it.

    Someone who cannot see the encumbrance gets "not found"; a member of its section (or 会計)
    without the authority is told who may act (``can_amend_encumbrance``).
    """
    document = Document.objects.select_for_update().filter(pk=encumbrance.document_id).first()
    locked = Encumbrance.objects.select_for_update(of=("self",)).filter(pk=encumbrance.pk).first()
    if document is None or locked is None:
        raise PermissionDenied(NOT_FOUND)
    locked.document = document
    authority = amend_authority(locked)
    may_act = holds_amend_authority(actor, authority, on=day)
    if not may_act and not encumbrances_for(actor, on=day).filter(pk=locked.pk).exists():
        raise PermissionDenied(NOT_FOUND)
    if document.status not in DECIDED_STATUSES:
        raise Conflict(f"決裁前の支出負担行為は変更・取消できません（現在の状態: {document.get_status_display()}）。")
    if locked.cancelled_at is not None:
        raise Conflict("この支出負担行為は既に取り消されています。")
    if not may_act:
        raise PermissionDenied(f"決裁済みの支出負担行為の減額・取消は、{authority.description}だけが行えます。")
    return document, locked


def encumbrance_amend(
    *, actor: Any, encumbrance: Encumbrance, amount: Any, reason: str, on: dt.date | None = None
) -> Encumbrance:
    """Decrease a decided encumbrance (支出負担行為の減額), not below what is already ordered.

    An increase is a new commitment that needs its own decision by the new total (専決区分),
    so it is refused here: the drafter drafts a 変更契約 (``encumbrance_change_draft``). A decrease
    only returns budget, so it is allowed in the closing period (出納整理期間) too.
    Only the authority that decided it may (専決者 or above in the chain, or the decider).
    """
    actor = require_user(actor)
    day = today(on)
    amount = parse_yen(amount)
    if not (reason or "").strip():
        raise ValidationFailed("変更理由を入力してください。", field="reason")
    with transaction.atomic(durable=True):
        _document, locked = _lock_decided(actor, encumbrance, day)
        refuse_open_change(locked)
        if amount > locked.amount:
            raise ValidationFailed(
                "増額は、変更契約（支出負担行為の変更）を起案し、変更後の総額による決裁を受けてください"
                f"（現在額: {format_yen(locked.amount)}、変更後: {format_yen(amount)}）。",
                field="amount",
                extra={"current": locked.amount, "requested": amount},
            )
        balance.lock_allotment(locked.allotment_id)
        ordered = balance.ordered_against(locked)  # read under the allotment lock that orders take too
        if amount < ordered:
            raise ValidationFailed(
                f"支出命令済額（{format_yen(ordered)}）を下回る金額には減額できません"
                f"（変更後: {format_yen(amount)}）。",
                field="amount",
                extra={"ordered": ordered, "requested": amount},
            )
        before = snapshot(locked)
        locked.amount = amount
        locked.save(update_fields=["amount"])
        after = snapshot(locked)
        after["reason"] = reason.strip()
        record(actor=actor, action="finance.encumbrance.amend", obj=locked, before=before, after=after)
    return locked


def encumbrance_cancel(*, actor: Any, encumbrance: Encumbrance, reason: str, on: dt.date | None = None) -> Encumbrance:
    """Cancel a decided encumbrance (支出負担行為の取消) by the authority that decided it; its amount returns."""
    actor = require_user(actor)
    day = today(on)
    if not (reason or "").strip():
        raise ValidationFailed("取消理由を入力してください。", field="reason")
    with transaction.atomic(durable=True):
        _document, locked = _lock_decided(actor, encumbrance, day)
        refuse_open_change(locked)
        balance.lock_allotment(locked.allotment_id)
        ordered = balance.ordered_against(locked)
        if ordered:
            raise Conflict(
                f"支出命令（回議中・決裁済）がある支出負担行為は取り消せません（支出命令済額: {format_yen(ordered)}）。"
                "先に支出命令を取り下げるか返付を受けてください。"
            )
        before = snapshot(locked)
        locked.cancelled_at = timezone.now()
        locked.cancel_reason = reason.strip()[:200]
        locked.save(update_fields=["cancelled_at", "cancel_reason"])
        record(actor=actor, action="finance.encumbrance.cancel", obj=locked, before=before, after=snapshot(locked))
    return locked


def encumbrance_update(
    *,
    actor: Any,
    encumbrance: Encumbrance,
    title: str | None = None,
    amount: Any = None,
    creditor: Creditor | None = None,
    contract_method: str | None = None,
    deadline: Any = KEEP,
    negotiated_ground: Any = KEEP,
    contract_kind: Any = KEEP,
    unit_price: Any = KEEP,
    contract_number: Any = KEEP,
    contract_date: Any = KEEP,
    on: dt.date | None = None,
) -> Encumbrance:
    """Change an encumbrance while it is 起案中 or 差戻し (支出負担行為の修正); the document amount follows.

    Arguments left as None (the others: not given) stay as they are; ``deadline=None`` clears it.
    The hard stop and the contract's rules apply again to the result; a change between a contract
    and a commitment that is no contract changes the kind of matter (契約・支出) with it.
    """
    actor = require_user(actor)
    day = today(on)
    amount = None if amount is None else parse_yen(amount)
    if creditor is not None:
        _creditor_active(creditor)
    if title is not None and not title.strip():
        raise ValidationFailed("件名を入力してください。", field="title")
    with transaction.atomic(durable=True):
        document = lock_editable_document(actor, encumbrance.document_id)
        locked = Encumbrance.objects.select_for_update(of=("self",)).select_related("line").get(pk=encumbrance.pk)
        _check_year(locked.line, day)
        allotment = balance.lock_allotment(locked.allotment_id)
        before = snapshot(locked)
        if amount is not None:
            balance.require_available(allotment, amount, exclude_document_id=document.pk)
            locked.amount = locked.original_amount = amount
        if creditor is not None:
            _lock_creditor(creditor)
            locked.creditor = creditor
        given = {
            "contract_method": KEEP if contract_method is None else contract_method,
            "deadline": deadline,
            "negotiated_ground": negotiated_ground,
            "contract_kind": contract_kind,
            "unit_price": unit_price,
            "contract_number": contract_number,
            "contract_date": contract_date,
        }
        for name, value in given.items():
            if value is not KEEP:
                setattr(locked, name, value)
        drop_what_no_longer_applies(locked, given)
        locked.contract_number = clean_number(locked.contract_number)
        method, ground, kind = contracts.clean_contract(
            contract_method=locked.contract_method,
            negotiated_ground=locked.negotiated_ground or "",
            contract_kind=locked.contract_kind or "",
            line=locked.line,
            amount=locked.amount,
            contract_number=locked.contract_number,
            contract_date=locked.contract_date,
            unit_price=bool(locked.unit_price),
            day=day,
        )
        locked.contract_method, locked.negotiated_ground, locked.contract_kind = method, ground, kind
        locked.unit_price = bool(locked.unit_price)
        check_number_free(locked.fiscal_year, locked.contract_number, exclude_pk=locked.pk)
        locked.save(
            update_fields=[
                "amount",
                "original_amount",
                "creditor",
                "contract_method",
                "negotiated_ground",
                "contract_kind",
                "unit_price",
                "contract_number",
                "contract_date",
                "deadline",
            ]
        )
        kind_of_matter = MatterKind.objects.filter(code=contracts.matter_kind_code(method)).first()
        update_document_in_transaction(
            actor,
            document,
            title=title.strip() if title is not None else document.title,
            amount=locked.amount,
            matter_kind=kind_of_matter or document.matter_kind,
        )
        record(actor=actor, action="finance.encumbrance.update", obj=locked, before=before, after=snapshot(locked))
    return locked


def _screen_url(document: Document) -> str | None:
    """The encumbrance screen (支出負担行為): its correction (修正) while editable, else its detail page."""
    pk = Encumbrance.objects.filter(document=document).values_list("pk", flat=True).first()
    name = "finance:encumbrance_edit" if document.status in EDITABLE_STATUSES else "finance:encumbrance"
    return reverse(name, args=[pk]) if pk is not None else None


def register() -> None:
    """Register the encumbrance as a typed document (文書の型); called from ``FinanceConfig.ready``."""
    registry.register_type(
        ENCUMBRANCE_TYPE,
        ENCUMBRANCE_LABEL,
        validate_submit=_validate_submit,
        validate_decide=_validate_decide,
        edit_url=_screen_url,
        content=encumbrance_content,
        visibility=document_rule,
        rule_facts=encumbrance_facts,
    )


__all__ = [
    "ENCUMBRANCE_TYPE",
    "check_not_reserve",
    "encumbrance_amend",
    "encumbrance_cancel",
    "encumbrance_draft",
    "encumbrance_update",
    "own_section_allotment",
    "register",
]
