"""Shared helpers for the sign-in tests: users, devices and current codes."""

from __future__ import annotations

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cityhall.accounts.models import User
from cityhall.core.models import AuditEntry

PASSWORD = "correct horse battery 42"


def make_user(username: str = "tanaka") -> User:
    return User.objects.create_user(username=username, password=PASSWORD, last_name="田中", first_name="一郎")


def make_device(user: User, *, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="test", confirmed=confirmed)


def current_code(device: TOTPDevice) -> str:
    """The six-digit code the user's authenticator app shows now."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{value:0{device.digits}d}"


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))


def last_entry() -> AuditEntry:
    return AuditEntry.objects.order_by("-seq")[0]
