"""What an inquiry batch decides, as the approver reads it (預貯金等照会の内容): the ``content`` hook.

Legal basis, purpose, period, base date, reply deadline, how many persons, and the institutions
asked with how many persons each: counts, never a person. Approvers on the route who are not tax
collectors see the document and this, and nothing of the persons; the link to the batch's own
screen shows only to those who may open it (its section's collectors, in the office).
"""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.core.context import current_access
from cityhall.core.japanese.display import shown_date
from cityhall.documents.models import Document
from cityhall.documents.typed import ContentRow, ContentSection, ContentTable, TypedContent
from cityhall.inquiries.access import ViewingMode, section_ids, viewing_mode
from cityhall.inquiries.models import InquiryBatch, InquiryItem, Letter


def _persons(n: int) -> str:
    return _("%(n)s名") % {"n": f"{n:,}"}


def _items(n: int) -> str:
    return _("%(n)s件") % {"n": f"{n:,}"}


def may_open(viewer: User | None, batch: InquiryBatch) -> bool:
    """Whether a screen's ``viewer`` may open the batch's own screen (their section, in the office)."""
    if viewer is None or batch.section_id not in section_ids(viewer):
        return False
    return viewing_mode(viewer, current_access()) is not ViewingMode.REFUSED


def batch_content(document: Document, viewer: User | None) -> TypedContent | None:
    """The batch's terms and counts, and its institutions with how many persons each (no person)."""
    batch = InquiryBatch.objects.filter(document=document).first()
    if batch is None:
        return None
    persons = batch.persons.count()
    items = InquiryItem.objects.filter(letter__batch=batch).count()
    letters = list(
        Letter.objects.filter(batch=batch)
        .select_related("institution")
        .annotate(persons=Count("items"))
        .order_by("institution__kind", "institution__bank_code", "institution__kana", "pk")
    )
    period = (
        f"{shown_date(batch.period_from)} 〜 {shown_date(batch.period_to)}"
        if batch.period_from and batch.period_to
        else None
    )
    rows = (
        ContentRow(_("根拠法令"), batch.legal_basis),
        ContentRow(_("照会の目的"), batch.purpose),
        ContentRow(_("残高の基準日"), batch.base_date),
        ContentRow(_("取引履歴の照会期間"), period),
        ContentRow(_("回答期限"), _("送付日から%(n)s日") % {"n": batch.reply_days}),
        ContentRow(_("照会対象者"), _persons(persons)),
        ContentRow(_("照会先"), _items(len(letters))),
        ContentRow(_("照会の件数（対象者×照会先）"), _items(items)),
    )
    table = ContentTable(
        caption=_("照会先ごとの対象者数"),
        columns=(_("照会先"), _("種類"), _("照会の方法"), _("対象者数")),
        rows=tuple(
            (
                letter.institution.name,
                str(letter.institution.get_kind_display()),
                str(letter.institution.get_channel_display()),
                _persons(letter.persons),
            )
            for letter in letters
        ),
    )
    return TypedContent(
        sections=(
            ContentSection(_("預貯金等照会の内容"), rows=rows),
            ContentSection(_("照会先ごとの対象者数"), tables=(table,)),
        ),
        record_url=reverse("inquiries:batch", args=[batch.pk]) if may_open(viewer, batch) else None,
        record_label=_("照会の画面を開く"),
    )
