"""The payee's bank account as JP PINT writes it (振込先口座), private to ``einvoice``.

JP PINT has one text for the account (``PayeeFinancialAccount/ID``, IBT-084) and one for the
payment service provider (``FinancialInstitutionBranch/ID``, IBT-086); Japan has no IBAN, so
sellers write the 全銀 codes in one of two ways, both read here:

* everything in the account ID, ``bank:branch:type:account`` (``0001:001:1:1234567``: bank code
  4 digits, branch code 3, account type 1 普通 / 2 当座 / 4 貯蓄 / 9 その他, account number up to
  7 digits), the form of the published JP PINT examples;
* the account number alone, the branch ID holding bank and branch (``0001001``, ``0001-001``).

Codes are checked for shape only (digits and lengths); whether the bank and branch exist is for
the creditor master (``zengin-code``). The account number is zero-padded to the 7 digits of the
全銀 file. What cannot be read rejects the invoice (``payee_account``): a payment must never go
to an account guessed from a malformed text.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from cityhall.automation.einvoice._xml_values import shown
from cityhall.automation.einvoice.errors import InvoiceRejected

FIELD = "payee_account"
ACCOUNT_TYPES = {"1": "普通", "2": "当座", "4": "貯蓄", "9": "その他"}
_ACCOUNT_NUMBER = re.compile(r"[0-9]{1,7}")
_BANK_AND_BRANCH = re.compile(r"([0-9]{4})[-: ]?([0-9]{3})")
_FORMAT_HINT = "「金融機関コード:支店コード:預金種目:口座番号」（例: 0001:001:1:1234567）"


class AccountParts(NamedTuple):
    """The account as 全銀 needs it; bank and branch are None when the invoice does not say."""

    bank_code: str | None
    branch_code: str | None
    account_type: str | None
    account_number: str


def split_account(account_id: str, branch_id: str | None) -> AccountParts:
    """Bank, branch, type and number from the account ID and the branch ID as written."""
    account = _normalise(account_id)
    branch = _bank_and_branch(branch_id) if branch_id else None
    if ":" not in account:
        bank_code, branch_code = branch or (None, None)
        return AccountParts(bank_code, branch_code, None, _account_number(account, account_id))
    parts = _colon_form(account, account_id)
    if branch and branch != (parts.bank_code, parts.branch_code):
        raise InvoiceRejected(
            FIELD,
            f"口座「{shown(account_id)}」と金融機関・支店「{shown(branch_id or '')}」の"
            "金融機関コード・支店コードが一致しません。",
        )
    return parts


def _normalise(value: str) -> str:
    """Full-width digits and colons (「０００１：００１」) become ASCII; spaces go."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", value))


def _colon_form(account: str, written: str) -> AccountParts:
    fields = account.split(":")
    shapes = (r"[0-9]{4}", r"[0-9]{3}", "|".join(ACCOUNT_TYPES), _ACCOUNT_NUMBER.pattern)
    if len(fields) != 4 or not all(re.fullmatch(s, f) for s, f in zip(shapes, fields, strict=True)):
        raise InvoiceRejected(FIELD, f"口座「{shown(written)}」を {_FORMAT_HINT} として読めません。")
    bank, branch, kind, number = fields
    return AccountParts(bank, branch, kind, number.zfill(7))


def _account_number(account: str, written: str) -> str:
    if not _ACCOUNT_NUMBER.fullmatch(account):
        raise InvoiceRejected(
            FIELD, f"口座番号「{shown(written)}」は7桁までの数字か、{_FORMAT_HINT} で書かれていません。"
        )
    return account.zfill(7)


def _bank_and_branch(branch_id: str) -> tuple[str, str]:
    match = _BANK_AND_BRANCH.fullmatch(_normalise(branch_id))
    if not match:
        raise InvoiceRejected(
            FIELD,
            f"金融機関・支店「{shown(branch_id)}」を金融機関コード4桁と支店コード3桁（例: 0001001）として読めません。",
        )
    return match.group(1), match.group(2)
