"""The telework screens under /telework/ (テレワーク): the policy and its limits, the requests and the calendar,
the task inventory, the survey."""

from django.urls import path

from cityhall.telework.views import inventory, policy, requests, survey

app_name = "telework"
urlpatterns = [
    path("policy/", policy.policy_view, name="policy"),
    path("limits/", policy.limits_view, name="limits"),
    path("requests/", requests.request_list, name="requests"),
    path("requests/<id:pk>/", requests.request_detail, name="request"),
    path("calendar/", requests.calendar_view, name="calendar"),
    path("inventory/", inventory.sections_view, name="inventory"),
    path("inventory/<id:pk>/", inventory.section_view, name="inventory_section"),
    path("inventory/<id:pk>/import/", inventory.import_view, name="inventory_import"),
    path("inventory/<id:pk>/export.xlsx", inventory.export_view, name="inventory_export"),
    path("inventory/tasks/<id:pk>/", inventory.task_view, name="inventory_task"),
    path("survey/", survey.survey_view, name="survey"),
    path("survey/sections/<id:pk>/", survey.section_view, name="survey_section"),
    path("survey/rules/", survey.rules_view, name="survey_rules"),
]
