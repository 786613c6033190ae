from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """DX dashboard: the city's digital figures for the mayor and the CIO (DXダッシュボード)."""

    name = "cityhall.dashboard"
    label = "dashboard"
    verbose_name = "DXダッシュボード"
