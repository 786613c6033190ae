from django.urls import path

from cityhall.signing import views

app_name = "signing"
urlpatterns = [path("verify/", views.verify, name="verify")]
