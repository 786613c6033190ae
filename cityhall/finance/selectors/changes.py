"""Read-side of contracts (契約の参照): the history of 変更契約, likely splitting, what a 変更契約 decides.

* ``change_history``: an encumbrance's changes (変更契約), oldest first, whatever their state.
* ``possible_split``: encumbrances of the same creditor and budget line within
  ``settings.CITYHALL_SPLIT_WINDOW_DAYS`` (default 30) days whose sum falls to a higher deciding post
  (専決区分) than the largest piece alone: a likely 分割発注, shown to the approver as a warning,
  never a refusal (the pieces may be separate needs).
* ``change_content``: the ``content`` hook of ``finance.encumbrance_change``: the encumbrance, its
  original amount, each change before this one, this change and the new total, and the
  allotment's 執行可能額 for an increase.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese.display import shown_yen
from cityhall.documents.models import DECIDED_STATUSES, Document, DocumentStatus
from cityhall.documents.rules import decision_rule
from cityhall.documents.typed import ContentRow, ContentSection, ContentTable, TypedContent
from cityhall.finance import balance
from cityhall.finance.models import Encumbrance, EncumbranceChange
from cityhall.finance.selectors.encumbrances import encumbrances_for

DEFAULT_SPLIT_WINDOW_DAYS = 30
_GONE = (DocumentStatus.WITHDRAWN, DocumentStatus.REJECTED)


def change_history(encumbrance: Encumbrance) -> QuerySet[EncumbranceChange]:
    """The encumbrance's 変更契約, oldest first, with their documents."""
    return EncumbranceChange.objects.filter(encumbrance=encumbrance).select_related("document").order_by("sequence")


def change_state(change: EncumbranceChange) -> str:
    """A change's state as shown: 決裁済（反映済）, 回議中, 起案中 …"""
    if change.applied_at is not None:
        return _("決裁済（反映済）")
    return str(change.document.get_status_display())


def history_table(encumbrance: Encumbrance, *, upto: int | None = None) -> ContentTable:
    """当初 and each change (回, 文書番号, 変更契約日, 変更前, 増減額, 変更後, 状態, 理由), up to ``upto`` if given."""
    columns = (_("区分"), _("文書番号"), _("変更契約日"), _("変更前"), _("増減額"), _("変更後"), _("状態"), _("理由"))
    rows: list[tuple[str | int | dt.date | None, ...]] = [
        (
            _("当初"),
            encumbrance.document.number_label,
            encumbrance.contract_date,
            None,
            None,
            encumbrance.original_amount,
            str(encumbrance.document.get_status_display()),
            None,
        )
    ]
    for change in change_history(encumbrance):
        if upto is not None and change.sequence > upto:
            break
        rows.append(
            (
                _("第%(n)d回変更") % {"n": change.sequence},
                change.document.number_label,
                change.change_date,
                change.previous_amount,
                change.difference,
                change.new_amount,
                change_state(change),
                change.reason,
            )
        )
    return ContentTable(_("当初契約と変更の履歴"), columns, tuple(rows))


@dataclass(frozen=True)
class SplitWarning:
    """Encumbrances that together fall to a higher deciding post than each alone (分割発注の疑い)."""

    pieces: tuple[Encumbrance, ...]
    total: int
    alone_label: str
    total_label: str
    window_days: int

    @property
    def message(self) -> str:
        """The warning as shown to the approver."""
        numbers = "、".join(p.document.number_label for p in self.pieces)
        return _(
            "同じ債権者・同じ予算科目の支出負担行為が%(days)d日以内に%(count)d件あります（%(numbers)s）。"
            "合計%(total)sは「%(total_label)s」の区分に当たりますが、各件は「%(alone_label)s」の区分です。"
            "契約を分割して決裁区分を下げていないか確認してください。"
        ) % {
            "days": self.window_days,
            "count": len(self.pieces),
            "numbers": numbers,
            "total": shown_yen(self.total),
            "total_label": self.total_label,
            "alone_label": self.alone_label,
        }


def split_window_days() -> int:
    """The window of the splitting warning (``CITYHALL_SPLIT_WINDOW_DAYS``, default 30 days)."""
    return int(getattr(settings, "CITYHALL_SPLIT_WINDOW_DAYS", DEFAULT_SPLIT_WINDOW_DAYS))


