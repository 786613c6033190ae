"""What the document page shows besides the register fields: its history (履歴) and a typed document's content.

The same reads as the page (``selectors_history.document_history``, the registry's ``content``
hook), for the same callers: a document the caller may not see answers 404. A typed document's
content is handed over like on a screen, so the type records the personal data it showed
(``content_viewed`` with 「api」).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from cityhall.accounts.requests import user_of
from cityhall.core.http import Id
from cityhall.documents.api import _common as c
from cityhall.documents.content import TypedContent, value_kind
from cityhall.documents.registry import get_type
from cityhall.documents.selectors_history import HistoryItem, document_history
from cityhall.documents.selectors_records_log import RecordsLogRow, records_log

router = Router(tags=["文書"])

JsonValue = str | int | dt.date | None


class HistoryEntryOut(Schema):
    """One action: what, by whom in which post, when (Japan time), with what comment."""

    kind: str
    action: str
    actor: str
    post: str
    at: dt.datetime
    comment: str


class HistoryRoundOut(Schema):
    """The actions of one round (回議 1, 再回議 2 …)."""

    number: int
    label: str
    entries: list[HistoryEntryOut]


class ContentRowOut(Schema):
    label: str
    value: JsonValue
    kind: str


class ContentTableOut(Schema):
    caption: str
    columns: list[str]
    rows: list[list[JsonValue]]


class ContentSectionOut(Schema):
    title: str
    rows: list[ContentRowOut]
    tables: list[ContentTableOut]


class ContentOut(Schema):
    """What a typed document decides; ``sections`` is empty for a plain document (一般文書)."""

    doc_type: str
    sections: list[ContentSectionOut]
    record_url: str | None


def _entry(item: HistoryItem) -> dict[str, Any]:
    event = item.event
    return {
        "kind": event.kind,
        "action": item.action,
        "actor": event.actor.full_name,
        "post": event.post,
        "at": item.at,
        "comment": item.comment,
    }


@router.get("/{int:document_id}/history", response={200: list[HistoryRoundOut], **c.ERRORS}, summary="文書の履歴")
def document_history_list(request: HttpRequest, document_id: Id) -> list[dict[str, Any]]:
    """Every action on the document by round, oldest first, as the document page's 履歴 shows it."""
    document = c.visible(request, document_id)
    return [
        {"number": r.number, "label": r.label, "entries": [_entry(item) for item in r.rows]}
        for r in document_history(document)
    ]


class RecordsLogOut(Schema):
    """One entry of the record's management log (文書管理の記録): 保存期間の延長, 原議補正, 借覧, 移管."""

    on: dt.date
    at: dt.datetime | None = Field(description="日時（借覧・移管は日付のみ）")
    action: str
    who: str
    detail: str


@router.get("/{int:document_id}/records-log", response={200: list[RecordsLogOut], **c.ERRORS}, summary="文書管理の記録")
def document_records_log(request: HttpRequest, document_id: Id) -> list[RecordsLogRow]:
    """What the records side did to the record after its decision, oldest first, as its page shows it."""
    return records_log(c.visible(request, document_id))


def _sections(content: TypedContent) -> list[dict[str, Any]]:
    return [
        {
            "title": section.title,
            "rows": [{"label": row.label, "value": row.value, "kind": value_kind(row.value)} for row in section.rows],
            "tables": [
                {"caption": t.caption, "columns": list(t.columns), "rows": [list(row) for row in t.rows]}
                for t in section.tables
            ],
        }
        for section in content.sections
    ]


@router.get("/{int:document_id}/content", response={200: ContentOut, **c.ERRORS}, summary="文書の内容（型付き文書）")
def document_content(request: HttpRequest, document_id: Id) -> dict[str, Any]:
    """What a typed document (支出負担行為・支出命令 …) decides, as on its page; account numbers masked likewise."""
    user = user_of(request)
    document = c.visible(request, document_id)
    typed = get_type(document.doc_type)
    content = typed.content_for(document, user) if typed is not None else None
    if typed is None or content is None:
        return {"doc_type": document.doc_type, "sections": [], "record_url": None}
    typed.shown(document, user, "api")
    return {"doc_type": document.doc_type, "sections": _sections(content), "record_url": content.record_url}
