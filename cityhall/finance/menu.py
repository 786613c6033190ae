"""The finance entries of the main menu (財務会計のメニュー).

支出負担行為・支出命令 and 予算執行状況 are open to everyone signed in (the
report's selector limits the rows). 会計管理者審査 is for the accounting
manager (会計管理者) only and carries the number of orders waiting (審査待ち) as
a badge; 支払データ is also open, read only, to the accounting office (会計).
予算管理 and 債権者 are for finance staff (会計): the pages do not exist for
anyone else.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.core.menus import Menu, MenuEntry, ModuleCard
from cityhall.finance.home import treasurer_panel
from cityhall.finance.selectors.batches import may_see_batches
from cityhall.finance.selectors.budget import is_treasurer
from cityhall.finance.selectors.review import review_queue
from cityhall.org.models import Role
from cityhall.org.selectors import has_role


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _treasurer(user: Any) -> bool:
    return _signed_in(user) and is_treasurer(user)


def _waiting_reviews(user: Any) -> int:
    return review_queue(user).count() if _treasurer(user) else 0


def _finance_staff(user: Any) -> bool:
    return _signed_in(user) and has_role(user, Role.ACCOUNTING, on=timezone.localdate())


MENU = Menu(
    entries=[
        MenuEntry(_("支出負担行為"), "finance:encumbrances"),
        MenuEntry(_("支出命令"), "finance:payment_orders"),
        MenuEntry(_("会計管理者審査"), "finance:review_queue", visible=_treasurer, count=_waiting_reviews),
        MenuEntry(_("支払データ"), "finance:batches", visible=may_see_batches),
        MenuEntry(_("予算執行状況"), "finance:reports"),
        MenuEntry(_("予算管理"), "finance:budget", visible=_finance_staff),
        MenuEntry(_("債権者"), "finance:creditors", visible=_finance_staff),
    ],
    modules=[
        ModuleCard(_("財務会計"), _("予算の配当、支出負担行為、支出命令、審査、総合振込。"), "finance:encumbrances")
    ],
    home_panels=[treasurer_panel],
)
