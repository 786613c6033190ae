"""Payment order services (支出命令): linked, combined (兼) and collective (集合) orders."""


def register() -> None:
    """Register the payment order as a typed document (文書の型); called from ``FinanceConfig.ready``."""
