"""The accounting manager's screens (会計管理者): review queue and payment batches."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
