"""The demo city's 書庫 (デモの書庫と借覧): a storeroom, a box per section holding its paper originals, and
loans of them (one back, one out past its due date), through the services, by the 文書主管 (demo-bunsho).

Runs after the demo documents (``DocumentsConfig.seed_demo``); nothing when the city has a storeroom.
"""

from __future__ import annotations

import datetime as dt
from itertools import islice

from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.documents import services
from cityhall.documents.models import DECIDED_STATUSES, Document, Medium, Storeroom
from cityhall.documents.selectors_records import may_edit_file_plan
from cityhall.org.models import Assignment

MANAGER = "demo-bunsho"
ROOM = "本庁舎 地下書庫"
BOXES = 3
"""Sections whose paper originals get a box (the demo's first ones by code)."""


def _colleague(record: Document, manager: User, day: dt.date) -> User | None:
    """Someone of the record's section other than the 文書主管, to borrow it."""
    units = [record.section_id, *record.section.children.values_list("pk", flat=True)]
    held = Assignment.objects.on(day).filter(unit_id__in=units, is_primary=True, user__is_active=True)
    found = held.exclude(user=manager).select_related("user").order_by("-post__rank", "pk").first()
    return found.user if found is not None else None


def seed_storage() -> str:
    """A storeroom with the sections' paper originals in boxes, one loan returned and one overdue."""
    manager = User.objects.filter(username=MANAGER).first()
    today = timezone.localdate()
    if manager is None or not may_edit_file_plan(manager) or Storeroom.objects.exists():
        return ""
    room = services.storeroom_create(actor=manager, name=ROOM, place="本庁舎 地下1階")
    papers = Document.objects.filter(medium=Medium.PAPER, status__in=DECIDED_STATUSES, disposition="")
    sections = papers.order_by("section__code").values_list("section", flat=True).distinct()
    stored: list[Document] = []
    boxed = list(islice(dict.fromkeys(sections), BOXES))
    for number, section_id in enumerate(boxed, start=1):
        records = list(papers.filter(section_id=section_id).select_related("section").order_by("pk"))
        box = services.storage_box_create(
            actor=manager, storeroom=room, section=records[0].section, label=f"{number:03d}", shelf=str(number)
        )
        for record in records:
            services.record_store(actor=manager, document=record, box=box, expected_version=record.version)
            stored.append(record)
    lent = 0
    for record, (start, due, back) in zip(stored, ((30, 16, True), (14, 3, False)), strict=False):
        borrower = _colleague(record, manager, today)
        if borrower is None:
            continue
        loan = services.record_lend(
            actor=manager,
            document=record,
            borrower=borrower,
            purpose="監査資料の確認" if back else "議会答弁の準備",
            lent_on=today - dt.timedelta(days=start),
            due_on=today - dt.timedelta(days=due),
        )
        if back:
            services.loan_return(actor=manager, loan=loan, returned_on=today - dt.timedelta(days=due + 1))
        lent += 1
    return f"書庫 1 件、文書保存箱 {len(boxed)} 箱、紙の原議 {len(stored)} 件、借覧 {lent} 件を登録しました。"
