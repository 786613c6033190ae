from django.apps import AppConfig


class FinanceConfig(AppConfig):
    """Financial accounting (財務会計): budget, encumbrance, payment order, review, bank transfer files."""

    name = "cityhall.finance"
    label = "finance"
    verbose_name = "財務会計"

    def ready(self) -> None:
        """Register the encumbrance (支出負担行為) and the transfer (流用) as typed documents."""
        from cityhall.finance.services import encumbrance, transfer

        encumbrance.register()
        transfer.register()
