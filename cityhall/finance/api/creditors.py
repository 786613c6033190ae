"""Creditors (債権者): search, registration, changes, stop/restart, and their bank accounts."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from cityhall.accounts.models import User
from cityhall.accounts.requests import user_of
from cityhall.core.errors import PermissionDenied
from cityhall.core.http import Id, Page, PageSize
from cityhall.finance import services
from cityhall.finance.api import _common as c
from cityhall.finance.api.schemas.creditors import (
    BankAccountIn,
    BankAccountOut,
    CreditorCreatedOut,
    CreditorIn,
    CreditorOut,
    CreditorPage,
)
from cityhall.finance.models import Creditor, CreditorBankAccount
from cityhall.finance.selectors.creditors import creditors_for, similar_creditors
from cityhall.finance.services import creditor_accounts
from cityhall.finance.services import creditors as creditor_services
from cityhall.finance.services.creditors import (
    creditor_accounts_viewed,
    creditor_kana_search_key,
    normalize_creditor_code,
)

router = Router(tags=["債権者"])


class CreditorQuery(Schema):
    """Search words (コード・名称・フリガナ・登録番号) and paging."""

    q: str = Field("", description="コード・名称・フリガナ・登録番号の部分一致")
    page: Page = 1
    page_size: PageSize = 20


def creditor_out(creditor: Creditor, *, with_accounts: bool) -> dict[str, Any]:
    """A creditor as the API shows it; bank accounts only to the 会計 role."""
    fields = ("id", "code", "name", "kana", "address", "invoice_registration_number", "is_individual", "is_active")
    out: dict[str, Any] = {f: getattr(creditor, f) for f in fields}
    out["bank_accounts"] = list(creditor.bank_accounts.all()) if with_accounts else None
    return out


class CreditorChangeIn(Schema):
    """A creditor's record as it should be (債権者の変更, PUT): every field is required; the code stays."""

    name: str
    kana: str
    address: str = Field(..., description="住所。空欄で削除")
    invoice_registration_number: str = Field(..., description="登録番号（T＋13桁）。空欄で削除")
    is_individual: bool = Field(..., description="個人事業者か（口座の閲覧が記録される）")


class AccountChangeOut(Schema):
    """An account after it was stopped or restarted, and the creditor's default account (既定の口座) then."""

    account: BankAccountOut
    default_account: BankAccountOut | None


class HolderNameIn(Schema):
    """The corrected holder name (口座名義の訂正), normalised to 全銀 kana as on registration."""

    holder_name: str = Field(description="口座名義（全銀の文字に正規化。使えない文字はその文字を示して 400）")


class HolderNameOut(Schema):
    """The account with its corrected holder name, and the name before (訂正前)."""

    account: BankAccountOut
    before: str = Field(description="訂正前の口座名義（全銀カナ）")
    changed: bool = Field(description="名義が変わったか（正規化して同じなら false、記録もなし）")


def _shown(user: User, *versions: Creditor) -> None:
    """Record that an individual's (個人事業者) bank accounts were returned, as the search does."""
    individual = next((c for c in versions if c.is_individual), None)
    if individual is not None:
        creditor_accounts_viewed(actor=user, creditors=[individual], where="api")


def _staff_creditor(request: HttpRequest, creditor_id: Id) -> tuple[User, Creditor]:
    """The 会計 caller and the creditor; missing and forbidden look the same."""
    user = c.require_finance_staff(request)
    creditor = creditors_for(user).filter(pk=creditor_id).first()
    if creditor is None:
        raise PermissionDenied("債権者が見つかりません。")
    return user, creditor


@router.get("/creditors", response={200: CreditorPage, **c.ERRORS}, summary="債権者の検索・一覧")
def creditor_search(request: HttpRequest, filters: Query[CreditorQuery]) -> dict[str, Any]:
    """Creditors matching the words, by code; bank accounts are listed for the 会計 role only."""
    user = user_of(request)
    rows = creditors_for(user)
    words = filters.q.strip()
    if words:
        kana = creditor_kana_search_key(words)  # written as registration stores フリガナ (全角カタカナ)
        rows = rows.filter(
            Q(code__icontains=words)
            | Q(code__icontains=normalize_creditor_code(words))  # Ａ－１ finds A-1
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
        actor=user_of(request),
        **payload.dict(exclude={"bank_account"}),
        bank_account=services.BankAccountInput(**account.dict()) if account else None,
    )
    creditor = result.creditor
    similar = similar_creditors(user_of(request), creditor)
    return Status(
        201, {"creditor": creditor_out(creditor, with_accounts=True), "warning": result.warning, "similar": similar}
    )


@router.post(
    "/creditors/{int:creditor_id}/bank-accounts", response={201: BankAccountOut, **c.ERRORS}, summary="振込口座の追加"
)
def bank_account_add(request: HttpRequest, creditor_id: Id, payload: BankAccountIn) -> Status[CreditorBankAccount]:
    """Add a bank account to a creditor; it becomes the default account (会計の権限)."""
    user, creditor = _staff_creditor(request, creditor_id)
    account = services.creditor_bank_account_add(
        actor=user, creditor=creditor, data=services.BankAccountInput(**payload.dict())
    )
    return Status(201, account)


