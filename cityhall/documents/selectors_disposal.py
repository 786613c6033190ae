"""Reads of disposal/transfer lists (廃棄・移管リスト) and of what remains of a disposed record, for a user.

A list is seen by whoever sees its document (``visible_documents``); the list of lists shows the
文書主管 every list, anyone else the lists of their section and those they drafted or take part in.
A disposed record (廃棄済) is seen by nobody (``selectors.visibility_rule``); what remains of it is
its register entry (``DisposedRecord``: number, title, section, dates, the list that disposed it),
for those who could have seen the record, through the same rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from cityhall.accounts.models import User
from cityhall.core.errors import ApplicationError, PermissionDenied
from cityhall.core.japanese import format_wareki
from cityhall.documents.models import (
    EDITABLE_STATUSES,
    DisposalList,
    DisposalListItem,
    DisposalOutcome,
    Disposition,
    Document,
    ExpiryAction,
)
from cityhall.documents.rules import section_of
from cityhall.documents.selectors import involved, visibility_rule, visible_documents
from cityhall.documents.services._common import is_document_manager, today
from cityhall.documents.services.disposal import DISPOSAL_LIST_TYPE

LIST_NOT_FOUND = "廃棄・移管リストが見つかりません。"


def _authenticated(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.pk is not None and user.is_active


def disposal_lists_for(user: User, *, on: dt.date | None = None) -> QuerySet[DisposalList]:
    """The disposal/transfer lists the user works with (廃棄・移管リストの一覧), newest first, with counts."""
    if not _authenticated(user):
        return DisposalList.objects.none()
    day = today(on)
    visible = visible_documents(user, on=day).filter(doc_type=DISPOSAL_LIST_TYPE).values("pk")
    rows = DisposalList.objects.filter(document__in=visible)
    if not is_document_manager(user, on=day):
        own = section_of(user, on=day)
        mine = Q(pk__in=DisposalList.objects.filter(involved(user, on=day, via="document")).values("pk"))
        rows = rows.filter(mine | Q(section=own) if own is not None else mine)
    return (
        rows.select_related("document", "section", "created_by")
        .annotate(
            items=Count("document__disposal_items"),
            transfers=Count(
                "document__disposal_items", filter=Q(document__disposal_items__action=ExpiryAction.TRANSFER)
            ),
        )
        .order_by("-created_at", "-pk")
    )


def disposal_list_for(user: User, document_id: int, *, on: dt.date | None = None) -> DisposalList:
    """One list by its document's id, if the user sees that document; missing and forbidden alike not found."""
    visible = visible_documents(user, on=on).filter(pk=document_id, doc_type=DISPOSAL_LIST_TYPE)
    row = DisposalList.objects.select_related("document", "section", "created_by").filter(document__in=visible).first()
    if row is None:
        raise PermissionDenied(LIST_NOT_FOUND)
    return row


def list_items(row: DisposalList) -> QuerySet[DisposalListItem]:
    """The list's records in order, with their register fields (廃棄・移管リストの明細)."""
    return (
        DisposalListItem.objects.filter(disposal_list_id=row.document_id)
        .select_related("record", "record__section", "record__file_plan_class", "receipt", "receipt__file_plan_class")
        .order_by("pk")
    )


def may_choose(user: User, row: DisposalList, *, on: dt.date | None = None) -> bool:
    """Whether the user may still choose 廃棄 or 移管 on the list: its drafter or the 文書主管, while a draft."""
    if row.document.status not in EDITABLE_STATUSES:
        return False
    return row.document.drafter_id == user.pk or is_document_manager(user, on=today(on))


def may_download_package(user: User, row: DisposalList, *, on: dt.date | None = None) -> bool:
    """Whether the user may download the transfer package (移管パッケージ): the 文書主管, once it exists."""
    return bool(row.package) and is_document_manager(user, on=today(on))


@dataclass(frozen=True)
class DisposedRecord:
    """What remains of a disposed record (廃棄済の文書): its register entry, never its content."""

    pk: int
    number_label: str
    title: str
    fiscal_year: int
    section: str
    retention: str
    expires_on: dt.date | None
    disposed_on: dt.date | None
    list_number: str
    list_id: int | None
    list_visible: bool

    @property
    def message(self) -> str:
        """The Japanese sentence every screen and the API give for it (廃棄済の案内)."""
        when = format_wareki(self.disposed_on) if self.disposed_on else ""
        by = f"廃棄・移管リスト {self.list_number}" if self.list_number else "廃棄・移管リスト"
        return (
            f"この文書（{self.number_label}）は{when}に{by}により廃棄済みのため、"
            "本文・添付ファイル・署名済みPDFはありません。"
        )


def disposed_record_for(user: User, pk: int, *, on: dt.date | None = None) -> DisposedRecord | None:
    """The register entry of a disposed record the user could have seen (廃棄済の文書), else None."""
    if not _authenticated(user) or not Document.objects.filter(pk=pk, disposition=Disposition.DISPOSED).exists():
        return None  # most ids asked for here are missing or forbidden: one lookup by key before the rule
    day = today(on)
    found = (
        Document.objects.filter(visibility_rule(user, on=day, disposed=True), pk=pk)
        .select_related("section")
        .only("id", "number_label", "title", "fiscal_year", "section__name", "retention_years", "expires_on",
              "disposed_on", "is_confidential")
        .first()
    )  # fmt: skip
    if found is None:
        return None
    item = (
        DisposalListItem.objects.filter(record_id=pk, outcome=DisposalOutcome.DONE)
        .select_related("disposal_list")
        .only("disposal_list__id", "disposal_list__number_label")
        .first()
    )
    listing = item.disposal_list if item is not None else None
    seen = listing is not None and visible_documents(user, on=day).filter(pk=listing.pk).exists()
    return DisposedRecord(
        pk=found.pk,
        number_label=found.number_label,
        title=found.title,
        fiscal_year=found.fiscal_year,
        section=found.section.name,
        retention=str(found.get_retention_years_display()),
        expires_on=found.expires_on,
        disposed_on=found.disposed_on,
        list_number=listing.number_label if listing is not None else "",
        list_id=listing.pk if listing is not None else None,
        list_visible=seen,
    )


class RecordDisposed(ApplicationError):
    """A disposed record asked for (廃棄済): 410 Gone with the Japanese reason, for those who could have seen it."""

    status_code = 410


def refuse_disposed(user: User, pk: int) -> None:
    """Raise ``RecordDisposed`` when ``pk`` is a disposed record the user could have seen; else return."""
    record = disposed_record_for(user, pk)
    if record is not None:
        raise RecordDisposed(record.message, extra={"disposition": "disposed", "disposal_list": record.list_number})
