"""Paying accounts per 会計 (会計別の支払口座): the list, and setting one 会計's (会計管理者)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from cityhall.accounts.requests import user_of
from cityhall.core.errors import PermissionDenied
from cityhall.core.http import Id
from cityhall.finance.api import _common as c
from cityhall.finance.api.schemas.paying_accounts import PayingAccountIn, PayingAccountOut
from cityhall.finance.models import Account
from cityhall.finance.selectors.paying_accounts import (
    PayingAccount,
    paying_account_of,
    paying_account_target,
    paying_accounts_for,
)
from cityhall.finance.services.paying_accounts import ACCOUNT_NOT_FOUND, account_set_paying_account

router = Router(tags=["会計管理者審査・支払データ"])


def paying_account_out(account: Account, payer: PayingAccount) -> dict[str, Any]:
    """A 会計 with its paying account as the API shows it."""
    return {
        "account_id": account.pk,
        "account_code": account.code,
        "account_name": account.name,
        "own": payer.own,
        "requester_code": payer.requester_code,
        "requester_name": payer.requester_name,
        "bank_code": payer.bank_code,
        "branch_code": payer.branch_code,
        "account_type": payer.account_type,
        "account_number": payer.account_number,
    }


@router.get("/paying-accounts", response={200: list[PayingAccountOut], **c.ERRORS}, summary="会計別の支払口座")
def paying_account_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every 会計 with the paying account its 全銀 files use (会計管理者・会計; empty for others)."""
    return [paying_account_out(account, payer) for account, payer in paying_accounts_for(user_of(request))]


@router.put(
    "/accounts/{int:account_id}/paying-account",
    response={200: PayingAccountOut, **c.ERRORS},
    summary="会計の支払口座の設定",
)
def paying_account_put(request: HttpRequest, account_id: Id, payload: PayingAccountIn) -> dict[str, Any]:
    """Set a 会計's paying account (会計管理者); all fields blank: back to the city-wide setting."""
    user = user_of(request)
    account = paying_account_target(user, account_id)
    if account is None:
        raise PermissionDenied(ACCOUNT_NOT_FOUND)
    account = account_set_paying_account(actor=user, account=account, **payload.dict())
    return paying_account_out(account, paying_account_of(account))
