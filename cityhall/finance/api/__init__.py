"""REST API of financial accounting (財務会計 API), mounted at /api/finance.

Every endpoint is one operation for the signed-in session (CSRF on writes),
reads through user-scoped queries and writes through the same services as the
screens, so the budget hard stop, the bank and holder-name checks and the
Japanese messages are the same. Amounts are whole yen (JSON integers). Typed
documents (支出負担行為, 支出命令, 流用 …) are submitted and decided through the
documents API; each answer links there. Errors are mapped in one place
(``cityhall.api``); what the caller may not see answers 404 like a missing one.
"""

from ninja import Router
from ninja.security import django_auth

from cityhall.finance.api import (
    batches,
    budget,
    carry,
    creditors,
    encumbrances,
    inspection,
    movements,
    paying_accounts,
    payment_orders,
    reports,
    review,
    withholding,
)

router = Router(auth=django_auth)
router.add_router("", budget.router)
router.add_router("", movements.router)
router.add_router("", carry.router)
router.add_router("", reports.router)
router.add_router("", creditors.router)
router.add_router("", encumbrances.router)
router.add_router("", payment_orders.router)
router.add_router("", review.router)
router.add_router("", batches.router)
router.add_router("", paying_accounts.router)
router.add_router("", withholding.router)
router.add_router("", inspection.router)

__all__ = ["router"]
