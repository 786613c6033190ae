"""Creditor screens (債権者): list, search, register with a bank account, add an account."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
