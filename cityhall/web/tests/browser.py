"""Helpers shared by browser journeys.

Playwright's ``is_visible()`` and ``count()`` answer at once, without waiting for a
navigation the last click started; assertions after a click use ``expect`` instead,
and sign-in waits until the browser has really left the login page (the glob
``"**/"`` matches the login page itself, so it returned before the POST finished).
"""

from __future__ import annotations

from typing import Any

LOGIN_PATH = "/accounts/login/"


def wait_until_signed_in(page: Any) -> None:
    """Block until the login form's POST has answered and the browser is elsewhere."""
    page.wait_for_url(lambda url: LOGIN_PATH not in url)
