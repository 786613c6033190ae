from django.urls import path

from cityhall.auditroom import views

app_name = "auditroom"
urlpatterns = [
    path("", views.room, name="room"),
    path("export.csv", views.export, {"file_format": "csv"}, name="export_csv"),
    path("export.xlsx", views.export, {"file_format": "xlsx"}, name="export_xlsx"),
    path("verify/", views.verify, name="verify"),
]
