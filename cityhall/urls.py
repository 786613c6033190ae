from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from cityhall.api import api

urlpatterns = [
    # Staff sign in through our own login (lock-out, second factor, audit), never the admin's.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
    path("accounts/", include("cityhall.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("signing/", include("cityhall.signing.urls")),
    path("notifications/", include("cityhall.notifications.urls")),
    path("documents/", include("cityhall.documents.urls")),
    path("finance/", include("cityhall.finance.urls")),
    path("", include("cityhall.web.urls")),
]
