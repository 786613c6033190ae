"""Signed-in clients, JSON calls to the API, and the browser's sign-in and accessibility check.

Browser journeys drive Debian's Chromium through Playwright (the ``page`` fixture). Playwright's
``is_visible()`` and ``count()`` answer at once, without waiting for a navigation the last click
started; assertions after a click use ``expect`` instead, and sign-in waits until the browser
has really left the login page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cityhall.accounts.models import User

PASSWORD = "correct horse battery 42"
"""The password of every user a browser test signs in as (``make_user(..., password=PASSWORD)``)."""
LOGIN_PATH = "/accounts/login/"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
"""``TASKS`` that run each task as soon as it is enqueued (the signed PDF, e-mail) in a browser journey."""

AXE_JS = Path(__file__).resolve().parents[1] / "web" / "static" / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def client_for(user: User, *, csrf: bool = False) -> Client:
    """A client signed in as ``user`` (force_login: the lock-out backend refuses ``client.login``)."""
    client = Client(enforce_csrf_checks=csrf)
    if user.is_staff or user.is_superuser:
        # Staff always confirm a second factor (also in the office): sign in as if they had.
        return sign_in_verified(client, user)
    client.force_login(user)
    return client


def sign_in_verified(client: Client, user: User) -> Client:
    """Sign ``client`` in as ``user`` with a confirmed second factor (staff always need one)."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def api_call(user: User, method: str, path: str, data: Any = None) -> Any:
    """Call the API at ``path`` (``/api/...``) as ``user`` with a JSON body; returns the response."""
    client = client_for(user)
    if method == "get":
        return client.get(path, data or {})
    return getattr(client, method)(path, data or {}, content_type="application/json")


def field_error(html: str, field_id: str) -> str:
    """The error shown next to a field, checking that the input points at it (aria-describedby)."""
    match = re.search(rf'<p class="doc-field__error" id="{field_id}_error">([^<]*)</p>', html)
    assert match, f"no error next to {field_id}"
    tag = re.search(rf'<(?:input|select|textarea)[^>]*id="{field_id}"[^>]*>', html)
    assert tag and f"{field_id}_error" in tag.group(0) and 'aria-invalid="true"' in tag.group(0)
    return match.group(1)


def sign_in(page: Any, user: User, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a fresh visitor, and wait until the browser has left it."""
    page.context.clear_cookies()
    page.goto(LOGIN_PATH)
    page.get_by_label("ユーザー名").fill(user.username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    wait_until_signed_in(page)


def wait_until_signed_in(page: Any) -> None:
    """Block until the login form's POST has answered and the browser is elsewhere."""
    page.wait_for_url(lambda url: LOGIN_PATH not in url)


def run_axe(page: Any, *, tags: list[str] | None = None) -> dict[str, Any]:
    """Inject axe-core (once per document) and return its full result for the current page."""
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} is missing: run 'make assets'")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the browser's debugging protocol, which the page's Content-Security-Policy
        # does not govern (a <script> tag with the source inline would be refused by it).
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    result: dict[str, Any] = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        tags or WCAG_TAGS,
    )
    return result


def serious_violations(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The violations whose impact is serious or critical."""
    return [v for v in result["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


def assert_no_serious_violations(page: Any, *, tags: list[str] | None = None) -> dict[str, Any]:
    """Fail with a readable list if axe finds serious or critical WCAG A/AA violations (JIS X 8341-3)."""
    result = run_axe(page, tags=tags)
    blocking = serious_violations(result)
    assert not blocking, f"accessibility violations on {page.url}:\n{_describe(blocking)}"
    return result


DOCUMENTS_API = "/api/documents"
FINANCE_API = "/api/finance"


def documents_api(user: User, method: str, path: str, data: Any = None) -> Any:
    """Call ``/api/documents`` + ``path`` as ``user`` (``documents_api(user, "post", "/1/submit", {...})``)."""
    return api_call(user, method, DOCUMENTS_API + path, data)


def finance_api(user: User, method: str, path: str, data: Any = None) -> Any:
    """Call ``/api/finance`` + ``path`` as ``user``."""
    return api_call(user, method, FINANCE_API + path, data)


def visible_text(html: str) -> str:
    """The text of an HTML fragment with tags dropped and white space collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def home_panel(html: str, key: str) -> str:
    """The visible text of the home page's panel ``key`` (``HomePanel.key``); fails when it is not shown."""
    match = re.search(rf'data-panel="{key}">(.*?)</section>', html, flags=re.S)
    assert match is not None, f"no home panel {key}"
    return visible_text(match.group(1))


def sign_in_session(page: Any, live_server: Any, user: User) -> None:
    """Give the browser a signed-in session of ``user`` (no login form: for users without a password)."""
    from django.conf import settings

    client = client_for(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
