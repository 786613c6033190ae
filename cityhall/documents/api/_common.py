"""Helpers shared by the documents endpoints: visible documents, ids to objects, downloads.

Error responses (``ERRORS``) and paging (``paged``) are the ones of ``cityhall.core.http``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

from django.http import FileResponse, HttpRequest

from cityhall.accounts.models import User
from cityhall.accounts.requests import user_of
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.http import ERRORS, Id, paged
from cityhall.documents.models import Document, FilePlanClass, MatterKind
from cityhall.documents.selectors import document_for
from cityhall.org.models import OrgUnit


def visible(request: HttpRequest, document_id: Id) -> Document:
    """The document if the caller may see it; otherwise 404 like a missing one."""
    return document_for(user_of(request), document_id)


@overload
def matter_kind(pk: int) -> MatterKind: ...
@overload
def matter_kind(pk: int | None) -> MatterKind | None: ...
def matter_kind(pk: int | None) -> MatterKind | None:
    """The kind of matter by id; None lets the service ask for one."""
    if pk is None:
        return None
    found = MatterKind.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed("事案の種類が見つかりません。", field="matter_kind_id")
    return found


@overload
def file_plan_class(pk: int) -> FilePlanClass: ...
@overload
def file_plan_class(pk: int | None) -> FilePlanClass | None: ...
def file_plan_class(pk: int | None) -> FilePlanClass | None:
    """The file plan class by id, or None."""
    if pk is None:
        return None
    found = FilePlanClass.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed("文書分類が見つかりません。", field="file_plan_class_id")
    return found


def users(ids: Sequence[int], field: str) -> list[User]:
    """Active users by id, in the order given; an unknown id is a validation error."""
    found = User.objects.in_bulk(list(ids))
    missing = [pk for pk in ids if pk not in found or not found[pk].is_active]
    if missing:
        raise ValidationFailed("指定された職員が見つかりません。", field=field)
    return [found[pk] for pk in ids]


def units(ids: Sequence[int], field: str) -> list[OrgUnit]:
    """Organisation units by id, in the order given; an unknown id is a validation error."""
    found = OrgUnit.objects.in_bulk(list(ids))
    if any(pk not in found for pk in ids):
        raise ValidationFailed("指定された組織が見つかりません。", field=field)
    return [found[pk] for pk in ids]


def download(field_file: Any, *, filename: str, content_type: str) -> FileResponse:
    """A file as an attachment download."""
    if not field_file:
        raise PermissionDenied("ファイルが見つかりません。")
    return FileResponse(field_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)


__all__ = ["ERRORS", "paged"]
