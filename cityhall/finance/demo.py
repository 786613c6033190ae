"""The demo city's finances (デモの財務データ): budget, creditors, a year of encumbrances and orders."""

from __future__ import annotations

from typing import Any


def seed_finance(options: dict[str, Any]) -> str:
    """Fill the demo city's finances; returns a one-line summary for ``seed_demo``."""
    return "財務: 未投入"
