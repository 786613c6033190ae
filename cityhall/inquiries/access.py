"""Who may see deposit inquiries (財産照会の閲覧権限): the one rule, for 地方税法第22条.

What the tax collection section learns about a taxpayer's assets is a secret it alone may know.
Only holders of the 徴税 role (``Role.TAX_COLLECTION``, a dated role grant) see delinquent persons,
batches, letters and answers, and only those of their own sections (``section_ids``):

* a grant limited to units (``org.selectors.role_scope``) covers the 課 of each unit: the 課 itself,
  the 課 of a 係, every 課 of a 部;
* a grant for the whole city (全庁) covers the 課 the holder works in that day (本務・兼務): the role
  says what they do, not that every section's secrets are theirs.

Everything of this app is read through ``scope_of(user)``, which raises for anyone else; selectors
filter by its ``section_ids`` in SQL, and missing and forbidden are the same 404
(``PermissionDenied``). The same holds for the institution master: the app does not exist for
anyone but the role.

From outside the office (``core.context.current_access().is_office`` False) ``viewing_mode`` asks the
remote-access policy (リモートアクセスの方針, ``core.remote_policy``, data class 財産照会): a holder is
refused with ``RemoteRefused`` (403, a message saying why) unless the policy allows more. The policy
offers only 「表示しない」 for this class until the screens can mask (``ViewingMode.MASKED``).

The batch document travels the approval engine: ``document_rule`` is its ``visibility`` hook, the
same sections plus those taking part in the document (drafter, route, 代決者, 後閲), so the approvers
see the document and what it decides (counts, never persons), and nobody else does, in the inbox,
search or pages. The person data stays behind ``scope_of``.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.context import current_access
from cityhall.core.errors import ApplicationError, PermissionDenied
from cityhall.core.network import AccessContext
from cityhall.core.remote_policy import DataClass, Mode, remote_mode
from cityhall.documents.selectors import involved
from cityhall.org.models import OrgUnit, Role, UnitKind
from cityhall.org.selectors import assignments_of, role_scope, roles_of

NOT_FOUND = "ページが見つかりません。"
REMOTE_REFUSED = (
    "財産照会の情報は、地方税法第22条の守秘義務のため庁外（リモート）からは閲覧・操作できません。"
    "庁内のネットワークから利用してください。"
)


class RemoteRefused(ApplicationError):
    """A holder of the role asked from outside the office (庁外からの利用): refused, and told why."""

    status_code = 403


class ViewingMode(enum.Enum):
    """How much of the inquiries a request may see (閲覧の方法)."""

    FULL = "full"
    MASKED = "masked"
    REFUSED = "refused"


@dataclass(frozen=True)
class Scope:
    """What a tax collector may see: the 課 (ids) and how (``mode``)."""

    user: User
    section_ids: tuple[int, ...]
    mode: ViewingMode

    @property
    def masked(self) -> bool:
        """Whether personal data is to be shown masked (マスキング表示)."""
        return self.mode is ViewingMode.MASKED


def _sections(units: list[OrgUnit], day: dt.date) -> set[int]:
    """The 課 each unit stands for: itself, a 係's 課, a 部's 課 (those existing on the day)."""
    ids = {u.pk for u in units if u.kind == UnitKind.SECTION}
    ids |= {u.parent_id for u in units if u.kind == UnitKind.SUBSECTION and u.parent_id is not None}
    departments = [u.pk for u in units if u.kind == UnitKind.DEPARTMENT]
    if departments:
        below = OrgUnit.objects.on(day).filter(parent_id__in=departments, kind=UnitKind.SECTION)
        ids |= set(below.values_list("pk", flat=True))
    return ids


def section_ids(user: Any, *, on: dt.date | None = None) -> tuple[int, ...]:
    """The 課 whose inquiries ``user`` may see on the day (empty: none); reads only, never raises."""
    day = on or timezone.localdate()
    if Role.TAX_COLLECTION.value not in roles_of(user, on=day):
        return ()
    scope = role_scope(user, Role.TAX_COLLECTION, on=day)
    units = [a.unit for a in assignments_of(user, on=day)] if scope is None else scope
    return tuple(sorted(_sections(units, day)))


def viewing_mode(user: User, access: AccessContext) -> ViewingMode:
    """How ``user`` may see the inquiries from where they are: in full in the office, outside as the policy says.

    The one place of the remote rule: the remote-access policy's mode for 財産照会 (``DataClass.INQUIRY``)
    decides; ``MASKED`` only when the policy says so, and the screens mask what they show.
    """
    mode = remote_mode(user, DataClass.INQUIRY, access)
    return {Mode.SEE: ViewingMode.FULL, Mode.MASKED: ViewingMode.MASKED}.get(mode, ViewingMode.REFUSED)


def scope_of(user: Any, *, on: dt.date | None = None) -> Scope:
    """The caller's scope, or ``PermissionDenied`` (404) for anyone without the role, ``RemoteRefused`` outside."""
    ids = section_ids(user, on=on)
    if not ids:
        raise PermissionDenied(NOT_FOUND)
    mode = viewing_mode(user, current_access())
    if mode is ViewingMode.REFUSED:
        raise RemoteRefused(REMOTE_REFUSED)
    return Scope(user=user, section_ids=ids, mode=mode)


def may_use(user: Any) -> bool:
    """Whether the user holds the role for some section today (the menu entry and the home card)."""
    return bool(getattr(user, "is_authenticated", False) and section_ids(user))


def document_rule(user: User, day: dt.date) -> Q:
    """The batch document's ``visibility`` hook: the collectors of its section and those taking part in it."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return Q(pk__in=[])
    return Q(section_id__in=section_ids(user, on=day)) | involved(user, on=day)
