"""Write services of financial accounting (財務会計のサービス).

Every public service takes a keyword-only ``actor``, runs in its own
``transaction.atomic(durable=True)``, writes its audit entry in the same
transaction and raises ``cityhall.core.errors`` exceptions with Japanese messages.
"""

from cityhall.finance.services.budget import (
    allotment_set,
    budget_line_create,
    budget_version_create,
    heading_create,
    setsu_lock,
)
from cityhall.finance.services.creditors import (
    BankAccountInput,
    CreditorResult,
    creditor_bank_account_add,
    creditor_create,
)
from cityhall.finance.services.encumbrance import (
    ENCUMBRANCE_TYPE,
    encumbrance_amend,
    encumbrance_cancel,
    encumbrance_draft,
)
from cityhall.finance.services.transfer import TRANSFER_TYPE, transfer_draft

__all__ = [
    "ENCUMBRANCE_TYPE",
    "TRANSFER_TYPE",
    "BankAccountInput",
    "CreditorResult",
    "allotment_set",
    "budget_line_create",
    "budget_version_create",
    "creditor_bank_account_add",
    "creditor_create",
    "encumbrance_amend",
    "encumbrance_cancel",
    "encumbrance_draft",
    "heading_create",
    "setsu_lock",
    "transfer_draft",
]