def possible_split(encumbrance: Encumbrance, *, amount: int | None = None) -> SplitWarning | None:
    """Same creditor and line within the window, adding up to a higher tier than the largest piece alone.

    ``amount`` stands for the encumbrance's amount (a 変更契約's new total). Live encumbrances only
    (not 取下げ, 却下 or 取消), drafts included: the pieces are often drafted together.
    """
    days = split_window_days()
    document = encumbrance.document
    day = encumbrance.contract_date or document.drafted_on
    window = dt.timedelta(days=days)
    others = (
        Encumbrance.objects.filter(creditor_id=encumbrance.creditor_id, line_id=encumbrance.line_id)
        .filter(cancelled_at__isnull=True)
        .exclude(document__status__in=_GONE)
        .exclude(pk=encumbrance.pk)
        .filter(
            Q(contract_date__range=(day - window, day + window))
            | Q(contract_date__isnull=True, document__drafted_on__range=(day - window, day + window))
        )
        .select_related("document")
        .order_by("document__drafted_on", "pk")
    )
    pieces = list(others[:50])
    if not pieces:
        return None
    own = encumbrance.amount if amount is None else amount
    total = own + sum(p.amount for p in pieces)
    largest = max([own, *(p.amount for p in pieces)])
    try:
        setsu = encumbrance.line.setsu.code if encumbrance.line.setsu is not None else ""
        alone = decision_rule(document.matter_kind, largest, section=encumbrance.section, setsu=setsu)
        together = decision_rule(document.matter_kind, total, section=encumbrance.section, setsu=setsu)
    except ValidationFailed:
        return None
    if together.decider_post.rank <= alone.decider_post.rank:
        return None
    return SplitWarning(
        pieces=(encumbrance, *pieces),
        total=total,
        alone_label=alone.label,
        total_label=together.label,
        window_days=days,
    )


def change_content(document: Document, viewer: User | None) -> TypedContent | None:
    """What a 変更契約 decides: the encumbrance, its history up to this change, the new total, the budget."""
    change = (
        EncumbranceChange.objects.select_related(
            "encumbrance__document", "encumbrance__line", "encumbrance__creditor", "encumbrance__allotment"
        )
        .filter(document=document)
        .first()
    )
    if change is None:
        return None
    enc = change.encumbrance
    rows = [
        ContentRow(_("支出負担行為"), f"{enc.document.number_label} {enc.document.title}"),
        ContentRow(_("予算科目（款項目節）"), f"{enc.line.label}"),
        ContentRow(_("債権者"), f"{enc.creditor.name}（{enc.creditor.code}）"),
        ContentRow(_("契約方法"), enc.get_contract_method_display()),
        ContentRow(_("契約番号"), enc.contract_number or None),
        ContentRow(_("当初金額"), enc.original_amount),
        ContentRow(_("変更前の金額"), change.previous_amount),
        ContentRow(_("増減額"), change.difference),
        ContentRow(_("変更後の金額（総額・決裁区分はこの額による）"), change.new_amount),
        ContentRow(_("変更後の履行期限"), change.new_deadline),
        ContentRow(_("変更契約日"), change.change_date),
        ContentRow(_("変更の理由"), change.reason),
    ]
    if change.difference > 0 and document.status not in DECIDED_STATUSES:
        before = balance.available_amount(enc.allotment, exclude_document_id=document.pk)
        rows += [
            ContentRow(_("執行可能額（本件の前）"), before),
            ContentRow(_("執行可能額（本件の後）"), before - change.difference),
        ]
    elif change.difference < 0:
        rows.append(ContentRow(_("支出命令済額"), balance.ordered_against(enc)))
    sections = [
        ContentSection(_("変更契約の内容"), rows=tuple(rows)),
        ContentSection(_("変更の履歴"), tables=(history_table(enc, upto=change.sequence),)),
    ]
    warning = possible_split(enc, amount=change.new_amount)
    if warning is not None:
        sections.append(ContentSection(_("注意（分割発注の疑い）"), rows=(ContentRow(_("注意"), warning.message),)))
    link = viewer is not None and encumbrances_for(viewer).filter(pk=enc.pk).exists()
    return TypedContent(
        sections=tuple(sections),
        record_url=reverse("finance:encumbrance", args=[enc.pk]) if link else None,
        record_label=_("支出負担行為の画面を開く"),
    )
