"""Second-factor policy (二要素認証の要否): who must confirm a code after the password.

``CITYHALL_MFA_REQUIRED`` is ``"always"``, ``"remote"`` (only for requests the
core classification marks as outside the office networks) or ``"never"``
(development only). Staff and superusers confirm a code under every policy but
``"never"``, also from the office network: their rights reach every record. A
signed-in user who must but has not yet confirmed a code is sent to the
verification page, or to enrolment when they have no device yet.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django_otp import user_has_device

# Views an unverified user may still reach.
EXEMPT_VIEWS = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:otp_verify",
        "accounts:otp_enrol",
        "set_language",
    }
)


def second_factor_required(request: HttpRequest) -> bool:
    """Whether this request needs a confirmed second factor under the configured policy."""
    policy = settings.CITYHALL_MFA_REQUIRED
    if policy == "always":
        return True
    user = getattr(request, "user", None)
    if policy != "never" and (getattr(user, "is_staff", False) or getattr(user, "is_superuser", False)):
        return True
    if policy == "remote":
        access = getattr(request, "access", None)
        return access is None or not access.is_office
    return False


def is_second_factor_verified(request: HttpRequest) -> bool:
    """Whether the signed-in user confirmed a code in this session (django-otp)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def _is_exempt(request: HttpRequest) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in EXEMPT_VIEWS


class SecondFactorRequiredMiddleware:
    """Send signed-in but unverified users to the second-factor page when the policy requires it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and second_factor_required(request)
            and not is_second_factor_verified(request)
            and not _is_exempt(request)
        ):
            if request.path_info.startswith("/api/"):
                # An API client cannot follow a form: say what is missing, in JSON.
                return JsonResponse({"detail": "二要素認証による確認が必要です。"}, status=401)
            target = "accounts:otp_verify" if user_has_device(user, confirmed=True) else "accounts:otp_enrol"
            response = redirect_to_login(request.get_full_path(), login_url=reverse(target))
            if request.headers.get("HX-Request"):
                # htmx would swap the whole page into a fragment: have it navigate instead.
                hx_response = HttpResponse(status=204)
                hx_response["HX-Redirect"] = response["Location"]
                return hx_response
            return response
        return self.get_response(request)
