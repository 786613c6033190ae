"""Figures apps provide to the DX dashboard (他のアプリが提供する数値), such as telework's.

The registry lives in core so that neither the dashboard nor the providing app imports the other:
telework (tasks telework-ready, テレワーク可能な業務;
telework days taken, テレワーク実施日数) registers a provider once, from its ``AppConfig.ready()``::

    register("telework_ready_tasks", provider)

``provider(filters)`` returns a :class:`Figure` for the city-wide figures the dashboard's filters
select (``Filters``: fiscal year, month, section). It only reads, in one or two queries, never per
row. A name nobody registered shows as 「—」 with a note on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["TELEWORK_DAYS", "TELEWORK_READY", "Figure", "FigureProvider", "provided", "register"]

TELEWORK_READY = "telework_ready_tasks"
TELEWORK_DAYS = "telework_days"


@dataclass(frozen=True)
class Figure:
    """A provided figure: its value, the unit as shown, a link to the records behind it, and by month."""

    value: float
    unit: str = ""
    url: str = ""
    by_month: dict[str, float] = field(default_factory=dict)  # "YYYY-MM" → value
    by_section: dict[int, float] = field(default_factory=dict)  # 課 (OrgUnit pk) → value
    section_urls: dict[int, str] = field(default_factory=dict)  # 課 → the records behind its value


FigureProvider = Callable[[Any], Figure]  # (selectors.Filters) → Figure
_PROVIDERS: dict[str, FigureProvider] = {}


def register(name: str, provider: FigureProvider) -> FigureProvider | None:
    """Provide the figure ``name``; registering again replaces the provider and returns the one replaced
    (a test may swap it and put it back)."""
    previous = _PROVIDERS.get(name)
    _PROVIDERS[name] = provider
    return previous


def unregister(name: str) -> FigureProvider | None:
    """Forget the provider of ``name`` and return it (for tests)."""
    return _PROVIDERS.pop(name, None)


def provided(name: str, filters: Any) -> Figure | None:
    """The figure ``name`` for ``filters``, or None while no app provides it."""
    provider = _PROVIDERS.get(name)
    return provider(filters) if provider is not None else None
