"""Models of the core app; the audit entry lives in ``cityhall.core.audit``."""

from cityhall.core.audit.models import AuditEntry

__all__ = ["AuditEntry"]
