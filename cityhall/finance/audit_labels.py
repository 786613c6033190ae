"""Names of the finance audit actions and links to the finance records (財務会計の監査ログ表示名)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.core.audit.labels import AuditLabels, int_ids
from cityhall.finance.selectors.encumbrances import encumbrances_for
from cityhall.finance.selectors.payment_orders import payment_orders_for
from cityhall.org.models import Role
from cityhall.org.selectors import has_role


def _encumbrance_links(user: Any, ids: Sequence[str]) -> dict[str, str]:
    pks = encumbrances_for(user).filter(pk__in=int_ids(ids)).values_list("pk", flat=True)
    return {str(pk): reverse("finance:encumbrance", args=[pk]) for pk in pks}


def _payment_order_links(user: Any, ids: Sequence[str]) -> dict[str, str]:
    pks = payment_orders_for(user).filter(pk__in=int_ids(ids)).values_list("pk", flat=True)
    return {str(pk): reverse("finance:payment_order", args=[pk]) for pk in pks}


def _creditor_links(user: Any, ids: Sequence[str]) -> dict[str, str]:
    """Creditor pages are for the accounting office (会計) only."""
    if not has_role(user, Role.ACCOUNTING, on=timezone.localdate()):
        return {}
    return {str(pk): reverse("finance:creditor", args=[pk]) for pk in int_ids(ids)}


LABELS = AuditLabels(
    actions={
        "finance.defaults": _("財務会計の初期設定"),
        "finance.seed_demo.budget": _("デモ予算の投入"),
        "finance.version.create": _("予算（当初・補正）の登録"),
        "finance.heading.create": _("款項目節の登録"),
        "finance.heading.lock": _("款項目節の確定"),
        "finance.line.create": _("予算明細の登録"),
        "finance.allotment.set": _("予算の配当"),
        "finance.transfer.create": _("流用の起案"),
        "finance.reserve_use.create": _("予備費充用の起案"),
        "finance.carry_over.create": _("繰越の起案"),
        "finance.carry_allowance.create": _("繰越明許費の登録"),
        "finance.continuing.create": _("継続費（年割額）の登録"),
        "finance.carry_statement.download": _("繰越計算書の出力"),
        "finance.encumbrance.carry_out": _("支出負担行為の翌年度への繰越"),
        "finance.encumbrance.carry_in": _("繰越分の支出負担行為の設定"),
        "finance.allotment.carry": _("繰越による配当額の移動"),
        "finance.creditor.create": _("債権者の登録"),
        "finance.creditor.update": _("債権者の変更"),
        "finance.creditor.view": _("債権者の閲覧（口座情報）"),
        "finance.creditor.deactivate": _("債権者の使用停止"),
        "finance.creditor.reactivate": _("債権者の使用再開"),
        "finance.creditor.bank_account.add": _("振込口座の追加"),
        "finance.creditor.bank_account.default": _("既定の振込口座の変更"),
        "finance.creditor.bank_account.deactivate": _("振込口座の使用停止"),
        "finance.creditor.bank_account.reactivate": _("振込口座の使用再開"),
        "finance.creditor.bank_account.holder_name": _("口座名義の変更"),
        "finance.encumbrance.create": _("支出負担行為の起案"),
        "finance.encumbrance.update": _("支出負担行為の修正"),
        "finance.encumbrance.amend": _("支出負担行為の変更（減額）"),
        "finance.encumbrance.cancel": _("支出負担行為の取消"),
        "finance.encumbrance_change.create": _("変更契約（支出負担行為の変更）の起案"),
        "finance.encumbrance.change": _("変更契約の決裁による金額の変更"),
        "finance.payment_order.create": _("支出命令の起案"),
        "finance.payment_order.update": _("支出命令の修正"),
        "finance.payment_order.redraft": _("支出命令の再起案"),
        "finance.payment_order.settle": _("資金前渡・概算払の精算"),
        "finance.payment_order.refund": _("戻入"),
        "finance.payment_order.review_approve": _("会計管理者審査（確認）"),
        "finance.payment_order.review_return": _("会計管理者審査（返戻）"),
        "finance.payment_batch.create": _("支払データの作成"),
        "finance.payment_batch.delete": _("支払データの削除"),
        "finance.payment_batch.export": _("支払データ（全銀）の書き出し"),
        "finance.payment_batch.download": _("支払データ（全銀）のダウンロード"),
        "finance.payment_batch.mark_paid": _("支払済の記録"),
        "finance.account.set_paying_account": _("会計の支払口座の設定"),
        "finance.withholding.receive": _("源泉所得税の受入（歳計外現金）"),
        "finance.withholding.remit": _("源泉所得税の納付（歳計外現金の払出）"),
        "finance.withholding.statements": _("支払調書一覧のダウンロード"),
        "finance.inspection_report.download": _("検査調書（PDF）の出力"),
    },
    object_types={
        "finance": _("財務会計"),
        "finance.encumbrancechange": _("変更契約"),
        "finance.carryallowance": _("繰越明許費"),
        "finance.continuingexpense": _("継続費"),
    },
    links={
        "finance.encumbrance": _encumbrance_links,
        "finance.paymentorder": _payment_order_links,
        "finance.creditor": _creditor_links,
    },
)
