"""The 借覧 panel of the home page (order 15): paper records the user borrowed, and for their keepers
(the 文書主管, the record's section) those past their due date; nothing when there are none."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.core.menus import HomePanel, PanelRow
from cityhall.documents.selectors_storage import loans_to_mind

SHOWN = 5


def loans_panel(user: Any) -> list[HomePanel]:
    """Open loans to mind: the user's own borrowings and, in their scope, the overdue ones."""
    if not getattr(user, "is_authenticated", False):
        return []
    loans = loans_to_mind(user)
    total = loans.count()
    if not total:
        return []
    today = timezone.localdate()
    rows = [
        PanelRow(
            f"{loan.document.number_label} {loan.document.title}",
            reverse("documents:record_storage", args=[loan.document_id]),
            date=loan.due_on,
            date_label=_("返却期限"),
            status=_("返却期限切れ") if loan.due_on < today else _("借覧中"),
            urgent=loan.due_on < today,
        )
        for loan in loans[:SHOWN]
    ]
    return [
        HomePanel(
            "documents-loans",
            _("借覧中の紙の原議"),
            rows,
            total=total,
            more_url=reverse("documents:loans"),
            more_label=_("借覧の一覧を開く"),
            order=15,
        )
    ]
