"""Who am I (/api/accounts/me): today's section and post, behind the screens' sign-in and second-factor rules."""

from __future__ import annotations

import pytest
from django.test import override_settings

from cityhall.accounts.models import User

pytestmark = pytest.mark.django_db

ME = "/api/accounts/me"


def tanaka() -> User:
    return User.objects.create_user(
        username="tanaka", password="a-long-password-1", last_name="田中", first_name="一郎"
    )


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_me_returns_the_signed_in_official_and_office(client):
    client.force_login(tanaka())
    response = client.get(ME)
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "tanaka"
    assert body["full_name"] == "田中 一郎"
    assert body["section"] is None and body["post"] is None
    assert body["is_office"] is True
    assert body["location"] == "庁内"


@override_settings(CITYHALL_MFA_REQUIRED="never")
def test_me_names_todays_section_and_post(client, tax_city):
    client.force_login(tax_city.kakaricho)
    body = client.get(ME).json()
    assert body["section"] == str(tax_city.shiminzei)
    assert body["post"] == "係長"


def test_me_refuses_anonymous_callers(client):
    assert client.get(ME).status_code == 401


@override_settings(CITYHALL_MFA_REQUIRED="always")
def test_me_refuses_an_unverified_session_in_json(client):
    client.force_login(tanaka())
    response = client.get(ME)
    assert response.status_code == 401
    assert "二要素認証" in response.json()["detail"]


def test_openapi_schema_keeps_the_accounts_path_tag_and_operation_id(client, make_user):
    client.force_login(make_user("schema-reader"))  # the schema is for signed-in users only
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"][ME]["get"]
    assert operation["operationId"] == "cityhall_accounts_api_me"
    assert operation["tags"] == ["accounts"]
