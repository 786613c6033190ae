"""Budget screens for finance staff (予算管理): versions, allotments, 流用・予備費充用・繰越 drafts."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
