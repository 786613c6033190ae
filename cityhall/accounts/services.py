"""Sign-in writes (ログイン・二要素認証): audit entries and second-factor devices.

Every function takes the acting user (or, before sign-in, the attempted
username) and writes its audit entry in the same transaction. A failed check
is recorded and committed first, then reported by raising ``ValidationFailed``.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cityhall.accounts.models import EnrolmentCode, User
from cityhall.core.audit import record
from cityhall.core.errors import ValidationFailed

RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_DIGITS = 10
TOTP_DEVICE_NAME = "認証アプリ"
RECOVERY_DEVICE_NAME = "リカバリーコード"
_RECOVERY_PATTERN = re.compile(rf"^\d{{{RECOVERY_CODE_DIGITS}}}$")


# --- Sign-in events (audit only) --------------------------------------------


def _label(username: str) -> str:
    return (username or "").strip()[:150] or "(空欄)"


def login_succeeded_record(*, actor: User) -> None:
    """Record a password sign-in (ログイン)."""
    with transaction.atomic(durable=True):
        record(actor=actor, action="auth.login", obj=actor)


def login_failed_record(*, username: str) -> None:
    """Record a refused username and password (ログイン失敗); ``username`` is as typed."""
    with transaction.atomic(durable=True):
        record(actor=_label(username), action="auth.login_failed")


def locked_out_record(*, username: str) -> None:
    """Record a sign-in refused because of repeated failures (アカウントロック)."""
    with transaction.atomic(durable=True):
        record(actor=_label(username), action="auth.locked_out")


def logout_record(*, actor: User) -> None:
    """Record a sign-out (ログアウト)."""
    with transaction.atomic(durable=True):
        record(actor=actor, action="auth.logout", obj=actor)


def session_expired_record(*, username: str) -> None:
    """Record that a signed-in session ended by expiry (セッション期限切れ)."""
    with transaction.atomic(durable=True):
        record(actor=_label(username), action="auth.session_expired")


def untrusted_forwarded_header_record(*, username: str, header: str) -> None:
    """Record an X-Forwarded-For header sent by a peer that is not a trusted proxy (不正な転送ヘッダー)."""
    with transaction.atomic(durable=True):
        record(
            actor=_label(username),
            action="security.untrusted_forwarded_header",
            after={"x_forwarded_for": header[:200]},
        )


# --- Second factor (二要素認証) ------------------------------------------------


def _new_recovery_code() -> str:
    return f"{secrets.randbelow(10**RECOVERY_CODE_DIGITS):0{RECOVERY_CODE_DIGITS}d}"


def format_recovery_code(code: str) -> str:
    """Show a recovery code as two groups of five digits (12345-67890)."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_token(token: str) -> str:
    """The code without spaces or hyphens; full-width digits become ASCII."""
    return re.sub(r"[\s\-‐－ー]", "", unicodedata.normalize("NFKC", token or ""))


def _replace_recovery_codes(actor: User) -> list[str]:
    StaticDevice.objects.filter(user=actor).delete()
    device = StaticDevice.objects.create(user=actor, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def otp_pending_device(*, actor: User) -> TOTPDevice | None:
    """The user's unconfirmed authenticator device, if enrolment has begun (登録中の認証アプリ)."""
    return TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("-pk").first()


def otp_begin_enrolment(*, actor: User) -> TOTPDevice:
    """Start enrolling an authenticator app (認証アプリの登録開始): a new unconfirmed TOTP device."""
    with transaction.atomic(durable=True):
        User.objects.select_for_update().get(pk=actor.pk)
        if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
            raise ValidationFailed(_("認証アプリはすでに登録されています。"))
        TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=actor, name=TOTP_DEVICE_NAME, confirmed=False)
        record(actor=actor, action="auth.otp_enrolment_started", obj=device, after={"device_id": device.pk})
    return device


