"""Records management on the document page and the register (文書の保存): ``{% records_panel %}`` and labels."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.requests import user_of
from cityhall.documents.models import Document, Medium
from cityhall.documents.models.register import RETENTION_CHOICES
from cityhall.documents.selectors import available_actions
from cityhall.documents.selectors_records import may_edit_file_plan
from cityhall.documents.selectors_records import may_register_paper as _may_register_paper
from cityhall.documents.selectors_storage import record_loans, stored_in

register = template.Library()

_RETENTION = dict(RETENTION_CHOICES)
_ADDITION_FIELDS = {"title": _("件名"), "body": _("本文"), "location": _("保管場所")}


@register.filter
def retention_label(years: int) -> str:
    """「5年」「永年」 for a retention in years (0 is 永年)."""
    return str(_RETENTION.get(years, years))


@register.filter
def addition_field(name: str) -> str:
    """The label of a field a formal addition changed (件名・本文・保管場所)."""
    return str(_ADDITION_FIELDS.get(name, name))


@register.filter
def overdue_days(due_on: dt.date, today: dt.date) -> int:
    """How many days past its due date a loan is (返却期限の超過日数)."""
    return (today - due_on).days


@register.simple_tag
def may_register_paper(user: Any) -> bool:
    """Whether the user may register a paper decision (紙決裁の登録)."""
    return _may_register_paper(user)


@register.simple_tag
def file_plan_manager(user: Any) -> bool:
    """Whether the user is the 文書主管 (edits the file plan, the storerooms and the boxes)."""
    return may_edit_file_plan(user)


@register.inclusion_tag("documents/partials/records_panel.html", takes_context=True)
def records_panel(context: template.Context, document: Document) -> dict[str, Any]:
    """The 文書の保存 panel of a decided record: retention and its extensions, formal additions, and for a
    paper original its box and whether it is out on loan (借覧)."""
    request = context["request"]
    actions = available_actions(user_of(request), document)
    paper = document.medium == Medium.PAPER and document.is_decided
    loans = list(record_loans(document)[:1]) if paper else []
    return {
        "document": document,
        "may_extend": "extend_retention" in actions,
        "may_amend": "formal_addition" in actions,
        "extension_count": document.extensions.count(),
        "addition_count": document.additions.count(),
        "paper": paper,
        "stored": stored_in(document) if paper else None,
        "open_loan": next((loan for loan in loans if loan.is_open), None),
        "today": timezone.localdate(),
    }
