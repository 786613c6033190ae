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
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja import Schema
from ninja.parser import Parser
from pydantic import Field, Strict, ValidatorFunctionWrapHandler, WrapValidator
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from cityhall.core.errors import ApplicationError, ValidationFailed
from cityhall.core.numbers import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN, ID_MAX, PAGE_MAX
from cityhall.core.text import find_unsafe

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


class StrictJsonParser(Parser):
    """The API's JSON parser: NUL and lone surrogates are refused in every string of a request (400).

    ``"\\ud800"`` is valid JSON but no text: UTF-8 cannot encode it and the database refuses it.
    NUL ends strings in C and PostgreSQL cannot store it. Both are refused here, for bodies and
    query strings, with the field's path, before any schema or service sees them.
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        _refuse_unsafe(data)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        _refuse_unsafe(result)
        return result


def _refuse_unsafe(data: object) -> None:
    path = find_unsafe(data)
    if path is not None:
        raise ValidationFailed(
            f"入力に使えない文字（制御文字または不正な文字）が含まれています（{path}）。", field=path
        )


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
