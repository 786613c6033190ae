"""A schema-driven fuzz run over every API operation: no input gives a server error (500).

schemathesis reads the project's OpenAPI schema and sends generated requests (valid and invalid
bodies, query strings, path ids, strings with control characters and lone surrogates, huge numbers)
to each operation through the WSGI application, signed in as a drafter and as the 会計管理者. The
number of examples per operation is bounded so the whole run stays near a minute (on PostgreSQL only the
boundary cases of the operations that take a body or a query); any answer of
500 or above fails the operation with the request that caused it (as a curl command).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.config import SchemathesisConfig

from cityhall.accounts.models import User
from cityhall.api import api
from cityhall.testing.accounts import make_device
from cityhall.testing.plugin import sqlite_only

pytestmark = pytest.mark.django_db

THOROUGH = os.environ.get("CITYHALL_HYPOTHESIS_PROFILE") == "thorough"
EXAMPLES_PER_OPERATION = 50 if THOROUGH else 3
"""Randomly generated requests per operation and role (valid and invalid), on top of the boundary
cases; small enough for ``make test`` on two cores; ``make property`` sends fifty."""
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
"""CI's second run: there only the boundary cases (the explicit phase), as what differs on PostgreSQL is
how the database takes them (NUL characters, lengths, integer ranges); the random requests run once,
on SQLite, where they cost a third as much."""


def _ids_in_the_path_only(context: Any) -> bool:
    """An operation with no body and no query: it reads by ids, which ``core.http.Id`` bounds before any
    query (1 to 2^63 − 1), so both databases take its inputs alike."""
    raw = context.operation.definition.raw
    return "requestBody" not in raw and not any(p.get("in") == "query" for p in raw.get("parameters", []))


def _schema(*, boundaries: bool) -> Any:
    """The API's schema for schemathesis; ``boundaries``: also its coverage phase, the schema's
    boundary and wrong-type values (huge and negative ids, 0, strings for numbers, missing fields)."""
    config = SchemathesisConfig.from_dict(
        {
            # Only documented methods; no stateful sequences (each request stands alone).
            "phases": {
                "coverage": {"enabled": boundaries, "unexpected-methods": [], "generation": {"mode": "negative"}},
                "stateful": {"enabled": False},
            },
            "generation": {"max-examples": EXAMPLES_PER_OPERATION, "with-security-parameters": False},
        }
    )
    schema: Any = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"), config=config)
    if ON_POSTGRESQL:
        schema = schema.exclude(func=_ids_in_the_path_only)
    schema.app = get_wsgi_application()
    return schema


# The drafter gets the boundary cases and the random ones on every operation, the 会計管理者 the random
# ones on the finance operations (their role opens the review, batches and payments further; elsewhere
# they are one more member of staff), so the run stays near a minute.
DRAFTER_SCHEMA = _schema(boundaries=True)
TREASURER_SCHEMA = _schema(boundaries=False).include(path_regex="^/api/finance/")
SETTINGS = hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit] if ON_POSTGRESQL else [Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


CSRF_TOKEN = "a" * 32
"""A well-formed CSRF secret, sent as the cookie and as the header."""


def _session_cookies(user: User) -> dict[str, str]:
    """The cookies of a session of ``user`` signed in with a password and a confirmed second factor."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = make_device(user).persistent_id
    session.save()
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value, "csrftoken": CSRF_TOKEN}


@pytest.fixture
def sessions(city: SimpleNamespace, budget: SimpleNamespace, treasurer: User) -> Iterator[dict[str, dict[str, str]]]:
    """Signed-in sessions of a drafter of the 文書法制係 and of the 会計管理者, with the test budget.

    The WSGI application closes the database connection after each request; the test's
    transaction needs it open, so that is switched off while the requests run (as Django's
    test client does for each of its requests).
    """
    cookies = {"drafter": _session_cookies(city.drafter), "treasurer": _session_cookies(treasurer)}
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield cookies
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _call(case: Any, cookies: dict[str, str]) -> None:
    response = case.call(headers={"X-CSRFToken": CSRF_TOKEN}, cookies=cookies)
    assert response.status_code < 500, f"{response.status_code} for {case.as_curl_command()}\n{response.text[:2000]}"


@DRAFTER_SCHEMA.parametrize()
@SETTINGS
def test_no_server_error_as_drafter(case: Any, sessions: dict[str, dict[str, str]]) -> None:
    """Whatever a drafter sends to an operation, the answer is below 500."""
    _call(case, sessions["drafter"])


@sqlite_only  # random requests only: see ``ON_POSTGRESQL``
@TREASURER_SCHEMA.parametrize()
@SETTINGS
def test_no_server_error_as_treasurer(case: Any, sessions: dict[str, dict[str, str]]) -> None:
    """Whatever the 会計管理者 sends to an operation, the answer is below 500."""
    _call(case, sessions["treasurer"])
