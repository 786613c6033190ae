"""The telework app's models by sub-domain: ``policy`` (リモートアクセスの方針), ``inventory``, ``survey``."""

from cityhall.telework.models.inventory import InventoryTask, Obstacle
from cityhall.telework.models.policy import RemoteRule
from cityhall.telework.models.survey import EligibilityRules, SurveyAnswer

__all__ = ["EligibilityRules", "InventoryTask", "Obstacle", "RemoteRule", "SurveyAnswer"]
