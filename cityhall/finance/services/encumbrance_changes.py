"""変更契約 (支出負担行為の変更): an increase or decrease of a decided encumbrance, decided on its own.

A change of a contract's amount (変更契約・増額/減額) changes a commitment already decided, so it
is a new decision on the same record: a typed document (``finance.encumbrance_change``) linked
to the original encumbrance, of the kind of matter of its method (契約 or 支出), whose amount is
the **new total**, so that the 事務決裁規程 routes it by what the contract will then commit, not
by the difference (an increase of ¥600,000 on a ¥4,800,000 works contract is decided by the post
that decides ¥5,400,000). The rules:

* the encumbrance is decided and live; one change of it is open at a time;
* an increase is a new commitment (法232条の3: within the budget): held against the allotment
  from submission (回議中) and checked at drafting, submission and decision with the allotment
  locked; never after 31 March for the old year (出納整理期間, 法235条の5);
* a decrease never goes below what is already ordered (支出命令済額, orders in circulation included);
* a 随意契約 under 令167条の2①1号 (少額) stays within the limit of its kind (別表第5);
* the decision sets the encumbrance's amount (and 履行期限 when given) in the deciding transaction
  (``apply_decision``); the history of changes is on the encumbrance's page and in each
  change's content.
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
from cityhall.documents.models import DECIDED_STATUSES, Document, FilePlanClass, MatterKind
from cityhall.documents.typed import draft_insert
from cityhall.finance import balance, contracts
from cityhall.finance.document_types import CHANGE_TYPE
from cityhall.finance.models import ContractKind, Encumbrance, EncumbranceChange, NegotiatedGround
from cityhall.finance.selectors.changes import change_content
from cityhall.finance.selectors.encumbrances import own_section_encumbrances
from cityhall.finance.selectors.rule_facts import change_facts
from cityhall.finance.selectors.visibility import document_rule
from cityhall.finance.services._common import acting_day, require_user, today
from cityhall.finance.services.contract_checks import refuse_open_change, require_kind
from cityhall.finance.services.encumbrances import FILE_PLAN, NOT_FOUND

CHANGE_LABEL = "変更契約"


def _check_live(encumbrance: Encumbrance) -> None:
    if encumbrance.document.status not in DECIDED_STATUSES:
        raise Conflict(
            "決裁前の支出負担行為は変更契約の対象になりません"
            f"（現在の状態: {encumbrance.document.get_status_display()}）。起案中・差戻しのものは修正してください。"
        )
    if encumbrance.cancelled_at is not None:
        raise Conflict("取り消された支出負担行為は変更できません。")


def _check_change(
    encumbrance: Encumbrance,
    previous: int,
    new_amount: int,
    day: dt.date,
    *,
    change_date: dt.date | None = None,
    exclude_document_id: int | None = None,
    deciding: bool = False,
) -> None:
    """The rules of a change: not the same amount, the budget for an increase, what is ordered for a decrease."""
    if new_amount == previous:
        raise ValidationFailed(f"変更後の金額が変更前の金額（{format_yen(previous)}）と同じです。", field="new_amount")
    if (
        encumbrance.contract_method == "negotiated"
        and encumbrance.negotiated_ground == NegotiatedGround.SMALL_AMOUNT
        and new_amount > previous
    ):
        kind = encumbrance.contract_kind or ContractKind.OTHER
        limit = contracts.limit_for(kind, change_date or day)
        if new_amount > limit:
            raise ValidationFailed(
                "変更後の総額が少額随意契約（地方自治法施行令第167条の2第1項第1号・別表第5）の限度額を超えます"
                f"（{ContractKind(kind).label}: {format_yen(limit)}、変更後: {format_yen(new_amount)}）。"
                "限度額を超える契約は競争入札によるか、同項の他の号の理由によってください。",
                field="new_amount",
                extra={"limit": limit, "requested": new_amount},
            )
    allotment = balance.lock_allotment(encumbrance.allotment_id)
    if new_amount > previous:
        if fiscal_year(day) != encumbrance.fiscal_year:
            when = "決裁" if deciding else "増額"
            raise ValidationFailed(
                f"{encumbrance.fiscal_year}年度の支出負担行為は{day:%Y年%m月%d日}には{when}できません"
                "（3月31日を過ぎると旧年度の予算で新たな負担はできません。地方自治法第235条の5）。",
                field="new_amount",
            )
        increase = new_amount - previous
        available = balance.available_amount(allotment, exclude_document_id=exclude_document_id)
        if increase > available:
            raise ValidationFailed(
                f"変更後の総額（{format_yen(new_amount)}）が予算の範囲を超えます: "
                f"増額分 {format_yen(increase)} に対し、"
                f"予算科目「{allotment.line.label}」の執行可能額は {format_yen(max(available, 0))} です"
                "（地方自治法第232条の3: 支出負担行為は予算の定めるところに従って行います）。",
                field="new_amount",
                extra={"available": available, "requested": increase},
            )
        return
    ordered = balance.ordered_against(encumbrance)
    if new_amount < ordered:
        raise ValidationFailed(
            f"支出命令済額（{format_yen(ordered)}）を下回る金額には減額できません"
            f"（変更後: {format_yen(new_amount)}）。",
            field="new_amount",
            extra={"ordered": ordered, "requested": new_amount},
        )


def encumbrance_change_draft(
    *,
    actor: Any,
    encumbrance: Encumbrance,
    new_amount: Any,
    reason: str,
    title: str = "",
    new_deadline: dt.date | None = None,
    change_date: dt.date | None = None,
    body: str = "",
    on: dt.date | None = None,
) -> EncumbranceChange:
    """Draft a 変更契約 (支出負担行為の変更) of a decided encumbrance of the actor's section, to a new total.

    Routed by the new total; an increase is checked against the budget now and held from submission.
    """
    actor = require_user(actor)
    day = today(on)
    new_amount = parse_yen(new_amount)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("変更の理由を入力してください。", field="reason")
    if len(reason) > 300:
        raise ValidationFailed("変更の理由は300文字以内で入力してください。", field="reason")
    with transaction.atomic(durable=True):
        found = own_section_encumbrances(actor, on=day).filter(pk=encumbrance.pk).values_list("pk", flat=True).first()
        if found is None:
            raise PermissionDenied(NOT_FOUND)
        locked = Encumbrance.objects.select_for_update(of=("self",)).select_related("document", "line").get(pk=found)
        _check_live(locked)
        refuse_open_change(locked)
        _check_change(locked, locked.amount, new_amount, day, change_date=change_date)
        sequence = EncumbranceChange.objects.filter(encumbrance=locked).count() + 1
        document = draft_insert(
            actor=actor,
            title=(title or "").strip() or f"{locked.document.title}（第{sequence}回変更）",
            matter_kind=MatterKind.objects.filter(code=contracts.matter_kind_code(locked.contract_method)).first(),
            body=body,
            amount=new_amount,
            file_plan_class=FilePlanClass.objects.filter(code=FILE_PLAN).first(),
            doc_type=CHANGE_TYPE,
            on=day,
        )
        change = EncumbranceChange.objects.create(
            document=document,
            encumbrance=locked,
            sequence=sequence,
            previous_amount=locked.amount,
            new_amount=new_amount,
            new_deadline=new_deadline,
            change_date=change_date,
            reason=reason,
        )
        record(actor=actor, action="finance.encumbrance_change.create", obj=change, after=snapshot(change))
    return change


def _locked_change(document: Document) -> EncumbranceChange:
    change = EncumbranceChange.objects.filter(document=document).first()
    if change is None:
        raise ValidationFailed("変更契約の内容が登録されていません。")
    encumbrance = (
        Encumbrance.objects.select_for_update(of=("self",))
        .select_related("document", "line")
        .get(pk=change.encumbrance_id)
    )
    change.encumbrance = encumbrance
    _check_live(encumbrance)
    require_kind(document, encumbrance, what=CHANGE_LABEL)
    if encumbrance.amount != change.previous_amount:
        raise Conflict(
            f"支出負担行為の金額が変わりました（変更前: {format_yen(change.previous_amount)}、"
            f"現在: {format_yen(encumbrance.amount)}）。取り下げて起案し直してください。"
        )
    if document.amount != change.new_amount:
        raise ValidationFailed(
            f"文書の金額（{document.amount or 0:,}円）と変更後の金額（{change.new_amount:,}円）が一致しません。",
            field="amount",
        )
    return change


def _validate_submit(document: Document) -> None:
    """At submission (回議開始): the rules again on the acting day, the increase against the budget."""
    _recheck(document, deciding=False)


def _validate_decide(document: Document) -> None:
    """At the decision (決裁), inside the deciding transaction: the same rules with the allotment locked."""
    _recheck(document, deciding=True)


def _recheck(document: Document, *, deciding: bool) -> None:
    change = _locked_change(document)
    _check_change(
        change.encumbrance,
        change.previous_amount,
        change.new_amount,
        acting_day(),
        change_date=change.change_date,
        exclude_document_id=document.pk,
        deciding=deciding,
    )


def _apply_decision(document: Document, actor: User) -> None:
    """The decision sets the encumbrance's amount (and 履行期限) to the change's, in the deciding transaction."""
    change = EncumbranceChange.objects.select_for_update(of=("self",)).get(document=document)
    encumbrance = Encumbrance.objects.select_for_update(of=("self",)).get(pk=change.encumbrance_id)
    before = snapshot(encumbrance)
    encumbrance.amount = change.new_amount
    fields = ["amount"]
    if change.new_deadline is not None:
        encumbrance.deadline = change.new_deadline
        fields.append("deadline")
    encumbrance.save(update_fields=fields)
    change.applied_at = timezone.now()
    change.save(update_fields=["applied_at"])
    after = snapshot(encumbrance)
    after["change_document_id"] = document.pk
    record(actor=actor, action="finance.encumbrance.change", obj=encumbrance, before=before, after=after)


def _screen_url(document: Document) -> str | None:
    """The encumbrance's screen, where the 変更契約 shows in its history."""
    pk = EncumbranceChange.objects.filter(document=document).values_list("encumbrance_id", flat=True).first()
    return reverse("finance:encumbrance", args=[pk]) if pk is not None else None


def register() -> None:
    """Register the 変更契約 as a typed document (文書の型); called from ``FinanceConfig.ready``."""
    registry.register_type(
        CHANGE_TYPE,
        CHANGE_LABEL,
        validate_submit=_validate_submit,
        validate_decide=_validate_decide,
        apply_decision=_apply_decision,
        edit_url=_screen_url,
        content=change_content,
        visibility=document_rule,
        rule_facts=change_facts,
    )


__all__ = ["CHANGE_LABEL", "CHANGE_TYPE", "encumbrance_change_draft", "register"]
