from typing import Any

from django.apps import AppConfig


class FinanceConfig(AppConfig):
    """Financial accounting (財務会計): budget, encumbrance, payment order, review, bank transfer files."""

    name = "cityhall.finance"
    label = "finance"
    verbose_name = "財務会計"

    def ready(self) -> None:
        """Register the typed documents (支出負担行為・流用・予備費充用・繰越・支出命令) by the services that hold
        their hooks, imported on first use (``document_types``); the menu is in ``menu.py``."""
        from cityhall.documents.registry import register_lazily
        from cityhall.finance.document_types import REGISTERED_BY

        for module, keys in REGISTERED_BY.items():
            register_lazily(module, *keys)

    def seed_demo(self, options: dict[str, Any]) -> str:
        """Fill the demo city's finances (デモの財務データ); called by ``seed_demo``."""
        from cityhall.finance.demo import seed_finance

        return seed_finance(options)
