"""Names of telework's audit actions (テレワークの監査ログ表示名)."""

from django.utils.translation import gettext_lazy as _

from cityhall.core.audit.labels import AuditLabels

LABELS = AuditLabels(
    actions={
        "telework.policy.change": _("リモートアクセスの方針の変更"),
        "telework.limits.change": _("テレワークの上限の変更"),
        "telework.request.create": _("テレワーク申請の作成"),
        "telework.request.update": _("テレワーク申請の修正"),
        "telework.inventory.create": _("業務棚卸しの業務の追加"),
        "telework.inventory.update": _("業務棚卸しの業務の変更"),
        "telework.inventory.delete": _("業務棚卸しの業務の削除"),
        "telework.inventory.import": _("業務棚卸しの取込"),
        "telework.survey.answer": _("テレワーク環境の調査への回答"),
        "telework.rules.change": _("テレワークの対象要件の変更"),
    },
    object_types={
        "telework.remoterule": _("リモートアクセスの方針"),
        "telework.teleworklimits": _("テレワークの上限"),
        "telework.teleworkrequest": _("テレワーク申請"),
        "telework.inventorytask": _("業務棚卸しの業務"),
        "telework.surveyanswer": _("テレワーク環境の回答"),
        "telework.eligibilityrules": _("テレワークの対象要件"),
    },
)
