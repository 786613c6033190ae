"""Names of telework's audit actions (テレワークの監査ログ表示名)."""

from django.utils.translation import gettext_lazy as _

from cityhall.core.audit.labels import AuditLabels

LABELS = AuditLabels(
    actions={
        "telework.policy.change": _("リモートアクセスの方針の変更"),
        "telework.limits.change": _("テレワークの上限の変更"),
        "telework.request.create": _("テレワーク申請の作成"),
    },
    object_types={
        "telework.remoterule": _("リモートアクセスの方針"),
        "telework.teleworklimits": _("テレワークの上限"),
        "telework.teleworkrequest": _("テレワーク申請"),
    },
)
