"""Read-side of creditors (債権者の参照): who may see them and their account numbers, similar creditors."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.remote_policy import DataClass, Mode, remote_mode
from cityhall.finance import banks
from cityhall.finance.models import (
    Creditor,
    CreditorBankAccount,
)
from cityhall.finance.selectors.budget import CITYWIDE_ROLES
from cityhall.org import selectors as org
from cityhall.org.models import Role


def sees_account_numbers(user: User, *, on: dt.date | None = None) -> bool:
    """Whether the user sees creditors' full account numbers (口座番号): 会計 and 会計管理者, and from outside
    only when the remote-access policy lets them (支払先の口座番号: 「表示する」)."""
    if remote_mode(user, DataClass.PAYEE_ACCOUNT) is not Mode.SEE:
        return False
    roles = org.roles_of(user, on=on or timezone.localdate())
    return any(role in roles for role in CITYWIDE_ROLES)


def creditors_for(user: User, *, on: dt.date | None = None) -> QuerySet[Creditor]:
    """Creditors the user may see: all with bank accounts (in use first) for 会計, active ones for others."""
    rows = Creditor.objects.order_by("code")
    if org.has_role(user, Role.ACCOUNTING, on=on or timezone.localdate()):
        accounts = CreditorBankAccount.objects.order_by("-is_active", "-is_default", "pk")  # 停止中は最後
        return rows.prefetch_related(Prefetch("bank_accounts", queryset=accounts))
    return rows.filter(is_active=True)


def similar_creditors(user: User, creditor: Creditor, *, limit: int = 10) -> list[Creditor]:
    """Other creditors the user sees with the same name or フリガナ once normalised (重複の可能性), by code.

    Names compare without legal forms, spaces or width differences (㈱ヤマダ = 株式会社ヤマダ = ﾔﾏﾀﾞ),
    フリガナ in the 全銀 kana; see ``banks.name_comparison_key`` and ``banks.kana_comparison_key``.
    """
    name, kana = banks.name_comparison_key(creditor.name), banks.kana_comparison_key(creditor.kana)
    rows = Creditor.objects.filter(pk__in=creditors_for(user).values("pk")).exclude(pk=creditor.pk)
    found = [
        pk
        for pk, other_name, other_kana in rows.values_list("pk", "name", "kana").iterator()
        if (name and banks.name_comparison_key(other_name) == name)
        or (kana and banks.kana_comparison_key(other_kana) == kana)
    ]
    return list(Creditor.objects.filter(pk__in=found).order_by("code")[:limit])
