"""The telework app's writes by sub-domain: ``policy`` (リモートアクセスの方針), ``inventory``, ``survey``."""

from cityhall.telework.services.policy import CHANGE, LOCK_OUT, RuleInput, field_name, remote_policy_set

__all__ = ["CHANGE", "LOCK_OUT", "RuleInput", "field_name", "remote_policy_set"]
