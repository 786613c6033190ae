"""The yearly disposal/transfer list (廃棄・移管リスト) of a section, decided through the engine.

``disposal_list_create`` gathers the section's closed records (完結) whose
retention expires (保存期間満了日) by the end of a fiscal year, stores them as
``DisposalListItem`` rows and drafts the list as a typed document
(``documents.disposal_list``) in the same transaction. The list then travels
the ordinary route. When it is decided, ``disposal_list_apply`` (the type's
``on_decided`` hook, after commit) marks each record 廃棄済 or 移管済 with the
decision date; a record whose retention was extended (保存期間の延長) after it
was listed, or that was already disposed of, is skipped and reported on its
item (結果「除外」 with the reason) and in the audit entry of the list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.audit import record, snapshot
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.japanese import fiscal_year_end, format_date, format_wareki
from cityhall.documents import registry
from cityhall.documents.document_types import DISPOSAL_LIST_TYPE
from cityhall.documents.models import (
    DisposalListItem,
    DisposalOutcome,
    Disposition,
    Document,
    DocumentStatus,
    ExpiryAction,
    FilePlanClass,
    MatterKind,
)
from cityhall.documents.rules import section_of
from cityhall.documents.services import _effects
from cityhall.documents.services._common import audit, bump, is_document_manager, require_user, today
from cityhall.documents.typed import draft_insert
from cityhall.org.models import OrgUnit

DISPOSAL_LIST_LABEL = "廃棄・移管リスト"
# The matter kind and file-plan class the list is drafted under (課長専決, 文書管理).
LIST_MATTER_KIND = "general"
LIST_FILE_PLAN = "01-01-02"
SKIP_EXTENDED = "保存期間が延長されたため除外"
SKIP_DONE = "既に廃棄・移管済みのため除外"
SKIP_STATE = "完結していないため除外"


def disposal_candidates(section: OrgUnit, fiscal_year: int) -> QuerySet[Document]:
    """Closed records of the section whose retention ends by the end of ``fiscal_year`` (廃棄・移管の対象).

    Records already disposed of, or on a list that is still pending (not
    rejected or withdrawn), are left out.
    """
    listed = DisposalListItem.objects.filter(outcome=DisposalOutcome.PENDING).exclude(
        disposal_list__status__in=[DocumentStatus.REJECTED, DocumentStatus.WITHDRAWN]
    )
    return (
        Document.objects.filter(
            section=section,
            status=DocumentStatus.CLOSED,
            disposition=Disposition.NONE,
            expires_on__isnull=False,
            expires_on__lte=fiscal_year_end(fiscal_year),
        )
        .exclude(pk__in=listed.values("record_id"))
        .order_by("expires_on", "fiscal_year", "number", "sub_number")
    )


def disposal_items(list_document: Document) -> QuerySet[DisposalListItem]:
    """The items of a disposal/transfer list with their records (廃棄・移管リストの明細)."""
    return DisposalListItem.objects.filter(disposal_list=list_document).select_related("record").order_by("pk")


def _may_create(actor: User, section: OrgUnit, day: dt.date) -> None:
    if is_document_manager(actor, on=day):
        return
    own = section_of(actor, on=day)
    if own is None or own.pk != section.pk:
        raise PermissionDenied("廃棄・移管リストは文書主管課または当該課の職員だけが作成できます。")


def _body(section: OrgUnit, fiscal_year: int, records: list[Document]) -> str:
    lines = [
        f"{section.name}の{format_wareki(fiscal_year_end(fiscal_year))}までに保存期間が満了する文書について、"
        "次のとおり廃棄・移管してよろしいか伺います。",
        "",
    ]
    for i, doc in enumerate(records, start=1):
        action = doc.get_expiry_action_display()
        expires = format_date(doc.expires_on) if doc.expires_on is not None else "—"
        lines.append(f"{i}. {doc.number_label} {doc.title}（満了日 {expires}、{action}）")
    return "\n".join(lines)


def disposal_list_create(*, actor: User, section: OrgUnit, fiscal_year: int, on: dt.date | None = None) -> Document:
    """Draft the section's disposal/transfer list (廃棄・移管リストの作成) for a fiscal year with its items.

    Only the document manager (文書主管) or staff of the section may create it.
    The list is an ordinary draft of type ``documents.disposal_list`` of the
    actor's section; it is submitted and decided like any other draft.
    """
    actor = require_user(actor)
    day = today(on)
    _may_create(actor, section, day)
    kind = MatterKind.objects.filter(code=LIST_MATTER_KIND).first()
    with transaction.atomic(durable=True):
        records = list(disposal_candidates(section, fiscal_year).select_for_update(of=("self",)))
        if not records:
            raise ValidationFailed(
                f"{section.name}には{fiscal_year}年度末までに保存期間が満了する文書がありません。", field="fiscal_year"
            )
        document = draft_insert(
            actor=actor,
            title=f"{fiscal_year}年度 {section.name} 廃棄・移管リスト",
            matter_kind=kind,
            body=_body(section, fiscal_year, records),
            file_plan_class=FilePlanClass.objects.filter(code=LIST_FILE_PLAN).first(),
            doc_type=DISPOSAL_LIST_TYPE,
            on=day,
        )
        items = DisposalListItem.objects.bulk_create(
            DisposalListItem(
                disposal_list=document,
                record=r,
                action=r.expiry_action,
                expires_on=r.expires_on or fiscal_year_end(fiscal_year),
            )
            for r in records
        )
        record(
            actor=actor,
            action="documents.disposal_list.create",
            obj=document,
            after={
                "section": section.pk,
                "fiscal_year": fiscal_year,
                "records": [r.pk for r in records],
                "items": len(items),
            },
        )
    return document


def _validate_submit(document: Document) -> None:
    if not DisposalListItem.objects.filter(disposal_list=document, outcome=DisposalOutcome.PENDING).exists():
        raise ValidationFailed("廃棄・移管リストに対象の文書がありません。")


@dataclass
class DisposalResult:
    """What deciding a list did (廃棄・移管の結果): record ids done and skipped with reasons."""

    done: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)


def _skip_reason(item: DisposalListItem, doc: Document) -> str:
    if doc.disposition != Disposition.NONE:
        return SKIP_DONE
    if doc.status != DocumentStatus.CLOSED:
        return SKIP_STATE
    if doc.expires_on != item.expires_on or doc.extensions.filter(extended_at__gte=item.created_at).exists():
        return SKIP_EXTENDED
    return ""


def disposal_list_apply(document_id: int) -> DisposalResult:
    """Carry out a decided list (廃棄・移管の実施): mark records 廃棄済/移管済, skip extended ones.

    The ``on_decided`` hook of ``documents.disposal_list``; runs after the
    deciding transaction commits, in its own transaction, acting as the
    decider. Idempotent: items already done or skipped are left alone.
    """
    result = DisposalResult()
    with transaction.atomic(durable=True):
        listing = Document.objects.select_for_update().get(pk=document_id)
        if listing.doc_type != DISPOSAL_LIST_TYPE or not listing.is_decided or listing.decided_at is None:
            return result
        actor = listing.decided_by or "documents.disposal"
        day = timezone.localtime(listing.decided_at).date()
        items = list(
            DisposalListItem.objects.select_for_update()
            .filter(disposal_list=listing, outcome=DisposalOutcome.PENDING)
            .order_by("pk")
        )
        for item in items:
            doc = Document.objects.select_for_update().get(pk=item.record_id)
            reason = _skip_reason(item, doc)
            if reason:
                item.outcome, item.note = DisposalOutcome.SKIPPED, reason
                item.save(update_fields=["outcome", "note"])
                result.skipped[doc.pk] = reason
                continue
            before = snapshot(doc)
            transfer = item.action == ExpiryAction.TRANSFER
            doc.disposition = Disposition.TRANSFERRED if transfer else Disposition.DISPOSED
            doc.disposed_on = day
            bump(doc, ["disposition", "disposed_on"])
            audit(actor, "document.transfer" if transfer else "document.dispose", doc, before, disposal_list=listing.pk)
            item.outcome, item.done_on = DisposalOutcome.DONE, day
            item.save(update_fields=["outcome", "done_on"])
            result.done.append(doc.pk)
            _effects.reindex(doc.pk)
        if items:
            record(
                actor=actor,
                action="documents.disposal_list.apply",
                obj=listing,
                after={"done": result.done, "skipped": {str(k): v for k, v in result.skipped.items()}},
            )
            subject = f"廃棄・移管を記録しました（実施 {len(result.done)} 件、除外 {len(result.skipped)} 件）"
            _effects.notify([listing.drafter_id], listing.pk, subject)
    return result


def _on_decided(document_id: int) -> None:
    disposal_list_apply(document_id)


def register() -> None:
    """Register the disposal list as a typed document (文書の型); called from ``DocumentsConfig.ready``."""
    registry.register_type(
        DISPOSAL_LIST_TYPE, DISPOSAL_LIST_LABEL, on_decided=_on_decided, validate_submit=_validate_submit
    )
