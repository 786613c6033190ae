"""The one mapping of application errors to HTTP responses, API error schemas and form errors.

``ApplicationError`` subclasses carry a Japanese message, the input field and a
status (``PermissionDenied`` answers 404, so "missing" and "forbidden" look the
same). The API's exception handler (``cityhall.api``) answers with
``error_body``; screens put the message next to the field with ``apply_error``.
API endpoints list ``ERRORS`` as their documented error responses.
"""

from __future__ import annotations

from typing import Annotated, Any

from django import forms
from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field, Strict, ValidatorFunctionWrapHandler, WrapValidator
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from cityhall.core.errors import ApplicationError
from cityhall.core.numbers import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN, ID_MAX, PAGE_MAX

MAX_PAGE_SIZE = 100
WHOLE_YEN = "円単位の整数で入力してください（小数・文字列は使えません）。"


class ApiError(Schema):
    """An application error (エラー): Japanese message and the input it is about."""

    detail: str
    field: str | None = None


ERRORS: dict[int, Any] = {400: ApiError, 404: ApiError, 409: ApiError}
"""Error responses every endpoint may give (documented in the OpenAPI schema)."""


def error_body(error: ApplicationError) -> dict[str, Any]:
    """The JSON body of an application error: its extra data, the message (``detail``) and the field."""
    return {**error.extra, "detail": error.message, "field": error.field}


def apply_error(form: forms.BaseForm, error: ApplicationError) -> None:
    """Show a service error next to its field (or at the top when the form has no such field)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _whole_yen(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Strict int validation, its English message replaced by one a clerk reads (in ``errors[].msg``)."""
    try:
        return handler(value)
    except PydanticValidationError:
        raise PydanticCustomError("whole_yen", WHOLE_YEN) from None


Yen = Annotated[int, Strict(), WrapValidator(_whole_yen), Field(description="円（整数）。小数・文字列は 422")]
"""A whole-yen amount as a JSON integer: 1.5, 1000.0 and "1000" are refused before any service runs."""


Id = Annotated[int, Field(ge=1, le=ID_MAX, description="ID（1以上）")]
"""An id in a path or query string: out of the database's range is 422, never an overflow."""
BodyId = Annotated[int, Strict(), Field(ge=1, le=ID_MAX, description="ID（1以上の整数）")]
"""An id in a JSON body: a JSON integer (``true`` and ``"5"`` are 422), in the database's range."""
Version = Annotated[int, Strict(), Field(ge=0, le=ID_MAX, description="版（0以上の整数）")]
"""``expected_version`` and the like: a JSON integer; ``true`` is not 1."""
Page = Annotated[int, Field(ge=1, le=PAGE_MAX, description="ページ番号")]
PageSize = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE, description="1ページの件数")]
FiscalYear = Annotated[int, Field(ge=FISCAL_YEAR_MIN, le=FISCAL_YEAR_MAX, description="年度（西暦）")]


def paged(qs: QuerySet[Any], page: int, page_size: int) -> dict[str, Any]:
    """One page of a queryset with its total count (at most ``MAX_PAGE_SIZE`` items)."""
    page = min(max(page, 1), PAGE_MAX)
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    start = (page - 1) * page_size
    return {"count": qs.count(), "page": page, "page_size": page_size, "items": list(qs[start : start + page_size])}