def otp_confirm_enrolment(*, actor: User, device_id: int, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm enrolment with a first code (認証アプリの登録完了); returns the device and new recovery codes."""
    failure: ValidationFailed | None = None
    with transaction.atomic(durable=True):
        device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=actor, confirmed=False).first()
        if device is None:
            raise ValidationFailed(_("登録手続きが見つかりません。最初からやり直してください。"))
        code = normalise_token(token)
        allowed, data = device.verify_is_allowed()
        if not allowed:
            record(actor=actor, action="auth.otp_throttled", obj=device)
            failure = ValidationFailed(_throttled_message(data), field="token")
        elif device.verify_token(code):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _replace_recovery_codes(actor)
            record(actor=actor, action="auth.otp_enrolled", obj=device, after={"recovery_codes": len(codes)})
            return device, codes
        else:
            record(actor=actor, action="auth.otp_failed", obj=device, after={"stage": "enrolment"})
            failure = ValidationFailed(_("確認コードが正しくありません。"), field="token")
    raise failure


def recovery_codes_regenerate(*, actor: User) -> list[str]:
    """Issue a fresh set of recovery codes, invalidating the old ones (リカバリーコードの再発行)."""
    with transaction.atomic(durable=True):
        User.objects.select_for_update().get(pk=actor.pk)
        if not TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
            raise ValidationFailed(_("先に認証アプリを登録してください。"))
        codes = _replace_recovery_codes(actor)
        record(actor=actor, action="auth.recovery_codes_regenerated", obj=actor, after={"count": len(codes)})
    return codes


def recovery_codes_remaining(*, actor: User) -> int:
    """How many unused recovery codes the user has (残りのリカバリーコード数)."""
    return StaticToken.objects.filter(device__user=actor, device__confirmed=True).count()


def _throttled_message(data: dict | None) -> str:
    locked_until = (data or {}).get("locked_until")
    wait = locked_until - timezone.now() if locked_until else timedelta(seconds=1)
    seconds = max(1, math.ceil(wait.total_seconds()))
    return _("確認コードの誤りが続いたため、しばらく入力できません。%(seconds)s秒後に再度お試しください。") % {
        "seconds": seconds
    }


def otp_verify(*, actor: User, token: str) -> Device:
    """Check the second factor after the password (二要素認証): a TOTP code or a recovery code."""
    code = normalise_token(token)
    devices: list[Device]
    failure: ValidationFailed
    with transaction.atomic(durable=True):
        if _RECOVERY_PATTERN.match(code):
            kind = "recovery"
            devices = list(StaticDevice.objects.select_for_update().filter(user=actor, confirmed=True))
        else:
            kind = "totp"
            devices = list(TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=True))
        throttle_data: dict | None = None
        attempted = False
        for device in devices:
            allowed, data = device.verify_is_allowed()
            if not allowed:
                throttle_data = data
                continue
            attempted = True
            if device.verify_token(code):
                record(actor=actor, action="auth.otp_verified", obj=device, after={"kind": kind})
                return device
        if throttle_data is not None and not attempted:
            record(actor=actor, action="auth.otp_throttled", after={"kind": kind})
            failure = ValidationFailed(_throttled_message(throttle_data), field="token")
        else:
            record(actor=actor, action="auth.otp_failed", after={"kind": kind})
            failure = ValidationFailed(_("確認コードが正しくありません。"), field="token")
    raise failure


# --- Enrolment codes from IT (登録コード) --------------------------------------

ENROLMENT_CODE_DIGITS = 12


def hash_enrolment_code(code: str) -> str:
    """The stored form of an enrolment code: SHA-256 of its digits (the code itself is never stored)."""
    return hashlib.sha256(normalise_token(code).encode("ascii", "replace")).hexdigest()


def new_enrolment_code(*, user: User, issued_by: str) -> tuple[EnrolmentCode, str]:
    """Create a one-time enrolment code for ``user`` in the caller's transaction; returns it and its digits.

    Earlier unused codes of the user are withdrawn: only the newest one counts.
    """
    now = timezone.now()
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    code = f"{secrets.randbelow(10**ENROLMENT_CODE_DIGITS):0{ENROLMENT_CODE_DIGITS}d}"
    hours = settings.CITYHALL_ENROLMENT_CODE_HOURS
    entry = EnrolmentCode.objects.create(
        user=user,
        code_hash=hash_enrolment_code(code),
        issued_by=issued_by[:150],
        issued_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    return entry, code


def enrolment_code_redeem(*, actor: User, code: str) -> EnrolmentCode:
    """Use an enrolment code from IT (登録コードの使用): one time, before it expires, only by its user."""
    failure: ValidationFailed
    with transaction.atomic(durable=True):
        entry = (
            EnrolmentCode.objects.select_for_update()
            .filter(user=actor, code_hash=hash_enrolment_code(code), used_at__isnull=True)
            .first()
        )
        if entry is not None and entry.expires_at > timezone.now():
            entry.used_at = timezone.now()
            entry.save(update_fields=["used_at"])
            record(actor=actor, action="auth.enrolment_code_used", obj=actor, after={"code_id": entry.pk})
            return entry
        record(actor=actor, action="auth.enrolment_code_failed", obj=actor)
        failure = ValidationFailed(_("登録コードが正しくないか、有効期限が切れています。"), field="code")
    raise failure
