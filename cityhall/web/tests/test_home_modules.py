"""The home page's module cards: every installed module is a link; only modules not installed are 準備中."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.testing.web import client_for

pytestmark = pytest.mark.django_db


def test_every_installed_module_is_a_link_and_none_is_labelled_coming_soon(city):
    html = client_for(city.drafter).get(reverse("web:home")).content.decode()
    assert f'href="{reverse("finance:encumbrances")}">財務会計を開く' in html
    assert html.count("準備中") == 1  # テレワーク: its app is not installed yet
    assert "財産照会" not in html  # installed, and only for the 徴税 role
