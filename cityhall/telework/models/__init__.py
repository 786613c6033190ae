"""The telework app's models by sub-domain: ``policy`` (リモートアクセスの方針: one rule per data class and role)."""

from cityhall.telework.models.policy import RemoteRule

__all__ = ["RemoteRule"]
