"""Names of the organisation's audit actions (組織の監査ログ表示名)."""

from django.utils.translation import gettext_lazy as _

from cityhall.core.audit.labels import AuditLabels

LABELS = AuditLabels(
    actions={
        "org.seed_demo": _("デモ市の投入"),
        "org.unit.create": _("組織の新設"),
        "org.unit.update": _("組織の変更"),
        "org.unit.abolish": _("組織の廃止"),
        "org.assignment.create": _("発令（配置）"),
        "org.assignment.end": _("配置の終了"),
        "org.absence.create": _("不在の登録"),
        "org.role.grant": _("権限の付与"),
        "org.role.revoke": _("権限の取消"),
    },
)
