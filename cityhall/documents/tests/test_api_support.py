"""Helpers for the documents API tests (no tests here): signed-in clients and JSON calls."""

from __future__ import annotations

from typing import Any

from django.test import Client

from cityhall.accounts.models import User

API = "/api/documents"


def client_for(user: User, *, csrf: bool = False) -> Client:
    """A client signed in as ``user`` (force_login: the lockout backend refuses client.login)."""
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def call(user: User, method: str, path: str, data: dict[str, Any] | None = None) -> Any:
    """Call ``API + path`` as ``user`` with a JSON body; returns the response."""
    client = client_for(user)
    if method == "get":
        return client.get(API + path, data or {})
    return getattr(client, method)(API + path, data or {}, content_type="application/json")
