"""Matching an invoice to the city's records (請求書と債権者・支出負担行為の照合), read-only.

* the creditor by its registration number (登録番号), active in the creditor master;
* the payee account: the invoice's account must be one of the creditor's accounts in use; JP PINT
  carries no account type or kana holder name, so they come from the master when the invoice lacks
  them, and a holder name that differs from the master refuses the invoice (never a silent change);
* what is charged: the encumbrance the invoice refers to (order, contract or buyer reference = the
  encumbrance's 契約番号 or document number), decided, alive, of the same creditor and of the
  importing person's section; otherwise the supplier's default line (``SupplierDefault``), paid by a
  支出負担行為兼支出命令 where the 節 allows it (the finance rules decide that when drafting).

Each refusal is a ``Reason`` with the field and a Japanese message; the caller collects them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.db.models import Q

from cityhall.accounts.models import User
from cityhall.automation.einvoice.jp_pint import Invoice
from cityhall.automation.einvoice.validation import Reason
from cityhall.automation.models import SupplierDefault
from cityhall.documents.models import DECIDED_STATUSES
from cityhall.finance.models import BudgetLine, Creditor, CreditorBankAccount, Encumbrance
from cityhall.finance.selectors.encumbrances import own_section_encumbrances


@dataclass(frozen=True)
class Match:
    """What an invoice is paid to and charged to."""

    creditor: Creditor
    account: CreditorBankAccount
    encumbrance: Encumbrance | None
    line: BudgetLine | None


class Refused(Exception):
    """The invoice cannot be matched; ``reason`` says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.reason = Reason(field, message)


def _kana(text: str) -> str:
    """A holder name compared as the bank does: NFKC (half-width kana to full), no spaces, upper case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def _creditor(invoice: Invoice) -> Creditor:
    number = invoice.registration_number
    found = Creditor.objects.filter(invoice_registration_number=number, is_active=True).order_by("pk").first()
    if found is None:
        raise Refused("registration_number", f"登録番号 {number} の債権者が債権者マスタに登録されていません。")
    return found


def _account(invoice: Invoice, creditor: Creditor) -> CreditorBankAccount:
    accounts = creditor.bank_accounts.filter(is_active=True)
    payee = invoice.payee_account
    if payee is None:
        default = accounts.filter(is_default=True).first()
        if default is None:
            raise Refused("payee_account", f"{creditor.name}の振込口座が債権者マスタに登録されていません。")
        return default
    number = payee.account_number.zfill(7)
    rows = accounts.filter(account_number=number)
    if payee.bank_code:
        rows = rows.filter(bank_code=payee.bank_code.zfill(4))
    if payee.branch_code:
        rows = rows.filter(branch_code=payee.branch_code.zfill(3))
    if payee.account_type:
        rows = rows.filter(account_type=payee.account_type)
    found = rows.first()
    if found is None:
        shown = ":".join(p for p in (payee.bank_code, payee.branch_code, payee.account_type, number) if p)
        raise Refused("payee_account", f"振込先口座（{shown}）が{creditor.name}の口座として債権者マスタにありません。")
    if payee.holder_name and _kana(payee.holder_name) != _kana(found.holder_kana):
        raise Refused(
            "payee_account",
            f"口座名義が債権者マスタと異なります（請求書: {payee.holder_name}、マスタ: {found.holder_kana}）。"
            "債権者マスタを確認してください。",
        )
    return found


def _references(invoice: Invoice) -> list[str]:
    refs = (invoice.order_reference, invoice.contract_reference, invoice.buyer_reference)
    return [r.strip() for r in refs if r and r.strip()]


def _encumbrance(actor: User, invoice: Invoice, creditor: Creditor) -> Encumbrance | None:
    refs = _references(invoice)
    if not refs:
        return None
    numbers = Q(contract_number__in=refs)
    for ref in refs:
        numbers |= Q(document__number_label=ref)
    rows = (
        own_section_encumbrances(actor)
        .filter(numbers, cancelled_at__isnull=True, document__status__in=DECIDED_STATUSES)
        .select_related("document", "line")
    )
    found = rows.filter(creditor=creditor).order_by("-fiscal_year", "-pk").first()
    if found is None and rows.exists():
        raise Refused("order_reference", f"参照番号（{'・'.join(refs)}）の支出負担行為の債権者が請求者と異なります。")
    return found


def match_invoice(actor: User, invoice: Invoice) -> Match:
    """The creditor, account and charge of ``invoice`` for ``actor``'s section; raises ``Refused``."""
    creditor = _creditor(invoice)
    account = _account(invoice, creditor)
    encumbrance = _encumbrance(actor, invoice, creditor)
    if encumbrance is not None:
        return Match(creditor, account, encumbrance, None)
    default = SupplierDefault.objects.filter(creditor=creditor).select_related("line").first()
    if default is None:
        refs = "・".join(_references(invoice)) or "なし"
        raise Refused(
            "order_reference",
            f"請求書の参照番号（{refs}）に当たる支出負担行為がなく、{creditor.name}の既定の予算科目も"
            "設定されていません。",
        )
    return Match(creditor, account, None, default.line)
