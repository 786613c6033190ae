"""The telework screens under /telework/ (テレワーク): the remote-access policy and its limits, the requests
and the calendar."""

from django.urls import path

from cityhall.telework.views import policy, requests

app_name = "telework"
urlpatterns = [
    path("policy/", policy.policy_view, name="policy"),
    path("limits/", policy.limits_view, name="limits"),
    path("requests/", requests.request_list, name="requests"),
    path("requests/<id:pk>/", requests.request_detail, name="request"),
    path("calendar/", requests.calendar_view, name="calendar"),
]
