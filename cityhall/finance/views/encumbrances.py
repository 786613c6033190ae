"""Encumbrance screens (支出負担行為): list, draft, detail, amend and cancel."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
