"""The telework app's reads by sub-domain: ``policy`` (the rules as the policy screen shows them),
``requests`` (テレワークの申請, the limits' counts, the calendar, the day check)."""

from cityhall.telework.selectors.policy import ROLES, ClassRow, policy_rows

__all__ = ["ROLES", "ClassRow", "policy_rows"]
