"""Shared helpers of the finance services: actor checks, the acting day, the matter kind 支出."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.matters import SPENDING_KIND
from cityhall.documents import registry
from cityhall.documents.models import Document
from cityhall.finance.selectors.budget import is_treasurer
from cityhall.org import selectors as org
from cityhall.org.models import Role

NO_PERMISSION = "この操作を行う権限がありません。"


def require_user(actor: Any) -> User:
    """The acting user, who must be an active, signed-in member of staff."""
    if not isinstance(actor, User) or not actor.is_active or actor.pk is None:
        raise PermissionDenied(NO_PERMISSION)
    return actor


def today(on: dt.date | None = None) -> dt.date:
    """The day of the act (today in Japan unless given)."""
    return on or timezone.localdate()


# The day the engine acts on (``submit(..., on=day)``, ``approve(..., on=day)``) as seen by the typed
# documents' hooks, which get only the document. Unset, the hooks judge by today; seed_demo sets it to
# replay a past year through the engine.
_acting_day: ContextVar[dt.date | None] = ContextVar("finance_acting_day", default=None)


@contextmanager
def acting_on(day: dt.date) -> Iterator[None]:
    """Let the typed-document hooks judge dates as of ``day`` (処理日), e.g. ``with acting_on(d): submit(on=d)``."""
    token = _acting_day.set(day)
    try:
        yield
    finally:
        _acting_day.reset(token)


def acting_day() -> dt.date:
    """The day the hooks judge by (処理日): the one set by ``acting_on``, else today (Japan)."""
    return _acting_day.get() or timezone.localdate()


def require_treasurer(actor: Any, *, on: dt.date | None = None) -> User:
    """The actor, who must hold the 会計管理者 role on the day."""
    user = require_user(actor)
    if not is_treasurer(user, on=today(on)):
        raise PermissionDenied(NO_PERMISSION)
    return user


def require_finance_staff(actor: Any, *, on: dt.date | None = None) -> User:
    """The actor, who must hold the 会計 role (財政・会計担当) to maintain budgets and creditors."""
    user = require_user(actor)
    if not org.has_role(user, Role.ACCOUNTING, on=today(on)):
        raise PermissionDenied(NO_PERMISSION)
    return user


def require_spending(document: Document) -> None:
    """A finance document is of the matter kind 支出, whose delegation rules (専決区分) go by amount.

    The drafting services set it; a document changed to another kind would be decided lower.
    """
    kind = document.matter_kind
    if kind.code != SPENDING_KIND:
        entry = registry.get_type(document.doc_type)
        what = entry.label if entry is not None else "この文書"
        raise ValidationFailed(
            f"{what}の事案の種類は「支出」にしてください（現在: 「{kind.name}」）。", field="matter_kind"
        )
