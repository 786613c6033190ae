"""The signed-in official of a request (ログイン中の職員), for every app's views and API endpoints.

Here rather than in ``core`` because it names the ``User`` model, which ``core``
may not import; every app may import ``accounts``.
"""

from __future__ import annotations

from django.http import HttpRequest

from cityhall.accounts.models import User


def user_of(request: HttpRequest) -> User:
    """The signed-in official; views are behind ``login_required`` and endpoints behind session auth."""
    user = request.user
    assert isinstance(user, User), "user_of() needs a signed-in request"
    return user
