"""The telework app's models by sub-domain: ``policy`` (リモートアクセスの方針: one rule per data class and
role; the limits of telework days), ``requests`` (テレワークの申請 and its days), ``inventory`` (業務棚卸し),
``survey`` (テレワーク環境の調査 and the eligibility rules)."""

from cityhall.telework.models.inventory import InventoryTask, Obstacle
from cityhall.telework.models.policy import RemoteRule, TeleworkLimits
from cityhall.telework.models.requests import TeleworkDay, TeleworkRequest
from cityhall.telework.models.survey import EligibilityRules, SurveyAnswer

__all__ = [
    "EligibilityRules",
    "InventoryTask",
    "Obstacle",
    "RemoteRule",
    "SurveyAnswer",
    "TeleworkDay",
    "TeleworkLimits",
    "TeleworkRequest",
]
