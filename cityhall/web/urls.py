from django.urls import path

from cityhall.web import status, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("status/", status.status_page, name="status"),
]
