"""The accounts API: who am I, behind the same sign-in and second-factor rules as the screens."""

from __future__ import annotations

import pytest
from django.test import override_settings

from cityhall.accounts.tests.helpers import make_user


@pytest.mark.django_db
@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_me_returns_the_signed_in_official_and_office(client):
    user = make_user()
    client.force_login(user)
    response = client.get("/api/accounts/me")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "tanaka"
    assert body["full_name"] == "田中 一郎"
    assert body["is_office"] is True
    assert body["location"] == "庁内"


@pytest.mark.django_db
def test_me_refuses_anonymous_callers(client):
    assert client.get("/api/accounts/me").status_code == 401


@pytest.mark.django_db
@override_settings(CITYHALL_MFA_REQUIRED="always")
def test_me_refuses_an_unverified_session_in_json(client):
    client.force_login(make_user())
    response = client.get("/api/accounts/me")
    assert response.status_code == 401
    assert "二要素認証" in response.json()["detail"]


@pytest.mark.django_db
def test_openapi_schema_lists_every_endpoint(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/accounts/me" in schema["paths"]


@pytest.mark.django_db
def test_admin_login_goes_through_our_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "next=/admin/" in response["Location"]
