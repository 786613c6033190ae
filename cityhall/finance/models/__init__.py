"""Models of financial accounting (財務会計)."""

from cityhall.finance.models.budget import (
    PARENT_LEVEL,
    Account,
    AccountKind,
    Allotment,
    BudgetAmount,
    BudgetClassification,
    BudgetKind,
    BudgetLine,
    BudgetVersion,
    Level,
)
from cityhall.finance.models.creditors import AccountType, Creditor, CreditorBankAccount
from cityhall.finance.models.encumbrance import ContractMethod, Encumbrance
from cityhall.finance.models.payment import (
    SELF_COMMITTING_KINDS,
    BatchStatus,
    OrderKind,
    PaymentBatch,
    PaymentMethod,
    PaymentOrder,
    PaymentOrderLine,
    ReviewStatus,
    TaxRate,
)
from cityhall.finance.models.transfer import BudgetTransfer, TransferKind

__all__ = [
    "PARENT_LEVEL",
    "SELF_COMMITTING_KINDS",
    "Account",
    "AccountKind",
    "AccountType",
    "Allotment",
    "BatchStatus",
    "BudgetAmount",
    "BudgetClassification",
    "BudgetKind",
    "BudgetLine",
    "BudgetTransfer",
    "BudgetVersion",
    "ContractMethod",
    "Creditor",
    "CreditorBankAccount",
    "Encumbrance",
    "Level",
    "OrderKind",
    "PaymentBatch",
    "PaymentMethod",
    "PaymentOrder",
    "PaymentOrderLine",
    "ReviewStatus",
    "TaxRate",
    "TransferKind",
]
