from django.contrib import admin
from django.urls import include, path

from cityhall.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("cityhall.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("signing/", include("cityhall.signing.urls")),
    path("", include("cityhall.web.urls")),
]
