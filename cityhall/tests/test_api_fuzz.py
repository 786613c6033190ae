"""A schema-driven fuzz run over every API operation: no input gives a server error (500).

schemathesis reads the project's OpenAPI schema and sends generated requests (valid and invalid
bodies, query strings, path ids, strings with control characters and lone surrogates, huge numbers)
to each operation through the WSGI application, signed in as a drafter and as the 会計管理者. The
number of examples per operation is bounded so the whole run stays near a minute; any answer of
500 or above fails the operation with the request that caused it (as a curl command).
"""

from __future__ import annotations

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

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 6
"""Generated requests per operation and role: enough for each operation's parameters to see bad
values (the explicit phase adds the schema's own examples), small enough for ``make test``."""

CONFIG = SchemathesisConfig.from_dict(
    {
        # Every documented method of every operation; no stateful sequences (each request stands alone).
        "phases": {"coverage": {"unexpected-methods": []}, "stateful": {"enabled": False}},
        "generation": {"max-examples": EXAMPLES_PER_OPERATION},
    }
)
SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"), config=CONFIG)
SCHEMA.app = get_wsgi_application()


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


@pytest.mark.parametrize("role", ["drafter", "treasurer"])
@SCHEMA.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error(case: Any, role: str, sessions: dict[str, dict[str, str]]) -> None:
    """Whatever a signed-in user sends to an operation, the answer is below 500."""
    response = case.call(headers={"X-CSRFToken": CSRF_TOKEN}, cookies=sessions[role])
    assert response.status_code < 500, f"{response.status_code} for {case.as_curl_command()}\n{response.text[:2000]}"