@router.put("/creditors/{int:creditor_id}", response={200: CreditorCreatedOut, **c.ERRORS}, summary="債権者の変更")
def creditor_update(request: HttpRequest, creditor_id: Id, payload: CreditorChangeIn) -> dict[str, Any]:
    """Replace name, フリガナ, address, 登録番号 and 個人事業者 (all required) with the checks of registration.

    Returns the warning and possible duplicates; an individual's accounts shown are audited as viewed.
    """
    user, creditor = _staff_creditor(request, creditor_id)
    result = creditor_services.creditor_update(actor=user, creditor=creditor, **payload.dict())
    _shown(user, result.creditor, creditor)
    out = creditor_out(result.creditor, with_accounts=True)
    return {"creditor": out, "warning": result.warning, "similar": similar_creditors(user, result.creditor)}


@router.post("/creditors/{int:creditor_id}/deactivate", response={200: CreditorOut, **c.ERRORS}, summary="債権者の停止")
def creditor_deactivate(request: HttpRequest, creditor_id: Id) -> dict[str, Any]:
    """Stop a creditor; 409 naming the undecided or unpaid orders (and undecided encumbrances) that use it."""
    user, creditor = _staff_creditor(request, creditor_id)
    stopped = creditor_services.creditor_deactivate(actor=user, creditor=creditor)
    _shown(user, stopped)
    return creditor_out(stopped, with_accounts=True)


@router.post(
    "/creditors/{int:creditor_id}/reactivate", response={200: CreditorOut, **c.ERRORS}, summary="債権者の停止の解除"
)
def creditor_reactivate(request: HttpRequest, creditor_id: Id) -> dict[str, Any]:
    """Make a stopped creditor usable again."""
    user, creditor = _staff_creditor(request, creditor_id)
    restarted = creditor_services.creditor_reactivate(actor=user, creditor=creditor)
    _shown(user, restarted)
    return creditor_out(restarted, with_accounts=True)


@router.post(
    "/creditors/{int:creditor_id}/bank-accounts/{int:account_id}/default",
    response={200: BankAccountOut, **c.ERRORS},
    summary="既定の口座の変更",
)
def bank_account_default(request: HttpRequest, creditor_id: Id, account_id: Id) -> CreditorBankAccount:
    """Make this account the creditor's default for new payment orders."""
    user, creditor = _staff_creditor(request, creditor_id)
    account = creditor_accounts.creditor_bank_account_set_default(actor=user, creditor=creditor, account_id=account_id)
    _shown(user, creditor)
    return account


@router.post(
    "/creditors/{int:creditor_id}/bank-accounts/{int:account_id}/deactivate",
    response={200: AccountChangeOut, **c.ERRORS},
    summary="振込口座の停止",
)
def bank_account_deactivate(request: HttpRequest, creditor_id: Id, account_id: Id) -> dict[str, Any]:
    """Stop an account: new orders never pay to it, paid ones keep it; 409 naming the unpaid orders that use it."""
    user, creditor = _staff_creditor(request, creditor_id)
    result = services.creditor_bank_account_deactivate(actor=user, creditor=creditor, account_id=account_id)
    _shown(user, creditor)
    return {"account": result.account, "default_account": result.default}


@router.post(
    "/creditors/{int:creditor_id}/bank-accounts/{int:account_id}/reactivate",
    response={200: AccountChangeOut, **c.ERRORS},
    summary="振込口座の再開",
)
def bank_account_reactivate(request: HttpRequest, creditor_id: Id, account_id: Id) -> dict[str, Any]:
    """Use a stopped account again; 409 naming the creditor when the same account is in use again."""
    user, creditor = _staff_creditor(request, creditor_id)
    result = services.creditor_bank_account_reactivate(actor=user, creditor=creditor, account_id=account_id)
    _shown(user, creditor)
    return {"account": result.account, "default_account": result.default}


@router.post(
    "/creditors/{int:creditor_id}/bank-accounts/{int:account_id}/holder-name",
    response={200: HolderNameOut, **c.ERRORS},
    summary="口座名義の訂正",
)
def bank_account_holder_name(
    request: HttpRequest, creditor_id: Id, account_id: Id, payload: HolderNameIn
) -> dict[str, Any]:
    """Correct an account's holder name; unpaid orders pay under it from the next 全銀 file; 409 if stopped."""
    user, creditor = _staff_creditor(request, creditor_id)
    result = creditor_accounts.creditor_bank_account_correct_holder(
        actor=user, creditor=creditor, account_id=account_id, holder_name=payload.holder_name
    )
    _shown(user, creditor)
    return {"account": result.account, "before": result.before, "changed": result.changed}
