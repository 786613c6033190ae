from django.apps import AppConfig


class SavingsConfig(AppConfig):
    """The ledger of hours saved by automation (手入力の削減時間の台帳)."""

    name = "cityhall.savings"
    label = "savings"
    verbose_name = "削減時間の台帳"
