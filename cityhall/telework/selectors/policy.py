"""Reads of the remote-access policy (リモートアクセスの方針の表示), for the 情報政策 role."""

from __future__ import annotations

from dataclasses import dataclass

from cityhall.accounts.models import User
from cityhall.core.remote_policy import ALLOWED, DEFAULTS, DataClass, Mode
from cityhall.org.models import Role
from cityhall.telework.access import require_configure
from cityhall.telework.provider import rules_table


@dataclass(frozen=True)
class ClassRow:
    """One data class of the policy: its built-in default, the modes it allows, and its rules by role."""

    data_class: DataClass
    default: Mode
    allowed: tuple[Mode, ...]
    rules: dict[str, str]
    """Role ("" for everyone) → mode, for the configured rules only."""


ROLES: tuple[Role, ...] = tuple(Role)


def policy_rows(user: User) -> list[ClassRow]:
    """The policy as configured, one row per data class (方針の一覧); the 情報政策 role only."""
    require_configure(user)
    table = rules_table()
    return [
        ClassRow(
            data_class=data_class,
            default=DEFAULTS[data_class],
            allowed=ALLOWED[data_class],
            rules={role: mode for (dc, role), mode in table.items() if dc == data_class},
        )
        for data_class in DataClass
    ]
