"""The telework app's models by sub-domain: ``policy`` (リモートアクセスの方針: one rule per data class and
role; the limits of telework days), ``requests`` (テレワークの申請 and its days)."""

from cityhall.telework.models.policy import RemoteRule, TeleworkLimits
from cityhall.telework.models.requests import TeleworkDay, TeleworkRequest

__all__ = ["RemoteRule", "TeleworkDay", "TeleworkLimits", "TeleworkRequest"]
