"""Sign-in screens (ログイン・ログアウト・二要素認証). Thin: services do the writes."""

from __future__ import annotations

import contextlib
import math
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from cityhall.accounts import services
from cityhall.accounts.forms import EnrolmentCodeForm, LoginForm, TokenForm
from cityhall.accounts.lockout import address_locked_out
from cityhall.accounts.middleware import is_second_factor_verified
from cityhall.accounts.models import User
from cityhall.accounts.qr import qr_svg
from cityhall.core.errors import ValidationFailed

# A browser-session cookie naming who signed in: if it comes back while the
# session is gone, the session expired (rather than never having existed).
SIGNED_IN_COOKIE = "cityhall_signed_in"
_SIGNED_IN_SALT = "cityhall.accounts.signed-in"
# Session key: the user (pk) who redeemed an enrolment code from IT in this session.
ENROLMENT_ALLOWED_KEY = "cityhall_enrolment_code_user"


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    query = QueryDict(mutable=True)
    query["next"] = next_url
    return f"{resolve_url(url_name)}?{query.urlencode(safe='/')}"


def _expired_username(request: HttpRequest) -> str | None:
    """The username of a signed-in session that has since expired, if the marker says so."""
    if request.user.is_authenticated or not request.COOKIES.get(SIGNED_IN_COOKIE):
        return None
    try:
        return request.get_signed_cookie(SIGNED_IN_COOKIE, salt=_SIGNED_IN_SALT)
    except (KeyError, signing.BadSignature):
        return None  # a tampered marker says nothing


def _render_login(request: HttpRequest, form: LoginForm, *, status: int = 200, **extra: Any) -> HttpResponse:
    context = {"form": form, "next": _next_url(request), **extra}
    response = render(request, "accounts/login.html", context, status=status)
    if not request.user.is_authenticated:
        response.delete_cookie(SIGNED_IN_COOKIE, samesite="Lax")
    return response


@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """ログイン: username and password; django-axes counts failures through ``authenticate``."""
    if request.method != "POST":
        expired = _expired_username(request)
        if expired is not None:
            services.session_expired_record(username=expired)
        return _render_login(request, LoginForm(request), session_expired=expired is not None)

    username = request.POST.get("username", "")
    access = getattr(request, "access", None)
    if access is not None and access.untrusted_forwarded_header:
        services.untrusted_forwarded_header_record(
            username=username, header=request.META.get("HTTP_X_FORWARDED_FOR", "")
        )
    if address_locked_out(request):
        return lockout_response(request, credentials={"username": username})
    form = LoginForm(request, data=request.POST)
    if form.is_valid():
        user = form.get_user()
        auth_login(request, user)
        services.login_succeeded_record(actor=user)
        response = redirect(_next_url(request))
        response.set_signed_cookie(
            SIGNED_IN_COOKIE,
            user.get_username(),
            salt=_SIGNED_IN_SALT,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        return response
    if form.authentication_failed and not getattr(request, "axes_locked_out", False):
        services.login_failed_record(username=username)
    # When axes locked the account, its middleware swaps this for ``lockout_response``.
    return _render_login(request, form)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """django-axes hook (AXES_LOCKOUT_CALLABLE): the login page with the lockout message."""
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))
    services.locked_out_record(username=username)
    cool_off = get_cool_off(request)
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else None
    if minutes is None:
        message = _("ログイン失敗が続いたため、ロックされています。管理者に連絡してください。")
    else:
        message = _("ログイン失敗が続いたため、一時的にロックされています。%(minutes)s分後に再度お試しください。") % {
            "minutes": minutes
        }
    form = LoginForm(request, initial={"username": username})
    return _render_login(
        request, form, status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429), lockout_message=message
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """ログアウト (POST only)."""
    if request.user.is_authenticated:
        services.logout_record(actor=request.user)
    auth_logout(request)
    response = redirect(settings.LOGOUT_REDIRECT_URL)
    response.delete_cookie(SIGNED_IN_COOKIE, samesite="Lax")
    return response


