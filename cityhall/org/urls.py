from django.urls import path

from cityhall.org import views

app_name = "org"
urlpatterns = [
    path("account-support/", views.account_support, name="account_support"),
]
