"""Write services of financial accounting (財務会計のサービス).

Every public service takes a keyword-only ``actor``, runs in its own
``transaction.atomic(durable=True)``, writes its audit entry in the same
transaction and raises ``cityhall.core.errors`` exceptions with Japanese messages.
``require_user``, ``require_finance_staff`` and ``today`` are the actor checks and acting day that
the services of apps built on finance (automation) use as finance's own do.

The services are imported when first named (PEP 562): ``from cityhall.finance.services import
batch_export`` imports ``batches`` and what it needs, not every sub-domain, so that a command such as
``export_zengin`` starts without reading them all. A sub-module is imported when named too
(``services.inspection``). For type checkers the names are imported as usual.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_MODULE_OF: dict[str, str] = {
    "acting_day": "_common",
    "acting_on": "_common",
    "require_finance_staff": "_common",
    "require_user": "_common",
    "today": "_common",
    "allotment_set": "allotments",
    "ExportResult": "batches",
    "batch_export": "batches",
    "batch_file": "batches",
    "batch_mark_paid": "batches",
    "budget_line_create": "budget",
    "budget_version_create": "budget",
    "heading_create": "budget",
    "setsu_lock": "budget",
    "carry_over_draft": "carry_overs",
    "carry_allowance_create": "carry_plan",
    "carry_statements_export": "carry_plan",
    "continuing_expense_create": "carry_plan",
    "BankAccountResult": "creditor_accounts",
    "creditor_bank_account_add": "creditor_accounts",
    "creditor_bank_account_deactivate": "creditor_accounts",
    "creditor_bank_account_reactivate": "creditor_accounts",
    "creditor_bank_account_set_default": "creditor_accounts",
    "BankAccountInput": "creditors",
    "CreditorResult": "creditors",
    "creditor_create": "creditors",
    "CHANGE_TYPE": "encumbrance_changes",
    "encumbrance_change_draft": "encumbrance_changes",
    "ENCUMBRANCE_TYPE": "encumbrances",
    "encumbrance_amend": "encumbrances",
    "encumbrance_cancel": "encumbrances",
    "encumbrance_draft": "encumbrances",
    "encumbrance_update": "encumbrances",
    "CARRY_TYPE": "movements",
    "RESERVE_TYPE": "movements",
    "TRANSFER_TYPE": "movements",
    "reserve_use_draft": "movements",
    "transfer_draft": "movements",
    "ReceiptInput": "payment_methods",
    "order_refund": "payment_methods",
    "order_settle": "payment_methods",
    "OrderLineInput": "payment_order_checks",
    "PAYMENT_ORDER_TYPE": "payment_orders",
    "payment_order_draft": "payment_orders",
    "payment_order_update": "payment_orders",
    "order_review_approve": "review",
    "order_review_return": "review",
    "order_review_return_approved": "review",
}
"""Where each public name lives (module of this package)."""


def __getattr__(name: str) -> Any:
    """A public name or sub-module, imported on first use and kept (the module's attribute from then on)."""
    if name in _MODULE_OF:
        value = getattr(import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
    else:
        try:
            value = import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value
    return value


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
