"""Paying accounts per 会計 (会計別の支払口座): read side, for the 全銀 header, the screen and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from cityhall.accounts.models import User
from cityhall.finance.models import Account
from cityhall.finance.selectors.batches import may_see_batches


@dataclass(frozen=True)
class PayingAccount:
    """A paying account as the 全銀 header needs it; ``own`` is False for the city-wide setting."""

    requester_code: str
    requester_name: str
    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    own: bool


def paying_account_of(account: Account) -> PayingAccount:
    """The 会計's paying account (支払口座), or the city-wide one (``settings.CITYHALL_ZENGIN``) when it has none."""
    if account.has_own_paying_account:
        return PayingAccount(
            requester_code=account.payer_requester_code,
            requester_name=account.payer_requester_name,
            bank_code=account.payer_bank_code,
            branch_code=account.payer_branch_code,
            account_type=account.payer_account_type,
            account_number=account.payer_account_number,
            own=True,
        )
    conf = settings.CITYHALL_ZENGIN
    return PayingAccount(
        requester_code=str(conf["requester_code"]),
        requester_name=str(conf["requester_name"]),
        bank_code=str(conf["bank_code"]),
        branch_code=str(conf["branch_code"]),
        account_type=str(conf["account_type"]),
        account_number=str(conf["account_number"]),
        own=False,
    )


def paying_accounts_for(user: User) -> list[tuple[Account, PayingAccount]]:
    """Every 会計 with the paying account its 全銀 files use (会計管理者 and 会計; empty for others)."""
    if not may_see_batches(user):
        return []
    return [(account, paying_account_of(account)) for account in Account.objects.order_by("sort_order", "code")]


def paying_account_target(user: User, pk: int) -> Account | None:
    """The 会計 whose paying account the user may look at (会計管理者 and 会計), else None (missing or forbidden)."""
    if not may_see_batches(user):
        return None
    return Account.objects.filter(pk=pk).first()
