"""Every switch-over kind, imported once at start-up (``AutomationConfig.ready``) so they register."""

from cityhall.automation.switchover import budget_book, creditors, register

__all__ = ["budget_book", "creditors", "register"]
