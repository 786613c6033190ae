"""Every switch-over kind, imported once at start-up (``AutomationConfig.ready``) so they register."""

from cityhall.automation.switchover import creditors, register

__all__ = ["creditors", "register"]
