from django.contrib import admin
from django.urls import include, path

from cityhall.api import api
from cityhall.web import admin_gate

urlpatterns = [
    # Staff sign in through our own login (lock-out, second factor, audit), never the admin's;
    # a signed-in official without staff rights is told so (403), not shown a login form.
    path("admin/login/", admin_gate.admin_login),
    path("admin/", admin.site.urls),
    path("accounts/", include("cityhall.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("signing/", include("cityhall.signing.urls")),
    path("notifications/", include("cityhall.notifications.urls")),
    path("documents/", include("cityhall.documents.urls")),
    path("finance/", include("cityhall.finance.urls")),
    path("audit/", include("cityhall.auditroom.urls")),
    path("automation/", include("cityhall.automation.views")),
    path("inquiries/", include("cityhall.inquiries.urls")),
    path("telework/", include("cityhall.telework.urls")),
    path("dashboard/", include("cityhall.dashboard.urls")),
    path("org/", include("cityhall.org.urls")),
    path("", include("cityhall.web.urls")),
]

handler404 = "cityhall.web.errors.not_found"
