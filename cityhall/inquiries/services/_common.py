"""Helpers the inquiries services share: the acting collector, the day, names in katakana (private to the app)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.errors import PermissionDenied, ValidationFailed
from cityhall.core.japanese import to_katakana
from cityhall.inquiries.access import NOT_FOUND, Scope, scope_of
from cityhall.inquiries.models.persons import OLDEST_BIRTH_DATE

_SPACES = re.compile(r"[\s\u3000]+")
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc\u30fb\u3000]+")


def collector(actor: Any, *, on: dt.date | None = None) -> Scope:
    """The acting tax collector's scope: an active user holding the 徴税 role, in the office."""
    if not isinstance(actor, User) or not actor.is_active or actor.pk is None:
        raise PermissionDenied(NOT_FOUND)
    return scope_of(actor, on=on)


def today(on: dt.date | None = None) -> dt.date:
    """The day of the act (today in Japan unless given)."""
    return on or timezone.localdate()


def katakana_name(value: str, *, field: str = "kana", label: str = "フリガナ") -> str:
    """A name in full-width katakana (カナ氏名) as institutions match on it: 「やまだ ﾀﾛｳ」 → 「ヤマダ　タロウ」.

    Hiragana and half-width kana are widened, spaces of any width become one full-width space;
    anything but katakana, 「ー」 and 「・」 is refused with the first character that is not.
    """
    text = _SPACES.sub("\u3000", to_katakana(str(value or "")).replace("－", "ー")).strip("\u3000")
    if not text:
        raise ValidationFailed(f"{label}を入力してください。", field=field)
    bad = _KATAKANA.sub("", text)
    if bad:
        raise ValidationFailed(f"{label}はカタカナで入力してください（「{bad[0]}」は使えません）。", field=field)
    return text


def birth_date(value: dt.date | None, *, day: dt.date, field: str = "birth_date") -> dt.date:
    """A birth date that can be real: given, from 1900 on, not after the day."""
    if value is None:
        raise ValidationFailed("生年月日を入力してください。", field=field)
    if value < OLDEST_BIRTH_DATE or value > day:
        raise ValidationFailed(
            f"生年月日「{value.year}年{value.month}月{value.day}日」はありえない日付です。", field=field
        )
    return value
