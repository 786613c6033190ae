"""The documents panels of the home page (ホームのパネル), as data for the shell (``cityhall.core.menus``).

* 処理待ち (order 10): documents waiting for the user's action and their 後閲, with amount and
  the day circulation began; the count is the header's (処理待ち + 後閲) and the inbox tabs'.
* 閲覧待ちの収受 (12): received documents circulated to the user (供覧) not yet marked seen (閲).
* 回答期限のある収受 (15): received documents of the user's section that need a reply.
* 起案中・差戻し (20): the user's drafts, returned (差戻し) drafts first.
* 廃棄・移管 (30, 文書主管 only): sections with records due this fiscal year and the lists in circulation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.core.menus import HomePanel, PanelFigure, PanelRow
from cityhall.documents import selectors_home as reads
from cityhall.documents.models import Document, DocumentStatus
from cityhall.documents.selectors import waiting_count
from cityhall.documents.selectors_receipts import receipts_for, to_read_count

SHOWN = 5
"""Rows per panel; the panel links to the whole list."""
URGENT_DAYS = 3
"""A reply due within this many days is marked 期限間近."""


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def _document_row(document: Document, *, status: Any, date_label: Any, date: dt.date | None) -> PanelRow:
    title = f"{document.number_label} {document.title}".strip()
    url = reverse("documents:detail", args=[document.pk])
    return PanelRow(title, url, amount=document.amount, date=date, date_label=date_label, status=status)


def waiting_panel(user: Any) -> list[HomePanel]:
    """処理待ち and 後閲 of the user, as many as the header counts."""
    if not _signed_in(user):
        return []
    pending = [
        _document_row(d, status=_("処理待ち"), date_label=_("回議開始"), date=_day(d.submitted_at))
        for d in reads.waiting(user)[:SHOWN]
    ]
    later = [
        _document_row(d, status=_("後閲"), date_label=_("決裁日"), date=_day(d.decided_at))
        for d in reads.post_reviews(user)[: max(SHOWN - len(pending), 0)]
    ]
    return [
        HomePanel(
            key="documents-waiting",
            title=_("あなたの処理を待っている文書"),
            rows=[*pending, *later],
            total=waiting_count(user),
            more_url=reverse("documents:inbox"),
            more_label=_("受信箱を開く"),
            empty=_("処理待ちの文書はありません。"),
            order=10,
        )
    ]


def replies_panel(user: Any) -> list[HomePanel]:
    """Received documents of the section whose reply is not yet drafted, earliest deadline first."""
    if not _signed_in(user):
        return []
    rows = reads.replies_due(user)
    total = rows.count()
    if not total:
        return []
    soon = timezone.localdate() + dt.timedelta(days=URGENT_DAYS)
    shown = [
        PanelRow(
            f"{r.sender} {r.title}",
            reverse("documents:receipt", args=[r.pk]),
            date=r.reply_deadline,
            date_label=_("回答期限"),
            status=_("期限間近") if r.reply_deadline and r.reply_deadline <= soon else _("回答待ち"),
            urgent=bool(r.reply_deadline and r.reply_deadline <= soon),
        )
        for r in rows[:SHOWN]
    ]
    more = reverse("documents:receipts")
    return [HomePanel("documents-replies", _("回答が必要な収受"), shown, total=total, more_url=more, order=15)]


def to_read_panel(user: Any) -> list[HomePanel]:
    """Received documents circulated to the user (供覧) still waiting for their 閲, newest first."""
    if not _signed_in(user):
        return []
    total = to_read_count(user)
    if not total:
        return []
    shown = [
        PanelRow(
            f"{r.number_label} {r.title}",
            reverse("documents:receipt", args=[r.pk]),
            date=r.received_on,
            date_label=_("収受日"),
            status=_("閲覧待ち"),
        )
        for r in receipts_for(user, to_read=True)[:SHOWN]
    ]
    more = reverse("documents:receipts") + "?to_read=1"
    return [
        HomePanel(
            "documents-to-read", _("閲覧を待っている収受文書（供覧）"), shown, total=total, more_url=more, order=12
        )
    ]


def drafts_panel(user: Any) -> list[HomePanel]:
    """The user's drafts (起案中) and returned drafts (差戻し), returned first."""
    if not _signed_in(user):
        return []
    drafts = reads.my_drafts(user)
    rows = []
    for d in drafts[:SHOWN]:
        returned = d.status == DocumentStatus.SENT_BACK
        row = _document_row(
            d, status=d.get_status_display(), date_label=_("更新日"), date=_day(d.updated_at) or d.drafted_on
        )
        rows.append(replace(row, urgent=returned))
    return [
        HomePanel(
            key="documents-drafts",
            title=_("あなたの起案中・差戻しの文書"),
            rows=rows,
            total=drafts.count(),
            more_url=reverse("documents:inbox") + "?tab=sent_back",
            more_label=_("差戻しの一覧を開く"),
            empty=_("起案中・差戻しの文書はありません。"),
            order=20,
        )
    ]


def disposal_panel(user: Any) -> list[HomePanel]:
    """For the 文書主管: sections with records due for 廃棄・移管 this fiscal year, and the lists in circulation."""
    if not _signed_in(user):
        return []
    due = reads.disposal_due(user)
    lists = reads.open_disposal_lists(user)
    if not due and not lists.exists():
        return []
    figures = [
        PanelFigure(_("%(section)s（最も早い満了日）") % {"section": row.section}, count=row.count, date=row.earliest)
        for row in due
    ]
    rows = [
        _document_row(d, status=d.get_status_display(), date_label=_("起案日"), date=d.drafted_on)
        for d in lists[:SHOWN]
    ]
    return [
        HomePanel(
            key="documents-disposal",
            title=_("今年度の廃棄・移管"),
            rows=rows,
            figures=figures,  # the count per section; the lists in circulation are the rows
            more_url=reverse("documents:disposal_lists"),
            order=30,
        )
    ]


PANELS = [waiting_panel, to_read_panel, replies_panel, drafts_panel, disposal_panel]
