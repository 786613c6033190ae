"""Names of core's audit actions (監査ログの表示名): the chain's own checks and the admin site's writes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cityhall.core.audit.labels import AuditLabels, Label, object_type_label

_ADMIN_VERBS = {
    "create": _("登録"),
    "update": _("変更"),
    "delete": _("削除"),
    "relations": _("関連の変更"),
    "password": _("パスワード変更"),
}


def _admin_action(name: str) -> Label | None:
    """``admin.<app>.<model>.<verb>`` (``core.admin_audit``) reads 「管理画面: 職員 の変更」."""
    parts = name.split(".")
    if len(parts) != 4 or parts[0] != "admin" or parts[3] not in _ADMIN_VERBS:
        return None
    names = {"type": object_type_label(f"{parts[1]}.{parts[2]}"), "verb": _ADMIN_VERBS[parts[3]]}
    return _("管理画面: %(type)s の%(verb)s") % names


LABELS = AuditLabels(
    actions={
        "core.audit.verify": _("監査ログの検証"),
        "core.audit.anchor": _("監査ログのアンカー書き出し"),
        "security.untrusted_forwarded_header": _("信頼できない転送ヘッダーの検出"),
    },
    object_types={"core.auditentry": _("監査ログ")},
    compose=_admin_action,
)
