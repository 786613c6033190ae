"""Checks of an encumbrance's contract particulars shared by its services (契約の確認).

The 契約番号 is unique in its fiscal year among live encumbrances (not 取下げ, 却下 or 取消); the
document's kind of matter is the one its method routes by (契約 or 支出); nothing else changes an
encumbrance while a 変更契約 of it is open; a change of method drops what only the old one had.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from cityhall.core.errors import Conflict, ValidationFailed
from cityhall.core.matters import CONTRACT_KIND, SPENDING_KIND
from cityhall.documents.models import Document, DocumentStatus, MatterKind
from cityhall.documents.typed import KEEP
from cityhall.finance import contracts
from cityhall.finance.models import Encumbrance, EncumbranceChange

_LIVE = ~Q(document__status__in=(DocumentStatus.WITHDRAWN, DocumentStatus.REJECTED)) & Q(cancelled_at__isnull=True)


def clean_number(number: str | None) -> str:
    """A 契約番号 as stored: trimmed, at most 40 characters."""
    number = (number or "").strip()
    if len(number) > 40:
        raise ValidationFailed("契約番号は40文字以内で入力してください。", field="contract_number")
    return number


def check_number_free(fiscal_year: int, number: str, *, exclude_pk: int | None = None) -> None:
    """A 契約番号 is unique in its fiscal year among live encumbrances (not 取下げ, 却下 or 取消)."""
    if not number:
        return
    rows = Encumbrance.objects.filter(_LIVE, fiscal_year=fiscal_year, contract_number=number)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    other = rows.select_related("document").first()
    if other is not None:
        raise ValidationFailed(
            f"契約番号「{number}」は{fiscal_year}年度の支出負担行為（{other.document.number_label}）で使われています。",
            field="contract_number",
        )


def require_kind(document: Document, encumbrance: Encumbrance, *, what: str = "支出負担行為") -> None:
    """The document's kind of matter is the one its service set: 契約 for a contract, else 支出.

    A document changed to another kind would be decided by other (lower) rules.
    """
    code = contracts.matter_kind_code(encumbrance.contract_method)
    # A contract routed before contracts had their own rules (migration 0011) keeps 支出, whose tiers
    # reach a post at least as high for every amount in the default 事務決裁規程.
    legacy = code == CONTRACT_KIND and document.matter_kind.code == SPENDING_KIND and document.current_round > 0
    if document.matter_kind.code != code and not legacy:
        name = MatterKind.objects.filter(code=code).values_list("name", flat=True).first() or code
        raise ValidationFailed(
            f"{what}の事案の種類は「{name}」にしてください（現在: 「{document.matter_kind.name}」）。",
            field="matter_kind",
        )


def refuse_open_change(encumbrance: Encumbrance) -> None:
    """Nothing else changes an encumbrance while a 変更契約 of it is open (起案中・回議中・差戻し)."""
    open_change = (
        EncumbranceChange.objects.filter(encumbrance=encumbrance, applied_at__isnull=True)
        .exclude(document__status__in=(DocumentStatus.WITHDRAWN, DocumentStatus.REJECTED))
        .select_related("document")
        .first()
    )
    if open_change is not None:
        raise Conflict(
            f"変更契約（{open_change.document.number_label}）が処理中です。"
            "その決裁・取下げの後に変更・取消してください。"
        )


def drop_what_no_longer_applies(encumbrance: Encumbrance, given: dict[str, Any]) -> None:
    """After a change of method: what only the old method had (not given again) is cleared."""
    if given["contract_method"] is KEEP:
        return
    if encumbrance.contract_method not in contracts.CONTRACT_METHODS:
        defaults = {"negotiated_ground": "", "contract_kind": "", "contract_number": "", "unit_price": False}
        defaults["contract_date"] = None
        for name, value in defaults.items():
            if given[name] is KEEP:
                setattr(encumbrance, name, value)
    elif encumbrance.contract_method != "negotiated" and given["negotiated_ground"] is KEEP:
        encumbrance.negotiated_ground = ""
