from django.urls import path

from cityhall.telework import views

app_name = "telework"
urlpatterns = [
    path("policy/", views.policy, name="policy"),
]
