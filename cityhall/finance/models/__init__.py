"""Models of financial accounting (財務会計)."""

from cityhall.finance.models.budget import (
    PARENT_LEVEL,
    Account,
    AccountKind,
    Allotment,
    BudgetAmount,
    BudgetClassification,
    BudgetLine,
    BudgetVersion,
    Level,
)
from cityhall.finance.models.creditors import AccountType, Creditor, CreditorBankAccount
from cityhall.finance.models.encumbrance import ContractMethod, Encumbrance
from cityhall.finance.models.transfer import BudgetTransfer

__all__ = [
    "PARENT_LEVEL",
    "Account",
    "AccountKind",
    "AccountType",
    "Allotment",
    "BudgetAmount",
    "BudgetClassification",
    "BudgetLine",
    "BudgetTransfer",
    "BudgetVersion",
    "ContractMethod",
    "Creditor",
    "CreditorBankAccount",
    "Encumbrance",
    "Level",
]
