"""Helpers shared by the finance endpoints: the caller, ids to objects, the caller's scope, paging."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema

from cityhall.accounts.models import User
from cityhall.accounts.requests import user_of
from cityhall.core import http as core_http
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.http import ApiError, paged
from cityhall.documents.rules import section_of
from cityhall.finance.models import Account, BudgetClassification, BudgetLine, Creditor, Encumbrance
from cityhall.finance.selectors.encumbrances import encumbrances_for
from cityhall.org import selectors as org
from cityhall.org.models import OrgUnit, Role, UnitKind

ERRORS: dict[int, Any] = {**core_http.ERRORS, 422: ApiError}
"""Error responses every finance endpoint may give: a body that does not match its schema (422) too."""


DOCUMENTS_API = "/api/documents"


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
    found = encumbrances_for(user_of(request)).filter(pk=pk).first()
    if found is None:
        raise PermissionDenied("支出負担行為が見つかりません。")
    return found


def require_finance_staff(request: HttpRequest) -> User:
    """The caller, who must hold the 会計 role; otherwise 404 like elsewhere."""
    user = user_of(request)
    if not is_finance_staff(user):
        raise PermissionDenied("この操作を行う権限がありません。")
    return user


class PageQuery(Schema):
    """Paging of a list."""

    page: int = 1
    page_size: int = 20


__all__ = ["ERRORS", "paged"]


def staff_member(pk: int | None, field: str) -> User | None:
    """An active member of staff by id (検査員など), or None; an unknown id is a validation error."""
    if pk is None:
        return None
    found = User.objects.filter(pk=pk, is_active=True).first()
    if found is None:
        raise ValidationFailed("指定された職員が見つかりません。", field=field)
    return found
