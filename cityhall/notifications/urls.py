"""URLs of the お知らせ page (namespace ``notifications``)."""

from django.urls import path

from cityhall.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.mark_read, name="mark_read"),
]
