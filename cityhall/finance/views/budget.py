"""Budget screens (予算): lines, allotments, transfers, reserve-fund use and carry-overs."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
