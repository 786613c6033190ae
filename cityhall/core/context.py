"""The access context of the current request, for code far from the view.

The middleware sets it; the audit trail reads it so that every entry records
the source address and office/remote without each service passing it along.
Outside a request (commands, tasks) it is ``SYSTEM_CONTEXT``.
"""

from __future__ import annotations

from contextvars import ContextVar

from cityhall.core.network import AccessContext

SYSTEM_CONTEXT = AccessContext(ip="", is_office=True)
_current: ContextVar[AccessContext] = ContextVar("cityhall_access", default=SYSTEM_CONTEXT)


def current_access() -> AccessContext:
    """The access context of the request being handled, or the system context."""
    return _current.get()


def set_access(context: AccessContext) -> object:
    """Set the context; returns a token for ``reset_access``."""
    return _current.set(context)


def reset_access(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
