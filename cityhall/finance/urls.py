"""URLs of the finance screens (namespace ``finance``): each views module lists its own patterns."""

from cityhall.finance.views import (
    batches,
    budget,
    creditors,
    encumbrances,
    inspection,
    movements,
    payment_orders,
    reports,
    review,
)

app_name = "finance"
urlpatterns = [
    *budget.urlpatterns,
    *movements.urlpatterns,
    *creditors.urlpatterns,
    *encumbrances.urlpatterns,
    *payment_orders.urlpatterns,
    *inspection.urlpatterns,
    *review.urlpatterns,
    *batches.urlpatterns,
    *reports.urlpatterns,
]
