"""Reference lists for drafting and searching: the file plan (文書分類表) and kinds of matter (事案の種類)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from cityhall.documents.api.schemas import FilePlanClassOut, MatterKindOut
from cityhall.documents.models import FilePlanClass, MatterKind

router = Router(tags=["文書分類・事案の種類"])


@router.get("/file-plan-classes", response=list[FilePlanClassOut], summary="文書分類表")
def file_plan_class_list(request: HttpRequest) -> list[FilePlanClass]:
    """The file plan (大・中・小分類) with default retention and action at expiry."""
    return list(FilePlanClass.objects.order_by("sort_order", "code"))


@router.get("/matter-kinds", response=list[MatterKindOut], summary="事案の種類")
def matter_kind_list(request: HttpRequest) -> list[MatterKind]:
    """Kinds of matter a draft can be about (事務決裁規程の区分)."""
    return list(MatterKind.objects.prefetch_related("consult_units").order_by("sort_order", "code"))
