"""Payment order screens (支出命令): list, draft with lines, detail."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
