from typing import Any

from django.apps import AppConfig


class FinanceConfig(AppConfig):
    """Financial accounting (財務会計): budget, encumbrance, payment order, review, bank transfer files."""

    name = "cityhall.finance"
    label = "finance"
    verbose_name = "財務会計"

    def ready(self) -> None:
        """Register the typed documents (支出負担行為・流用・予備費充用・繰越・支出命令); the menu is in ``menu.py``."""
        from cityhall.finance.services import (
            carry_overs,
            encumbrance_changes,
            encumbrances,
            movements,
            payment_orders,
        )

        encumbrances.register()
        encumbrance_changes.register()
        movements.register()
        carry_overs.register()
        payment_orders.register()

    def seed_demo(self, options: dict[str, Any]) -> str:
        """Fill the demo city's finances (デモの財務データ); called by ``seed_demo``."""
        from cityhall.finance.demo import seed_finance

        return seed_finance(options)
