from django.apps import AppConfig


class AuditRoomConfig(AppConfig):
    """Audit room: the audit trail, filtered, exported and verified, for auditors and IT (監査室)."""

    name = "cityhall.auditroom"
    label = "auditroom"
    verbose_name = "監査室"
