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
    PayingAccountType,
    heading_code,
)
from cityhall.finance.models.carry import CarryAllowance, ContinuingExpense, ContinuingInstallment
from cityhall.finance.models.creditors import AccountType, Creditor, CreditorBankAccount
from cityhall.finance.models.encumbrances import (
    CONTRACT_METHODS,
    ContractKind,
    ContractMethod,
    Encumbrance,
    EncumbranceChange,
    NegotiatedGround,
)
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
from cityhall.finance.models.withholding import EntryKind, WithholdingEntry, WithholdingRemittance

__all__ = [
    "CONTRACT_METHODS",
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
    "CarryAllowance",
    "ContinuingExpense",
    "ContinuingInstallment",
    "ContractKind",
    "ContractMethod",
    "Creditor",
    "CreditorBankAccount",
    "Encumbrance",
    "EncumbranceChange",
    "EntryKind",
    "Level",
    "NegotiatedGround",
    "OrderKind",
    "OrderRefund",
    "OrderSettlement",
    "PayingAccountType",
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
    "WithholdingEntry",
    "WithholdingRemittance",
    "heading_code",
]
