"""The finance panel of the home page (ホームのパネル): the accounting manager's day, as data for the shell.

会計管理者審査 (order 12, 会計管理者 only): how many orders wait for review, the first of them with
amount and payment date, and the next payment date with the count and total of what it pays
(審査済 in its open batch, and 審査待ち); and the due date and amount of the earliest month whose
withheld tax (源泉所得税) is not yet paid to the tax office.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cityhall.core.menus import HomePanel, PanelFigure, PanelRow
from cityhall.finance.selectors.batches import next_payment
from cityhall.finance.selectors.budget import is_treasurer
from cityhall.finance.selectors.review import review_queue
from cityhall.finance.selectors.withholding import month_to_pay
from cityhall.finance.withholding_tax import due_date as withholding_due

SHOWN = 5


def treasurer_panel(user: Any) -> list[HomePanel]:
    """審査待ち (count and the first orders) and 次の支払日 with its total, for the accounting manager."""
    if not getattr(user, "is_authenticated", False) or not is_treasurer(user):
        return []
    queue = review_queue(user)
    total = queue.count()
    queue_url = reverse("finance:review_queue")
    figures = [PanelFigure(_("審査待ち"), count=total, url=queue_url)]
    following = next_payment(user)
    if following is not None:
        url = reverse("finance:batch", args=[following.batch_id]) if following.batch_id else ""
        if not url and following.approved_orders:  # several batches on the date (one per 会計 and 年度)
            url = reverse("finance:batches")
        figures += [
            PanelFigure(_("次の支払日"), date=following.date, url=url),
            PanelFigure(
                _("その日の支払額（審査済）"), count=following.approved_orders, amount=following.approved_total
            ),
            PanelFigure(
                _("その日の支払額（審査待ち）"), count=following.waiting_orders, amount=following.waiting_total
            ),
        ]
    unpaid = month_to_pay(user)
    if unpaid is not None:  # 源泉所得税: due on the 10th of the next month (所得税法第204条第1項)
        figures.append(
            PanelFigure(
                _("源泉所得税の納期限"),
                date=withholding_due(unpaid.month),
                amount=unpaid.balance,
                url=reverse("finance:withholding"),
            )
        )
    rows = [
        PanelRow(
            f"{order.document.number_label} {order.document.title}",
            reverse("finance:payment_order", args=[order.pk]),
            amount=order.total_amount,
            date=order.payment_date,
            date_label=_("支払予定日"),
            status=_("審査待ち"),
        )
        for order in queue[:SHOWN]
    ]
    return [
        HomePanel(
            key="finance-review",
            title=_("会計管理者審査"),
            rows=rows,
            figures=figures,
            total=total,
            more_url=queue_url,
            more_label=_("審査の画面を開く"),
            empty=_("審査待ちの支出命令はありません。"),
            order=12,
        )
    ]
