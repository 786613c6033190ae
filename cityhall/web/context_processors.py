"""Template context for the application shell (画面共通部分).

Every page's header shows who is signed in, their section and post (所属・職),
and whether the session is from the office network or remote (庁内/庁外).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cityhall.org.models import Assignment, UnitKind
from cityhall.org.selectors import primary_assignment, roles_read_once
from cityhall.web.inbox import inbox_count, inbox_url
from cityhall.web.navigation import nav_links


def section_label(assignment: Assignment) -> str:
    """The section as staff write it: a 係 with its 課 (「税務課 市民税係」), otherwise the unit's name."""
    unit = assignment.unit
    if unit.kind == UnitKind.SUBSECTION and unit.parent is not None:
        return f"{unit.parent.name} {unit.name}"
    return unit.name


def shell(request: HttpRequest) -> dict[str, Any]:
    """Header data: who and where (access, shell_assignment/section/municipality), inbox count and URL, nav."""
    user = getattr(request, "user", None)
    context: dict[str, Any] = {
        "access": getattr(request, "access", None),
        "shell_assignment": None,
        "shell_section": "",
        "shell_municipality": "",
        "shell_inbox_count": None,
        "shell_inbox_url": "",
        "shell_nav": [],
    }
    if user is None or not user.is_authenticated:
        return context
    assignment = primary_assignment(user)
    if assignment is not None:
        context["shell_assignment"] = assignment
        context["shell_section"] = section_label(assignment)
        context["shell_municipality"] = assignment.unit.municipality.name
    context["shell_inbox_count"] = inbox_count(user)
    context["shell_inbox_url"] = inbox_url()
    with roles_read_once():  # each entry asks for the user's roles; read them once for the whole menu
        context["shell_nav"] = nav_links(user, request.path)
    return context
