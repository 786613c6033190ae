"""Records for the records-management tests (文書の保存): decided records, paper originals, a storeroom and box."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from cityhall.documents import services
from cityhall.documents.models import Document, RecordLoan, StorageBox, Storeroom
from cityhall.testing.documents import submitted_document

PAPER_DECIDED_ON = dt.date(2025, 6, 2)
"""The day the test city's paper decisions were taken (総務課 課長 課山 held the post)."""


def decided_document(city: SimpleNamespace, **kw: Any) -> Document:
    """An electronic document decided by 総務課's 課長 (課長専決), drafted by ``drafter``."""
    doc = submitted_document(city, **kw)
    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    return services.approve(actor=city.kacho, document=doc, expected_version=doc.version)


def paper_record(city: SimpleNamespace, *, title: str = "旧庁舎の解体について", **kw: Any) -> Document:
    """A paper decision of 総務課 registered by the 文書主管 (紙決裁の登録), decided by its 課長."""
    fields: dict[str, Any] = {
        "actor": city.docmgr,
        "title": title,
        "matter_kind": city.kinds["general"],
        "paper_reason": "システム停止中の決裁",
        "decided_on": PAPER_DECIDED_ON,
        "decided_by": city.kacho,
        "file_plan_class": city.plan,
        "location": "総務課 キャビネット1",
    }
    return services.paper_decision_register(**(fields | kw))


def overdue_loan(city: SimpleNamespace, record: Document, *, days: int = 3) -> RecordLoan:
    """The paper record lent by the 文書主管 to ``drafter`` ten days before its due date, ``days`` ago."""
    due = timezone.localdate() - dt.timedelta(days=days)
    return services.record_lend(
        actor=city.docmgr,
        document=record,
        borrower=city.drafter,
        purpose="監査対応",
        lent_on=due - dt.timedelta(days=10),
        due_on=due,
    )


def wareki(day: dt.date) -> str:
    """The day as a clerk types it in 和暦 (令和, from 2019-05-01): 「令和8年1月5日」."""
    return f"令和{day.year - 2018}年{day.month}月{day.day}日"


def storage_box(
    city: SimpleNamespace, *, label: str = "R7-総-01", section: Any = None, room: str = "第1書庫"
) -> StorageBox:
    """A box of 総務課 (or ``section``) on shelf 3 of 第1書庫, registered by the 文書主管 (the room too)."""
    found = Storeroom.objects.filter(name=room).first()
    storeroom = found or services.storeroom_create(actor=city.docmgr, name=room, place="本庁舎 地下1階")
    return services.storage_box_create(
        actor=city.docmgr, storeroom=storeroom, section=section or city.units.soumu, label=label, shelf="3"
    )
