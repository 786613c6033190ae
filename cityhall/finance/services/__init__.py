"""Write services of financial accounting (財務会計のサービス).

Every public service takes a keyword-only ``actor``, runs in its own
``transaction.atomic(durable=True)``, writes its audit entry in the same
transaction and raises ``cityhall.core.errors`` exceptions with Japanese messages.
``require_user``, ``require_finance_staff`` and ``today`` are the actor checks and acting day that
the services of apps built on finance (automation) use as finance's own do.
"""

from cityhall.finance.services._common import acting_day, acting_on, require_finance_staff, require_user, today
from cityhall.finance.services.allotments import allotment_set
from cityhall.finance.services.batches import ExportResult, batch_export, batch_file, batch_mark_paid
from cityhall.finance.services.budget import (
    budget_line_create,
    budget_version_create,
    heading_create,
    setsu_lock,
)
from cityhall.finance.services.carry_overs import carry_over_draft
from cityhall.finance.services.carry_plan import (
    carry_allowance_create,
    carry_statements_export,
    continuing_expense_create,
)
from cityhall.finance.services.creditor_accounts import (
    BankAccountResult,
    creditor_bank_account_add,
    creditor_bank_account_deactivate,
    creditor_bank_account_reactivate,
    creditor_bank_account_set_default,
)
from cityhall.finance.services.creditors import BankAccountInput, CreditorResult, creditor_create
from cityhall.finance.services.encumbrance_changes import CHANGE_TYPE, encumbrance_change_draft
from cityhall.finance.services.encumbrances import (
    ENCUMBRANCE_TYPE,
    encumbrance_amend,
    encumbrance_cancel,
    encumbrance_draft,
    encumbrance_update,
)
from cityhall.finance.services.movements import (
    CARRY_TYPE,
    RESERVE_TYPE,
    TRANSFER_TYPE,
    reserve_use_draft,
    transfer_draft,
)
from cityhall.finance.services.payment_methods import ReceiptInput, order_refund, order_settle
from cityhall.finance.services.payment_order_checks import OrderLineInput
from cityhall.finance.services.payment_orders import PAYMENT_ORDER_TYPE, payment_order_draft, payment_order_update
from cityhall.finance.services.review import (
    order_review_approve,
    order_review_return,
    order_review_return_approved,
)

__all__ = [
    "CARRY_TYPE",
    "CHANGE_TYPE",
    "ENCUMBRANCE_TYPE",
    "PAYMENT_ORDER_TYPE",
    "RESERVE_TYPE",
    "TRANSFER_TYPE",
    "BankAccountInput",
    "BankAccountResult",
    "CreditorResult",
    "ExportResult",
    "OrderLineInput",
    "ReceiptInput",
    "acting_day",
    "acting_on",
    "allotment_set",
    "batch_export",
    "batch_file",
    "batch_mark_paid",
    "budget_line_create",
    "budget_version_create",
    "carry_allowance_create",
    "carry_over_draft",
    "carry_statements_export",
    "continuing_expense_create",
    "creditor_bank_account_add",
    "creditor_bank_account_deactivate",
    "creditor_bank_account_reactivate",
    "creditor_bank_account_set_default",
    "creditor_create",
    "encumbrance_amend",
    "encumbrance_cancel",
    "encumbrance_change_draft",
    "encumbrance_draft",
    "encumbrance_update",
    "heading_create",
    "order_refund",
    "order_review_approve",
    "order_review_return",
    "order_review_return_approved",
    "order_settle",
    "payment_order_draft",
    "payment_order_update",
    "require_finance_staff",
    "require_user",
    "reserve_use_draft",
    "setsu_lock",
    "today",
    "transfer_draft",
]
