"""Template context for the application shell (画面共通部分).

Every page's header shows who is signed in, their section and post (所属・職),
and whether the session is from the office network or remote (庁内/庁外).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cityhall.web.inbox import inbox_count

try:  # pragma: no cover - removed once cityhall.org.selectors exists
    from cityhall.org.selectors import primary_assignment
except ImportError:  # pragma: no cover
    primary_assignment = None  # type: ignore[assignment]


def _municipality_name(assignment: Any) -> str:
    """The name of the municipality the assignment's unit belongs to, if known."""
    unit = getattr(assignment, "unit", None)
    municipality = getattr(unit, "municipality", None)
    return str(getattr(municipality, "name", "") or "")


def shell(request: HttpRequest) -> dict[str, Any]:
    """Header data: ``access``, ``shell_assignment``, ``shell_municipality``, ``shell_inbox_count``."""
    user = getattr(request, "user", None)
    context: dict[str, Any] = {
        "access": getattr(request, "access", None),
        "shell_assignment": None,
        "shell_municipality": "",
        "shell_inbox_count": None,
    }
    if user is None or not user.is_authenticated:
        return context
    assignment = primary_assignment(user) if primary_assignment is not None else None
    context["shell_assignment"] = assignment
    context["shell_municipality"] = _municipality_name(assignment)
    context["shell_inbox_count"] = inbox_count(user)
    return context
