from typing import Any

from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    """Deposit inquiries (財産照会・預貯金等照会) about delinquent taxpayers, for the tax collection section."""

    name = "cityhall.inquiries"
    label = "inquiries"
    verbose_name = "財産照会"

    def ready(self) -> None:
        """Register the batch as a typed document (預貯金等照会) and the hours-saved kinds; the menu: ``menu.py``."""
        from django.utils.translation import gettext_lazy as _

        from cityhall.inquiries.services import batches, letters
        from cityhall.inquiries.services.person_imports import SAVINGS_LABELS
        from cityhall.savings.kinds import register_kinds

        batches.register()
        register_kinds(SAVINGS_LABELS)
        register_kinds(
            {letters.KIND_LETTER: _("照会書（財産照会）"), letters.KIND_ROW: _("照会対象者の行（財産照会）")}
        )

    def seed_demo(self, options: dict[str, Any]) -> str:
        """The demo city's institutions and delinquent persons (デモの財産照会データ); called by ``seed_demo``."""
        from cityhall.inquiries.demo import seed_inquiries

        return seed_inquiries(options)
