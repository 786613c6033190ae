from django.urls import path

from cityhall.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.page, name="page"),
    path("documents/", views.documents, name="documents"),
    path("savings/", views.savings, name="savings"),
    path("export.xlsx", views.export, name="export"),
]
