"""The file plan's edits (文書分類表の追加・変更・廃止), by the 文書主管 only (anyone else gets 404).

The same services as the screens; the list itself is ``reference.file_plan_class_list``.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Schema, Status

from cityhall.accounts.requests import user_of
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.http import BodyId, Id
from cityhall.documents import services
from cityhall.documents.api import _common as c
from cityhall.documents.api import reference
from cityhall.documents.api.schemas import FilePlanClassOut
from cityhall.documents.models import FilePlanClass
from cityhall.org.models import OrgUnit

# The list (GET /file-plan-classes) is in ``reference``: one path, one router, or Django answers 405.
router = reference.router


class FilePlanClassChangeIn(Schema):
    """What may change in a class (文書分類の変更): name, retention, action at expiry, 主管課, order."""

    name: str
    retention_years: int = Field(description="1, 3, 5, 10, 30 または 0（永年）")
    expiry_action: str = Field("dispose", description="dispose（廃棄）または transfer（移管）")
    section_id: BodyId | None = None
    sort_order: int | None = Field(None, description="表示順（0〜1,000,000）。省略すると最後")


class FilePlanClassIn(FilePlanClassChangeIn):
    """A new class (文書分類の追加): code and parent are fixed once created."""

    code: str = Field(description="半角英数字とハイフン、30文字以内（例: 01-02-03）")
    parent_id: BodyId | None = Field(None, description="上位分類（省略すると大分類）")


class FilePlanEndIn(Schema):
    """The last day the class may be chosen (廃止日)."""

    valid_to: dt.date


def _plan(plan_id: int) -> FilePlanClass:
    plan = FilePlanClass.objects.filter(pk=plan_id).first()
    if plan is None:
        raise PermissionDenied("文書分類が見つかりません。")
    return plan


def _section(pk: int | None) -> OrgUnit | None:
    return None if pk is None else c.units([pk], "section_id")[0]


def _parent(pk: int | None) -> FilePlanClass | None:
    if pk is None:
        return None
    found = FilePlanClass.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed("上位分類が見つかりません。", field="parent_id")
    return found


@router.post("/file-plan-classes", response={201: FilePlanClassOut, **c.ERRORS}, summary="文書分類の追加")
def file_plan_class_create(request: HttpRequest, payload: FilePlanClassIn) -> Status[FilePlanClass]:
    """Add a class to the file plan (文書主管 only): a 大分類, or a 中・小分類 under a class in force."""
    plan = services.file_plan_class_create(
        actor=user_of(request),
        code=payload.code,
        name=payload.name,
        retention_years=payload.retention_years,
        expiry_action=payload.expiry_action,
        parent=_parent(payload.parent_id),
        section=_section(payload.section_id),
        sort_order=payload.sort_order,
    )
    return Status(201, plan)


@router.put("/file-plan-classes/{int:plan_id}", response={200: FilePlanClassOut, **c.ERRORS}, summary="文書分類の変更")
def file_plan_class_update(request: HttpRequest, plan_id: Id, payload: FilePlanClassChangeIn) -> FilePlanClass:
    """Change a class in force (文書主管 only); documents drafted afterwards take the new retention."""
    return services.file_plan_class_update(
        actor=user_of(request),
        plan=_plan(plan_id),
        name=payload.name,
        retention_years=payload.retention_years,
        expiry_action=payload.expiry_action,
        section=_section(payload.section_id),
        sort_order=payload.sort_order,
    )


@router.post(
    "/file-plan-classes/{int:plan_id}/end", response={200: FilePlanClassOut, **c.ERRORS}, summary="文書分類の廃止"
)
def file_plan_class_end(request: HttpRequest, plan_id: Id, payload: FilePlanEndIn) -> FilePlanClass:
    """End a class with its last day (文書主管 only); records filed in it keep it."""
    return services.file_plan_class_end(actor=user_of(request), plan=_plan(plan_id), valid_to=payload.valid_to)
