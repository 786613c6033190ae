"""REST API of the audit room (監査ログ API), mounted at /api/audit: the same filters, paging and permission.

The query is parsed by the room's own form, so a bad value answers 400 with the
same Japanese message as the screen, naming the field. Reading is audited like
a page view. Anyone without a room role gets 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from cityhall.accounts.requests import user_of
from cityhall.auditroom import services
from cityhall.auditroom.access import require_entry
from cityhall.auditroom.forms import AuditFilterForm
from cityhall.auditroom.selectors import entry_page
from cityhall.core.errors import ValidationFailed
from cityhall.core.http import ERRORS, MAX_PAGE_SIZE

router = Router(auth=django_auth, tags=["監査ログ"])


class EntryQuery(Schema):
    """Filters of the audit trail (as on the screen); dates are Japan dates (YYYY-MM-DD), inclusive."""

    person: str = Field("", description="ユーザー名、または氏名の一部")
    section: str = Field("", description="課の ID（その日にその課・係に配置されていた職員の操作）")
    action: str = Field("", description="操作コード（例: documents.document.decide）")
    object_type: str = Field("", description="対象の種類（例: documents.document）")
    object: str = Field("", description="対象の ID、または名称の一部")
    date_from: str = Field("", description="日付（から）")
    date_to: str = Field("", description="日付（まで）")
    access: str = Field("", description="office（庁内）または remote（庁外）")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class EntryOut(Schema):
    """One audit entry with its Japanese names and a link to the object when the caller may open it."""

    seq: int
    at: dt.datetime
    actor: str
    action: str
    action_label: str
    object_type_label: str
    object_name: str
    object_id: str
    url: str
    location: str
    source_ip: str


class EntryPageOut(Schema):
    """A page of entries with the total count."""

    count: int
    page: int
    page_size: int
    num_pages: int
    items: list[EntryOut]


def _form(query: EntryQuery) -> AuditFilterForm:
    data = {k: v for k, v in query.dict().items() if k not in ("page", "page_size") and v}
    form = AuditFilterForm(data)
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        label = form.fields[name].label if name in form.fields else ""
        raise ValidationFailed(f"{label}：{errors[0]}" if label else str(errors[0]), field=name)
    return form


@router.get("/entries", response={200: EntryPageOut, **ERRORS}, summary="監査ログの一覧")
def entry_list(request: HttpRequest, query: Query[EntryQuery]) -> dict[str, Any]:
    """The audit trail, filtered and paged, newest first (監査 and 情報政策 roles only)."""
    user = user_of(request)
    require_entry(user)
    filters = _form(query).filters()
    page = entry_page(user, filters, page=query.page, page_size=query.page_size)
    services.trail_viewed(actor=user, filters=filters, page=page.number, shown=len(page.rows), via="api")
    return {
        "count": page.count,
        "page": page.number,
        "page_size": query.page_size,
        "num_pages": page.num_pages,
        "items": page.rows,
    }
