"""Who may see a financial document (財務会計の文書を閲覧できる者): the one rule of finance and documents.

An encumbrance, payment order or movement of budget is visible to those who see
its section's figures (``budget.visible_sections``: the section, a 部長 the 課 under
their 部, the executive, 会計 and 会計管理者) and to everyone taking part in its
document (``documents.selectors.involved``: the drafter, the route, 代決者, 後閲).
The finance lists filter their rows with :func:`rows_rule`; the documents app
applies :func:`document_rule`, registered as each type's ``visibility`` hook, to
the document pages, the documents API, search and the inbox, so both apps show a
record to exactly the same people.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from cityhall.accounts.models import User
from cityhall.documents.selectors import involved
from cityhall.finance.selectors.budget import visible_sections


def _rule(user: User, day: dt.date, via: str, section: str) -> Q:
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return Q(pk__in=[])
    scope = visible_sections(user, on=day)
    if scope.units is None:  # every section: an empty Q would vanish when OR-ed
        return Q(pk__isnull=False)
    return scope.q(section) | involved(user, on=day, via=via)


def document_rule(user: User, day: dt.date) -> Q:
    """The finance types' ``visibility`` hook: the rule as a ``Q`` over ``Document``."""
    return _rule(user, day, "", "section")


def rows_rule(user: User, day: dt.date, *, section: str = "section") -> Q:
    """The same rule over a finance row linked to its ``document`` (負担行為・支出命令・予算の移動);
    ``section``: the row's field naming the drafting section (a movement has only its document's)."""
    return _rule(user, day, "document", section)
