"""Reads of records management (文書の保存): the file plan as a tree, a record's extensions and formal
additions, and who may register a paper decision with whom as its decider.

The file plan (文書分類表) is the city's, read by everyone; the 文書主管 edits it
(``services.file_plan``). A record's extensions (保存期間の延長) and formal additions (原議の補正) are
shown to whoever sees the record (the caller has fetched it through ``selectors.document_for``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from cityhall.accounts.models import User
from cityhall.core.errors import ApplicationError
from cityhall.documents.models import Document, FilePlanClass, FormalAddition, RetentionExtension
from cityhall.documents.services._common import is_document_manager, today
from cityhall.documents.services.paper import registrant_section
from cityhall.org.models import Assignment, OrgUnit, UnitKind


@dataclass(frozen=True)
class FilePlanRow:
    """One class of the file plan in tree order, with its depth (0 大分類, 1 中分類, 2 小分類)."""

    plan: FilePlanClass
    depth: int
    in_force: bool


def in_force(on: dt.date | None = None) -> QuerySet[FilePlanClass]:
    """The classes that may be chosen for a document on the day (廃止されていない分類), in file plan order."""
    day = today(on)
    return FilePlanClass.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).order_by("sort_order", "code")


def file_plan_rows(*, on: dt.date | None = None, include_ended: bool = True) -> list[FilePlanRow]:
    """The file plan (文書分類表) as a tree: each class followed by its children, in their order; one query."""
    day = today(on)
    classes = list(FilePlanClass.objects.select_related("section").order_by("sort_order", "code"))
    children: dict[int | None, list[FilePlanClass]] = {}
    for plan in classes:
        children.setdefault(plan.parent_id, []).append(plan)
    rows: list[FilePlanRow] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for plan in children.get(parent_id, []):
            if include_ended or plan.in_force(day):
                rows.append(FilePlanRow(plan=plan, depth=depth, in_force=plan.in_force(day)))
                walk(plan.pk, depth + 1)

    walk(None, 0)
    return rows


def may_edit_file_plan(user: User, *, on: dt.date | None = None) -> bool:
    """Whether the user edits the file plan (文書主管)."""
    return bool(getattr(user, "is_authenticated", False)) and is_document_manager(user, on=on)


def extensions_of(document: Document) -> QuerySet[RetentionExtension]:
    """The record's retention extensions (保存期間の延長の記録), newest first."""
    return document.extensions.select_related("extended_by").order_by("-extended_at", "-pk")


def additions_of(document: Document) -> QuerySet[FormalAddition]:
    """The record's formal additions (原議の補正の記録) with before and after, newest first."""
    return document.additions.select_related("made_by").order_by("-made_at", "-pk")


def may_register_paper(user: User, *, on: dt.date | None = None) -> bool:
    """Whether the user may register a paper decision (紙決裁の登録): 文書主管, or 課長 and above of a section."""
    if not getattr(user, "is_authenticated", False):
        return False
    try:
        registrant_section(user, today(on))
    except ApplicationError:
        return False
    return True


def _chain_units(section: OrgUnit) -> list[int]:
    """The section, its 係, the units above it and the executive (特別職): where its deciders sit."""
    ids = [section.pk, *OrgUnit.objects.filter(parent=section, kind=UnitKind.SUBSECTION).values_list("pk", flat=True)]
    unit = section
    while unit.parent_id is not None and unit.parent is not None:
        unit = unit.parent
        ids.append(unit.pk)
    ids += OrgUnit.objects.filter(kind=UnitKind.EXECUTIVE, municipality_id=section.municipality_id).values_list(
        "pk", flat=True
    )
    return ids


def paper_deciders(user: User, *, on: dt.date | None = None) -> list[tuple[int, str]]:
    """Who may be named as the decider of the user's section's paper decisions: staff who held, at any
    time, a managerial post (係長 and above) in the section, its 係, the units above it or the executive.

    The service checks the post held on the decision's day; this only offers the names.
    """
    try:
        section = registrant_section(user, today(on))
    except ApplicationError:
        return []
    held = (
        Assignment.objects.filter(unit_id__in=_chain_units(section), post__is_managerial=True, user__is_active=True)
        .select_related("user", "unit", "post")
        .order_by("-post__rank", "unit__code", "user__last_name", "-valid_from")
    )
    choices: dict[int, str] = {}
    for assignment in held:
        choices.setdefault(
            assignment.user_id, f"{assignment.unit.name} {assignment.post.name} {assignment.user.full_name}"
        )
    return list(choices.items())
