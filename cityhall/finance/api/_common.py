"""Helpers shared by the finance endpoints: the caller, ids to objects, the caller's scope, paging."""

from __future__ import annotations

from typing import Annotated, Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from pydantic import Field, Strict, ValidatorFunctionWrapHandler, WrapValidator
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from cityhall.accounts.models import User
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.documents.api.schemas import ApiError
from cityhall.documents.rules import section_of
from cityhall.finance import selectors
from cityhall.finance.models import Account, BudgetClassification, BudgetLine, Creditor, Encumbrance
from cityhall.org import selectors as org
from cityhall.org.models import OrgUnit, Role, UnitKind

MAX_PAGE_SIZE = 100
ERRORS: dict[int, Any] = {400: ApiError, 404: ApiError, 409: ApiError, 422: ApiError}
"""Error responses every endpoint may give (documented in the OpenAPI schema)."""

WHOLE_YEN = "円単位の整数で入力してください（小数・文字列は使えません）。"


def _whole_yen(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Strict int validation, its English message replaced by one a clerk reads (in ``errors[].msg``)."""
    try:
        return handler(value)
    except PydanticValidationError:
        raise PydanticCustomError("whole_yen", WHOLE_YEN) from None


Yen = Annotated[int, Strict(), WrapValidator(_whole_yen), Field(description="円（整数）。小数・文字列は 422")]
"""A whole-yen amount as a JSON integer: 1.5, 1000.0 and "1000" are refused before any service runs."""

DOCUMENTS_API = "/api/documents"


def actor(request: HttpRequest) -> User:
    """The signed-in official calling the API (session auth has already checked them)."""
    return cast(User, request.user)


def is_finance_staff(user: User) -> bool:
    """Whether the user holds the 会計 role today (sees every section's figures)."""
    return org.has_role(user, Role.ACCOUNTING, on=timezone.localdate())


def own_section(user: User) -> OrgUnit | None:
    """The caller's 課 today."""
    return section_of(user, on=timezone.localdate())


def document_links(document_id: int) -> dict[str, str]:
    """Where the route of a typed document is driven: the documents API (回議・決裁)."""
    base = f"{DOCUMENTS_API}/{document_id}"
    return {"document": base, "submit": f"{base}/submit", "approve": f"{base}/approve"}


def _found(qs: QuerySet[Any], pk: int | None, message: str, field: str) -> Any:
    found = qs.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise ValidationFailed(message, field=field)
    return found


def account(pk: int) -> Account:
    """The account (会計) by id; unknown is a validation error on ``account_id``."""
    return cast(Account, _found(Account.objects.all(), pk, "会計が見つかりません。", "account_id"))


def heading(pk: int | None, field: str) -> BudgetClassification:
    """A budget heading (予算科目) by id."""
    rows = BudgetClassification.objects.all()
    return cast(BudgetClassification, _found(rows, pk, "予算科目が見つかりません。", field))


def line(pk: int | None, field: str = "line_id") -> BudgetLine:
    """A budget line (予算明細) by id, with its headings."""
    rows = BudgetLine.objects.select_related("moku", "setsu", "account")
    return cast(BudgetLine, _found(rows, pk, "予算明細が見つかりません。", field))


def section(pk: int, field: str = "section_id") -> OrgUnit:
    """A 課 by id."""
    rows = OrgUnit.objects.filter(kind=UnitKind.SECTION)
    return cast(OrgUnit, _found(rows, pk, "課が見つかりません。", field))


def creditor(pk: int | None, field: str = "creditor_id") -> Creditor:
    """A creditor (債権者) by id, for choosing one in a draft."""
    return cast(Creditor, _found(Creditor.objects.all(), pk, "債権者が見つかりません。", field))


def visible_encumbrance(request: HttpRequest, pk: int) -> Encumbrance:
    """The encumbrance if the caller may see it (their section's, or all for 会計); otherwise 404."""
    found = selectors.encumbrances_for(actor(request)).filter(pk=pk).first()
    if found is None:
        raise PermissionDenied("支出負担行為が見つかりません。")
    return found


def require_finance_staff(request: HttpRequest) -> User:
    """The caller, who must hold the 会計 role; otherwise 404 like elsewhere."""
    user = actor(request)
    if not is_finance_staff(user):
        raise PermissionDenied("この操作を行う権限がありません。")
    return user


def paged(qs: QuerySet[Any], page: int, page_size: int) -> dict[str, Any]:
    """One page of a queryset with its total count."""
    page = max(page, 1)
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    start = (page - 1) * page_size
    return {"count": qs.count(), "page": page, "page_size": page_size, "items": list(qs[start : start + page_size])}
