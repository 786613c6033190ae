from typing import Any

from django.apps import AppConfig


class AutomationConfig(AppConfig):
    """Imports that replace the robots' typing: JP PINT e-invoices, supplier CSV and Excel (請求書の取込)."""

    name = "cityhall.automation"
    label = "automation"
    verbose_name = "自動化（請求書の取込）"

    def ready(self) -> None:
        """Link each payment order to its invoices' originals (the selectors imported on first use); name the
        ledger's kinds."""
        from cityhall.automation.models import InvoiceKind
        from cityhall.automation.services.saved_time import KIND_PREFIX
        from cityhall.core.deferred import deferred
        from cityhall.finance.order_sources import register_source
        from cityhall.savings.kinds import register_kinds

        register_source(deferred("cityhall.automation.selectors.order_source_links"))
        register_kinds({KIND_PREFIX + kind: label for kind, label in InvoiceKind.choices})

    def seed_demo(self, options: dict[str, Any]) -> str:
        """Suppliers' default lines and a folder of sample invoices for the demo city; called by ``seed_demo``."""
        from cityhall.automation.demo import seed_invoices

        return seed_invoices(options)
