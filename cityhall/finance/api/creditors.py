"""Creditors (債権者): search, registration with a bank account, adding a bank account."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from cityhall.core.errors import PermissionDenied
from cityhall.core.japanese import hiragana_to_katakana, normalize_for_search
from cityhall.finance import services
from cityhall.finance.api import _common as c
from cityhall.finance.api.schemas import BankAccountIn, BankAccountOut, CreditorCreatedOut, CreditorIn, CreditorPage
from cityhall.finance.models import Creditor, CreditorBankAccount
from cityhall.finance.selectors import creditors_for
from cityhall.finance.services.creditors import creditor_accounts_viewed

router = Router(tags=["債権者"])


class CreditorQuery(Schema):
    """Search words (コード・名称・フリガナ・登録番号) and paging."""

    q: str = Field("", description="コード・名称・フリガナ・登録番号の部分一致")
    page: int = 1
    page_size: int = 20


def creditor_out(creditor: Creditor, *, with_accounts: bool) -> dict[str, Any]:
    """A creditor as the API shows it; bank accounts only to the 会計 role."""
    fields = ("id", "code", "name", "kana", "address", "invoice_registration_number", "is_individual", "is_active")
    out: dict[str, Any] = {f: getattr(creditor, f) for f in fields}
    out["bank_accounts"] = list(creditor.bank_accounts.all()) if with_accounts else None
    return out


def similar_to(creditor: Creditor) -> QuerySet[Creditor]:
    """Other creditors with the same name or フリガナ: possible duplicates to check (重複の可能性)."""
    same = Q(name=creditor.name) | Q(kana=creditor.kana)
    return Creditor.objects.filter(same).exclude(pk=creditor.pk).order_by("code")[:10]


@router.get("/creditors", response={200: CreditorPage, **c.ERRORS}, summary="債権者の検索・一覧")
def creditor_search(request: HttpRequest, filters: Query[CreditorQuery]) -> dict[str, Any]:
    """Creditors matching the words, by code; bank accounts are listed for the 会計 role only."""
    user = c.actor(request)
    rows = creditors_for(user)
    words = filters.q.strip()
    if words:
        kana = hiragana_to_katakana(normalize_for_search(words))  # フリガナ is stored in katakana
        rows = rows.filter(
            Q(code__icontains=words)
            | Q(name__icontains=words)
            | Q(kana__icontains=kana)
            | Q(invoice_registration_number__icontains=words)
        )
    page = c.paged(rows, filters.page, filters.page_size)
    finance = c.is_finance_staff(user)
    if finance:  # an individual's (個人事業者) bank accounts are personal information: audit who saw them
        creditor_accounts_viewed(actor=user, creditors=page["items"], where="api")
    page["items"] = [creditor_out(cr, with_accounts=finance) for cr in page["items"]]
    return page


@router.post("/creditors", response={201: CreditorCreatedOut, **c.ERRORS}, summary="債権者の登録")
def creditor_create(request: HttpRequest, payload: CreditorIn) -> Status[dict[str, Any]]:
    """Register a creditor with an optional bank account; returns the warning and possible duplicates."""
    account = payload.bank_account
    result = services.creditor_create(
        actor=c.actor(request),
        **payload.dict(exclude={"bank_account"}),
        bank_account=services.BankAccountInput(**account.dict()) if account else None,
    )
    creditor = result.creditor
    similar = list(similar_to(creditor))
    return Status(
        201, {"creditor": creditor_out(creditor, with_accounts=True), "warning": result.warning, "similar": similar}
    )


@router.post(
    "/creditors/{int:creditor_id}/bank-accounts", response={201: BankAccountOut, **c.ERRORS}, summary="振込口座の追加"
)
def bank_account_add(request: HttpRequest, creditor_id: int, payload: BankAccountIn) -> Status[CreditorBankAccount]:
    """Add a bank account to a creditor; it becomes the default account (会計の権限)."""
    creditor = creditors_for(c.require_finance_staff(request)).filter(pk=creditor_id).first()
    if creditor is None:
        raise PermissionDenied("債権者が見つかりません。")
    account = services.creditor_bank_account_add(
        actor=c.actor(request), creditor=creditor, data=services.BankAccountInput(**payload.dict())
    )
    return Status(201, account)
