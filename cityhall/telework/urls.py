"""The telework screens under /telework/ (テレワーク): the remote-access policy."""

from django.urls import path

from cityhall.telework.views import policy

app_name = "telework"
urlpatterns = [
    path("policy/", policy.policy_view, name="policy"),
]
