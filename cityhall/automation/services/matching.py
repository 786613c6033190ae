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
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from cityhall.accounts.models import User
from cityhall.automation.einvoice.jp_pint import Invoice, PayeeAccount
from cityhall.automation.einvoice.validation import Reason
from cityhall.automation.models import SupplierDefault
from cityhall.documents.models import DECIDED_STATUSES
from cityhall.finance.models import BudgetLine, Creditor, CreditorBankAccount, Encumbrance
from cityhall.finance.selectors.encumbrances import own_section_encumbrances


@dataclass(frozen=True)
class Lookup:
    """What matching needs, read once for a whole import (one query each, not one per invoice)."""

    creditors: dict[str, Creditor]  # active creditors by registration number
    accounts: dict[int, list[CreditorBankAccount]]  # accounts in use by creditor
    defaults: dict[int, BudgetLine]  # suppliers' default lines by creditor
    encumbrances: list[Encumbrance]  # the section's decided, live encumbrances named by a reference


def lookup_for(actor: User, invoices: Iterable[Invoice]) -> Lookup:
    """Read the creditors, accounts, defaults and referred encumbrances of ``invoices`` in four queries."""
    invoices = list(invoices)
    numbers = {i.registration_number for i in invoices}
    creditors = {
        c.invoice_registration_number: c
        for c in Creditor.objects.filter(invoice_registration_number__in=numbers, is_active=True).order_by("-pk")
    }
    accounts: dict[int, list[CreditorBankAccount]] = defaultdict(list)
    for account in CreditorBankAccount.objects.filter(creditor__in=creditors.values(), is_active=True).order_by("pk"):
        accounts[account.creditor_id].append(account)
    defaults = {
        d.creditor_id: d.line
        for d in SupplierDefault.objects.filter(creditor__in=creditors.values()).select_related("line__setsu")
    }
    refs = {r for i in invoices for r in _references(i)}
    encumbrances = []
    if refs:
        encumbrances = list(
            own_section_encumbrances(actor)
            .filter(Q(contract_number__in=refs) | Q(document__number_label__in=refs))
            .filter(cancelled_at__isnull=True, document__status__in=DECIDED_STATUSES)
            .order_by("-fiscal_year", "-pk")
        )
    return Lookup(creditors, dict(accounts), defaults, encumbrances)


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


def _creditor(invoice: Invoice, lookup: Lookup) -> Creditor:
    number = invoice.registration_number
    found = lookup.creditors.get(number)
    if found is None:
        raise Refused("registration_number", f"登録番号 {number} の債権者が債権者マスタに登録されていません。")
    return found


def _same(payee: PayeeAccount, account: CreditorBankAccount) -> bool:
    return (
        account.account_number == payee.account_number.zfill(7)
        and (not payee.bank_code or account.bank_code == payee.bank_code.zfill(4))
        and (not payee.branch_code or account.branch_code == payee.branch_code.zfill(3))
        and (not payee.account_type or account.account_type == payee.account_type)
    )


def _account(invoice: Invoice, creditor: Creditor, lookup: Lookup) -> CreditorBankAccount:
    accounts = lookup.accounts.get(creditor.pk, [])
    payee = invoice.payee_account
    if payee is None:
        default = next((a for a in accounts if a.is_default), None)
        if default is None:
            raise Refused("payee_account", f"{creditor.name}の振込口座が債権者マスタに登録されていません。")
        return default
    found = next((a for a in accounts if _same(payee, a)), None)
    if found is None:
        number = payee.account_number.zfill(7)
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


def _encumbrance(invoice: Invoice, creditor: Creditor, lookup: Lookup) -> Encumbrance | None:
    refs = set(_references(invoice))
    if not refs:
        return None
    named = [e for e in lookup.encumbrances if e.contract_number in refs or e.document.number_label in refs]
    found = next((e for e in named if e.creditor_id == creditor.pk), None)
    if found is None and named:
        raise Refused(
            "order_reference", f"参照番号（{'・'.join(sorted(refs))}）の支出負担行為の債権者が請求者と異なります。"
        )
    return found


def match_invoice(actor: User, invoice: Invoice, lookup: Lookup | None = None) -> Match:
    """The creditor, account and charge of ``invoice`` for ``actor``'s section; raises ``Refused``."""
    lookup = lookup or lookup_for(actor, [invoice])
    creditor = _creditor(invoice, lookup)
    account = _account(invoice, creditor, lookup)
    encumbrance = _encumbrance(invoice, creditor, lookup)
    if encumbrance is not None:
        return Match(creditor, account, encumbrance, None)
    line = lookup.defaults.get(creditor.pk)
    if line is None:
        refs = "・".join(_references(invoice)) or "なし"
        raise Refused(
            "order_reference",
            f"請求書の参照番号（{refs}）に当たる支出負担行為がなく、{creditor.name}の既定の予算科目も"
            "設定されていません。",
        )
    return Match(creditor, account, None, line)
