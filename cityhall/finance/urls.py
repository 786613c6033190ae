"""URLs of the finance screens (namespace ``finance``): each views module lists its own patterns."""

from cityhall.finance.views import (
    batches,
    budget,
    carry,
    creditors,
    encumbrances,
    inspection,
    movements,
    paying_accounts,
    payment_methods,
    payment_orders,
    reports,
    review,
    withholding,
)

app_name = "finance"
urlpatterns = [
    *budget.urlpatterns,
    *movements.urlpatterns,
    *carry.urlpatterns,
    *creditors.urlpatterns,
    *encumbrances.urlpatterns,
    *payment_orders.urlpatterns,
    *payment_methods.urlpatterns,
    *inspection.urlpatterns,
    *review.urlpatterns,
    *batches.urlpatterns,
    *paying_accounts.urlpatterns,
    *reports.urlpatterns,
    *withholding.urlpatterns,
]
