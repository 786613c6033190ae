from typing import Any

from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    """Deposit inquiries (財産照会・預貯金等照会) about delinquent taxpayers, for the tax collection section."""

    name = "cityhall.inquiries"
    label = "inquiries"
    verbose_name = "財産照会"

    def ready(self) -> None:
        """Register the batch as a typed document (預貯金等照会), its services imported on first use of the type,
        and the hours-saved kinds; the menu: ``menu.py``."""
        from cityhall.documents.registry import register_lazily
        from cityhall.inquiries import saved_time_kinds
        from cityhall.inquiries.document_types import REGISTERED_BY
        from cityhall.savings.kinds import register_kinds

        for module, keys in REGISTERED_BY.items():
            register_lazily(module, *keys)
        register_kinds(saved_time_kinds.LABELS)

    def seed_demo(self, options: dict[str, Any]) -> str:
        """The demo city's institutions and delinquent persons (デモの財産照会データ); called by ``seed_demo``."""
        from cityhall.inquiries.demo import seed_inquiries

        return seed_inquiries(options)
