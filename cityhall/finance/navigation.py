"""The finance entries of the main menu (財務会計のメニュー)."""


def register_menu() -> None:
    """Register every finance menu entry; called from ``FinanceConfig.ready``."""
    register_payment_menu()
    register_report_menu()
    register_budget_menu()


def register_payment_menu() -> None:
    """支出負担行為・支出命令・会計管理者審査・支払データ.

    The review is for the accounting manager (会計管理者) only and carries the
    number of orders waiting (審査待ち) as a badge; the batches are also open,
    read only, to the accounting office (会計).
    """
    from typing import Any

    from django.utils.translation import gettext_lazy as _

    from cityhall.finance.selectors.batches import may_see_batches
    from cityhall.finance.selectors.budget import is_treasurer
    from cityhall.finance.selectors.review import review_queue
    from cityhall.web.navigation import register_nav_item

    def treasurer(user: Any) -> bool:
        return bool(getattr(user, "is_authenticated", False)) and is_treasurer(user)

    def waiting(user: Any) -> int:
        return review_queue(user).count() if treasurer(user) else 0

    register_nav_item(_("支出負担行為"), "finance:encumbrances")
    register_nav_item(_("支出命令"), "finance:payments")
    register_nav_item(_("会計管理者審査"), "finance:review_queue", visible=treasurer, count=waiting)
    register_nav_item(_("支払データ"), "finance:batches", visible=may_see_batches)


def register_report_menu() -> None:
    """予算・予算執行状況: the report is open to everyone signed in; its selector limits the rows."""
    from django.utils.translation import gettext_lazy as _

    from cityhall.web.navigation import register_nav_item

    register_nav_item(_("予算執行状況"), "finance:reports")


def register_budget_menu() -> None:
    """予算管理・債権者 (for finance staff, 会計): the pages do not exist for anyone else."""
    from typing import Any

    from django.utils import timezone
    from django.utils.translation import gettext_lazy as _

    from cityhall.org.models import Role
    from cityhall.org.selectors import has_role
    from cityhall.web.navigation import register_nav_item

    def finance_staff(user: Any) -> bool:
        signed_in = bool(getattr(user, "is_authenticated", False))
        return signed_in and has_role(user, Role.ACCOUNTING, on=timezone.localdate())

    register_nav_item(_("予算管理"), "finance:budget_admin", visible=finance_staff)
    register_nav_item(_("債権者"), "finance:creditors", visible=finance_staff)
