"""A record's management log (文書管理の記録): what happened to it after its decision, beside its 履歴.

The 履歴 (``selectors_history``) holds the approval route's actions; what the records side does to a
closed record is kept in its own tables: retention extensions (保存期間の延長, ``RetentionExtension``),
formal additions (原議補正, ``FormalAddition``) and loans of the paper original (借覧, ``RecordLoan``:
lent and returned), and its transfer (移管). This read puts them in one list, oldest first, for the
document page and the API; each row says when, what, who and the particulars, never the text a formal
addition changed (the audit trail keeps that). The caller has already checked that the user sees the
document (``selectors.document_for``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.core.templatetags.japanese import official_date
from cityhall.documents.models import Disposition, Document, FormalAddition, RecordLoan, RetentionExtension
from cityhall.documents.models.register import RETENTION_CHOICES
from cityhall.documents.services.lifecycle import FORMAL_ADDITION_FIELDS


@dataclass(frozen=True)
class RecordsLogRow:
    """One entry: the day (and the time when the table keeps one), what was done, by whom, and the particulars."""

    on: dt.date
    at: dt.datetime | None
    action: str
    who: str
    detail: str

    @property
    def sort_key(self) -> tuple[dt.date, dt.datetime]:
        """Oldest first; on one day, a row with no time comes first (a loan is recorded by its day)."""
        moment = self.at or timezone.make_aware(dt.datetime.combine(self.on, dt.time.min))
        return self.on, moment


def _day(value: dt.date) -> str:
    """A date as the pages write it (和暦, or ISO 8601 in English)."""
    return str(official_date(value))


def _years(value: int) -> str:
    return str(dict(RETENTION_CHOICES).get(value, value))


def _extensions(document: Document) -> list[RecordsLogRow]:
    rows = RetentionExtension.objects.filter(document=document).select_related("extended_by").order_by("pk")
    return [
        RecordsLogRow(
            on=timezone.localtime(e.extended_at).date(),
            at=timezone.localtime(e.extended_at),
            action=_("保存期間の延長"),
            who=e.extended_by.full_name,
            detail=_("%(old)s → %(new)s（満了日 %(until)s）理由: %(reason)s")
            % {
                "old": _years(e.previous_years),
                "new": _years(e.new_years),
                "until": _day(e.new_expires_on) if e.new_expires_on else _("なし（永年保存）"),
                "reason": e.reason,
            },
        )
        for e in rows
    ]


def _additions(document: Document) -> list[RecordsLogRow]:
    rows = FormalAddition.objects.filter(document=document).select_related("made_by").order_by("pk")
    return [
        RecordsLogRow(
            on=timezone.localtime(a.made_at).date(),
            at=timezone.localtime(a.made_at),
            action=_("原議補正"),
            who=a.made_by.full_name,
            detail=_("項目: %(field)s 理由: %(reason)s")
            % {"field": _(FORMAL_ADDITION_FIELDS.get(a.field, a.field)), "reason": a.reason},
        )
        for a in rows
    ]


def _loans(document: Document) -> list[RecordsLogRow]:
    rows = RecordLoan.objects.filter(document=document).select_related("borrower", "borrower_section", "returned_to")
    log: list[RecordsLogRow] = []
    for loan in rows.order_by("pk"):
        borrower = f"{loan.borrower_section.name} {loan.borrower.full_name}"
        lent = _("目的: %(purpose)s 返却期限: %(due)s") % {"purpose": loan.purpose, "due": _day(loan.due_on)}
        log.append(RecordsLogRow(loan.lent_on, None, _("借覧（貸出）"), borrower, lent))
        if loan.returned_on is not None:
            receiver = loan.returned_to.full_name if loan.returned_to else ""
            returned = _("受領: %(who)s") % {"who": receiver} if receiver else ""
            log.append(RecordsLogRow(loan.returned_on, None, _("借覧（返却）"), borrower, returned))
    return log


def _transfer(document: Document) -> list[RecordsLogRow]:
    if document.disposition != Disposition.TRANSFERRED or document.disposed_on is None:
        return []
    return [RecordsLogRow(document.disposed_on, None, _("移管（歴史公文書）"), "", _("廃棄・移管リストによる"))]


def records_log(document: Document) -> list[RecordsLogRow]:
    """The record's management log (文書管理の記録), oldest first; empty for a record nothing was done to."""
    rows = [*_extensions(document), *_additions(document), *_loans(document), *_transfer(document)]
    return sorted(rows, key=lambda row: row.sort_key)
