"""Names of the ledger's audit actions (削減時間の台帳の監査ログ表示名)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cityhall.core.audit.labels import AuditLabels

LABELS = AuditLabels(
    actions={"savings.record": _("削減時間の記録")},
    object_types={"savings": _("削減時間")},
    links={},
)
