"""Helpers shared by the documents endpoints: visible documents, ids to objects, downloads.

Error responses (``ERRORS``: those of ``cityhall.core.http`` and 410 for a disposed record) and paging
(``paged``, from ``cityhall.core.http``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, overload

from django.http import FileResponse, HttpRequest

from cityhall.accounts.models import User
from cityhall.accounts.requests import user_of
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.http import ERRORS as COMMON_ERRORS
from cityhall.core.http import ApiError, Id, paged
from cityhall.documents.models import Document, FilePlanClass, MatterKind
from cityhall.documents.selectors import document_for
from cityhall.documents.selectors_disposal import refuse_disposed
from cityhall.org.models import OrgUnit

ERRORS: dict[int, Any] = {**COMMON_ERRORS, 410: ApiError}
"""The documents endpoints' error responses: those of every endpoint, and 410 for a disposed record (廃棄済)."""


def visible(request: HttpRequest, document_id: Id) -> Document:
    """The document if the caller may see it; 410 with the reason for a disposed one they could have seen;
    otherwise 404 like a missing one."""
    user = user_of(request)
    try:
        return document_for(user, document_id)
    except PermissionDenied:
        refuse_disposed(user, document_id)
        raise


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


ID_FIELDS = frozenset({"matter_kind", "file_plan_class", "decided_by", "sub_of"})
"""Fields the services name as the screens' forms do, which the API's payloads send as ``<name>_id``."""


@contextmanager
def payload_fields() -> Iterator[None]:
    """Name the payload's field (``file_plan_class_id``) in a service's refusal of ``file_plan_class``."""
    try:
        yield
    except ValidationFailed as exc:
        if exc.field not in ID_FIELDS:
            raise
        raise ValidationFailed(exc.message, field=f"{exc.field}_id") from exc