@login_required
@never_cache
def otp_verify_view(request: HttpRequest) -> HttpResponse:
    """二要素認証: a code from the authenticator app, or a recovery code."""
    if not user_has_device(request.user, confirmed=True):
        return redirect("accounts:otp_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.otp_verify(actor=request.user, token=form.cleaned_data["token"])  # type: ignore[arg-type]
        except ValidationFailed as error:
            form.add_error("token", error.message)
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
@never_cache
def otp_enrol_view(request: HttpRequest) -> HttpResponse:
    """認証アプリの登録: begin (new secret and QR code), then confirm with a first code."""
    user: User = request.user  # type: ignore[assignment]
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return render(request, "accounts/otp_enrol.html", {"already_enrolled": True})
    if user_has_device(user, confirmed=True) and not is_second_factor_verified(request):
        return redirect("accounts:otp_verify")
    action = request.POST.get("action") if request.method == "POST" else None
    if not _may_enrol(request):
        return _enrolment_code_step(request, user, redeem=action == "redeem")
    if action == "begin":
        # Enrolled meanwhile (another tab)? The page it redirects to says so.
        with contextlib.suppress(ValidationFailed):
            services.otp_begin_enrolment(actor=user)
        return redirect(_with_next("accounts:otp_enrol", _next_url(request)))
    device = services.otp_pending_device(actor=user)
    form = TokenForm(request.POST if action == "confirm" else None)
    if device is not None and form.is_valid():
        try:
            device, codes = services.otp_confirm_enrolment(
                actor=user, device_id=device.pk, token=form.cleaned_data["token"]
            )
        except ValidationFailed as error:
            form.add_error("token", error.message)
        else:
            otp_login(request, device)
            return _render_codes(request, codes, enrolled=True)
    context: dict[str, Any] = {"form": form, "device": device, "next": _next_url(request)}
    if device is not None:
        context["qr_svg"] = qr_svg(device.config_url)
        context["secret"] = _b32_secret(device)
    return render(request, "accounts/otp_enrol.html", context)


def _may_enrol(request: HttpRequest) -> bool:
    """A new authenticator needs a verified factor, an office-network session or IT's enrolment code.

    A password alone from outside is not enough: whoever stole it could otherwise bind their own device.
    """
    if is_second_factor_verified(request):
        return True
    access = getattr(request, "access", None)
    if access is not None and access.is_office:
        return True
    return request.session.get(ENROLMENT_ALLOWED_KEY) == request.user.pk


def _enrolment_code_step(request: HttpRequest, user: User, *, redeem: bool) -> HttpResponse:
    """Ask for the enrolment code from IT; once it is accepted, enrolment may begin in this session."""
    form = EnrolmentCodeForm(request.POST if redeem else None)
    if redeem and form.is_valid():
        try:
            services.enrolment_code_redeem(actor=user, code=form.cleaned_data["code"])
        except ValidationFailed as error:
            form.add_error("code", error.message)
        else:
            request.session[ENROLMENT_ALLOWED_KEY] = user.pk
            return redirect(_with_next("accounts:otp_enrol", _next_url(request)))
    context = {"code_form": form, "need_code": True, "next": _next_url(request)}
    return render(request, "accounts/otp_enrol.html", context)


def _b32_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _render_codes(request: HttpRequest, codes: list[str], *, enrolled: bool) -> HttpResponse:
    formatted = [services.format_recovery_code(code) for code in codes]
    context = {"codes": formatted, "enrolled": enrolled, "next": _next_url(request)}
    return render(request, "accounts/recovery_codes.html", context)


@login_required
@never_cache
def recovery_codes_view(request: HttpRequest) -> HttpResponse:
    """リカバリーコード: how many are left; issue a new set (shown once)."""
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:otp_enrol")
    if not is_second_factor_verified(request):
        return redirect(_with_next("accounts:otp_verify", request.path))
    if request.method == "POST":
        codes = services.recovery_codes_regenerate(actor=request.user)  # type: ignore[arg-type]
        return _render_codes(request, codes, enrolled=False)
    remaining = services.recovery_codes_remaining(actor=request.user)  # type: ignore[arg-type]
    return render(request, "accounts/recovery_codes.html", {"remaining": remaining})
