"""The telework app's writes by sub-domain: ``policy`` (the remote-access policy and the limits of telework
days as IT sets them), ``requests`` (テレワークの申請), ``inventory`` (業務棚卸し), ``survey``."""

from cityhall.telework.services.policy import (
    CHANGE,
    LIMITS_CHANGE,
    LOCK_OUT,
    LimitsInput,
    RuleInput,
    field_name,
    remote_policy_set,
    telework_limits_set,
)
from cityhall.telework.services.requests import REQUEST_TYPE, RequestInput, request_draft, request_update

__all__ = [
    "CHANGE",
    "LIMITS_CHANGE",
    "LOCK_OUT",
    "REQUEST_TYPE",
    "LimitsInput",
    "RequestInput",
    "RuleInput",
    "field_name",
    "remote_policy_set",
    "request_draft",
    "request_update",
    "telework_limits_set",
]
