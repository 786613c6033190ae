"""Names of the audit room's own audit actions (監査室の監査ログ表示名)."""

from django.utils.translation import gettext_lazy as _

from cityhall.core.audit.labels import AuditLabels

LABELS = AuditLabels(
    actions={
        "auditroom.view": _("監査ログの閲覧"),
        "auditroom.export": _("監査ログの書き出し"),
        "auditroom.verify_request": _("監査ログの検証の依頼"),
    },
)
