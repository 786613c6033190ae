"""The finance entries of the main menu (財務会計のメニュー)."""


def register_menu() -> None:
    """Register every finance menu entry; called from ``FinanceConfig.ready``."""
    register_payment_menu()
    register_report_menu()


def register_payment_menu() -> None:
    """支出負担行為・支出命令・会計管理者審査・支払データ."""


def register_report_menu() -> None:
    """予算・予算執行状況."""
