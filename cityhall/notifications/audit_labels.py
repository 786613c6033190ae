"""Names of the notification audit actions (お知らせの監査ログ表示名)."""

from django.utils.translation import gettext_lazy as _

from cityhall.core.audit.labels import AuditLabels

LABELS = AuditLabels(
    actions={"notification.send": _("お知らせの送信"), "notification.read": _("お知らせの既読")},
    object_types={"notifications.notification": _("お知らせ")},
)
