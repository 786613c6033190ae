"""Budget execution reports (予算執行状況): tables, drill-down, Excel and charts."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
