"""The telework app's reads by sub-domain: ``policy`` (the rules as the policy screen shows them)."""

from cityhall.telework.selectors.policy import ROLES, ClassRow, policy_rows

__all__ = ["ROLES", "ClassRow", "policy_rows"]
