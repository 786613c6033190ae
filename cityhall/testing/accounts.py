"""Users with a password and a second factor, for the sign-in tests (ログインと二要素認証)."""

from __future__ import annotations

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cityhall.accounts.models import User
from cityhall.testing.web import PASSWORD


def user_with_password(username: str = "tanaka", *, password: str = PASSWORD, **extra: str) -> User:
    """A member of staff (田中一郎 unless named otherwise) who signs in with ``password``."""
    extra.setdefault("last_name", "田中")
    extra.setdefault("first_name", "一郎")
    return User.objects.create_user(username=username, password=password, **extra)


def make_device(user: User, *, confirmed: bool = True) -> TOTPDevice:
    """A TOTP authenticator enrolled for ``user``."""
    return TOTPDevice.objects.create(user=user, name="test", confirmed=confirmed)


def current_code(device: TOTPDevice) -> str:
    """The six-digit code the user's authenticator app shows now."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{value:0{device.digits}d}"


def give_password(*users: User, password: str = PASSWORD) -> None:
    """Let ``users`` (made without one, like the test city's staff) sign in with ``password``."""
    for user in users:
        user.set_password(password)
        user.save(update_fields=["password"])
