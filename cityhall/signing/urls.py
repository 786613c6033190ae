from django.urls import path

from cityhall.signing import views

app_name = "signing"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("tsa/", views.tsa, name="tsa"),
    path("demo-ca.crl", views.demo_ca_crl, name="demo_ca_crl"),
]
