"""Models of financial accounting (財務会計)."""

from cityhall.finance.models.batches import BatchStatus, PaymentBatch
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
    heading_code,
)
from cityhall.finance.models.creditors import AccountType, Creditor, CreditorBankAccount
from cityhall.finance.models.encumbrances import ContractMethod, Encumbrance
from cityhall.finance.models.movements import BudgetTransfer, TransferKind
from cityhall.finance.models.payment_orders import (
    SELF_COMMITTING_KINDS,
    TIMED_METHODS,
    OrderKind,
    PaymentMethod,
    PaymentOrder,
    PaymentOrderLine,
    PaymentTiming,
    PrepayGround,
    ReviewStatus,
    TaxRate,
)
from cityhall.finance.models.settlements import OrderRefund, OrderSettlement, SettlementReceipt

__all__ = [
    "PARENT_LEVEL",
    "SELF_COMMITTING_KINDS",
    "TIMED_METHODS",
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
    "OrderRefund",
    "OrderSettlement",
    "PaymentBatch",
    "PaymentMethod",
    "PaymentOrder",
    "PaymentOrderLine",
    "PaymentTiming",
    "PrepayGround",
    "ReviewStatus",
    "SettlementReceipt",
    "TaxRate",
    "TransferKind",
    "heading_code",
]
