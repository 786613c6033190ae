"""Names of the automation audit actions (請求書の取込の監査ログ表示名)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cityhall.core.audit.labels import AuditLabels

LABELS = AuditLabels(
    actions={
        "automation.import.create": _("請求書の取込（支出命令の一括起案）"),
        "automation.job.start": _("請求書の取込の受付"),
        "automation.report.download": _("取込結果のダウンロード"),
        "automation.original.view": _("請求書の原本の閲覧"),
        "automation.recurring.create": _("定例支払の登録"),
        "automation.recurring.month": _("定例支払の一括起案"),
        "automation.supplier_default.set": _("取引先の既定の予算科目の設定"),
        "automation.supplier_mapping.set": _("取引先の読み取り形式（CSV・Excel）の設定"),
        "automation.switchover.start": _("移行データの取込の受付"),
        "automation.switchover.import": _("移行データの取込（一括登録）"),
        "automation.switchover.layout": _("移行データの列の設定"),
        "automation.switchover.report": _("移行データの取込結果のダウンロード"),
    },
    object_types={"automation": _("請求書の取込")},
    links={},
)
