from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Accounts: staff user accounts, sign-in, second factor (職員アカウント)."""

    name = "cityhall.accounts"
    label = "accounts"
    verbose_name = "アカウント"
