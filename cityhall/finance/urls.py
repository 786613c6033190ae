"""URLs of the finance screens (namespace ``finance``): each views module lists its own patterns."""

from cityhall.finance.views import budget, creditors, encumbrances, movements, payments, reports, review

app_name = "finance"
urlpatterns = [
    *budget.urlpatterns,
    *movements.urlpatterns,
    *creditors.urlpatterns,
    *encumbrances.urlpatterns,
    *payments.urlpatterns,
    *review.urlpatterns,
    *reports.urlpatterns,
]
