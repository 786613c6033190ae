"""Names of telework's audit actions (テレワークの監査ログ表示名)."""

from django.utils.translation import gettext_lazy as _

from cityhall.core.audit.labels import AuditLabels

LABELS = AuditLabels(
    actions={"telework.policy.change": _("リモートアクセスの方針の変更")},
    object_types={"telework.remoterule": _("リモートアクセスの方針")},
)
