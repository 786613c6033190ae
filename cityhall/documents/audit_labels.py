"""Names of the documents' audit actions and links to the documents (文書の監査ログ表示名)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cityhall.core.audit.labels import AuditLabels, ErasedContent, int_ids
from cityhall.documents.models import Disposition, Document, Receipt
from cityhall.documents.selectors import visible_documents
from cityhall.documents.selectors_receipts import receipts_for


def _document_links(user: Any, ids: Sequence[str]) -> dict[str, str]:
    """Links to the documents the user may see (the same rule as the document page)."""
    pks = visible_documents(user).filter(pk__in=int_ids(ids)).values_list("pk", flat=True)
    return {str(pk): reverse("documents:detail", args=[pk]) for pk in pks}


def _rule_links(user: Any, ids: Sequence[str]) -> dict[str, str]:
    """Links to the rows of the 事務決裁規程 (a public regulation: every member of staff may read it)."""
    url = reverse("documents:delegation_rules")
    return {pk: f"{url}?show=all#rule-{pk}" for pk in ids}


def _receipt_links(user: Any, ids: Sequence[str]) -> dict[str, str]:
    """Links to the received documents the user may see (the same rule as the receipt page)."""
    pks = receipts_for(user).filter(pk__in=int_ids(ids)).values_list("pk", flat=True)
    return {str(pk): reverse("documents:receipt", args=[pk]) for pk in pks}


def _disposed(model: type[Document] | type[Receipt]) -> Callable[[Sequence[str]], set[str]]:
    """Which of the ids are disposed of (廃棄済): their content is gone, from the audit trail's display too."""

    def erased_ids(ids: Sequence[str]) -> set[str]:
        rows = model.objects.filter(pk__in=int_ids(ids), disposition=Disposition.DISPOSED)
        return {str(pk) for pk in rows.values_list("pk", flat=True)}

    return erased_ids


LABELS = AuditLabels(
    actions={
        "documents.document.create": _("起案"),
        "documents.document.update": _("起案の修正"),
        "documents.document.timestamp": _("長期署名のタイムスタンプの追加"),
        "documents.document.submit": _("回議に付す"),
        "documents.document.resubmit": _("再回議"),
        "documents.document.approve": _("承認"),
        "documents.document.decide": _("決裁"),
        "documents.document.decide_proxy": _("代決"),
        "documents.document.consult_agreed": _("合議（合意）"),
        "documents.document.consult_objected": _("合議（異議）"),
        "documents.document.send_back": _("差戻し"),
        "documents.document.reject": _("却下"),
        "documents.document.pull_back": _("引戻し"),
        "documents.document.pull_back_approval": _("承認の引戻し"),
        "documents.document.withdraw": _("取下げ"),
        "documents.document.skip_absent": _("不在者の省略"),
        "documents.document.issue": _("施行"),
        "documents.document.close": _("完結"),
        "documents.document.retention_extend": _("保存期間の延長"),
        "documents.document.formal_addition": _("決裁後の追記"),
        "documents.document.paper_register": _("紙決裁の登録"),
        "documents.document.paper_import": _("旧文書管理簿からの移行"),
        "documents.document.demo_history": _("デモの過去の決裁（一括登録）"),
        "documents.document.dispose": _("廃棄"),
        "documents.document.transfer": _("移管"),
        "documents.document.sign": _("署名済みPDFの作成"),
        "documents.document.view": _("閲覧（個人情報あり）"),
        "documents.document.download": _("ダウンロード（個人情報あり）"),
        "documents.post_review.complete": _("後閲"),
        "documents.comment.add": _("意見の記入"),
        "documents.attachment.add": _("添付ファイルの追加"),
        "documents.attachment.remove": _("添付ファイルの削除"),
        "documents.attachment.remote_view": _("庁外での透かし入り表示"),
        "documents.receipt.register": _("収受の登録"),
        "documents.receipt.circulate": _("収受文書の供覧"),
        "documents.receipt.answer": _("収受文書への回答起案"),
        "documents.receipt.seen": _("収受文書の閲覧（閲）"),
        "documents.receipt.close": _("収受文書の完結（文書分類・保存期間）"),
        "documents.receipt.cancel": _("収受の取消"),
        "documents.receipt.answer_release": _("回答の起案の取下げ・却下による収受文書の回答待ちへの戻し"),
        "documents.receipt.file_add": _("収受文書のファイルの追加"),
        "documents.receipt.file_remove": _("収受文書のファイルの削除"),
        "documents.receipt.import": _("オンライン申請の取込"),
        "documents.receipt.import_preview": _("オンライン申請の取込の確認"),
        "documents.receipt.view": _("収受文書の閲覧（個人情報あり）"),
        "documents.receipt.download": _("収受文書のダウンロード（個人情報あり）"),
        "documents.receipt.dispose": _("収受文書の廃棄（回答文書とともに）"),
        "documents.receipt.transfer": _("収受文書の移管（回答文書とともに）"),
        "documents.disposal_list.create": _("廃棄・移管リストの作成"),
        "documents.disposal_list.choose": _("廃棄・移管の選択（歴史公文書の選別）"),
        "documents.disposal_list.apply": _("廃棄・移管の実施"),
        "documents.file_plan.create": _("文書分類の追加"),
        "documents.file_plan.update": _("文書分類の変更"),
        "documents.file_plan.end": _("文書分類の廃止"),
        "documents.document.store": _("書庫への収納"),
        "documents.storeroom.create": _("書庫の登録"),
        "documents.storage_box.create": _("文書保存箱の登録"),
        "documents.loan.lend": _("借覧の貸出"),
        "documents.loan.return": _("借覧の返却"),
        "documents.disposal_list.package_download": _("移管パッケージのダウンロード"),
        "documents.saved_route.create": _("よく使うルートの保存"),
        "documents.saved_route.delete": _("よく使うルートの削除"),
        "documents.export": _("文書の書き出し"),
        "documents.defaults": _("文書の初期設定"),
        "documents.delegation_rule.add": _("事務決裁規程の行の追加"),
        "documents.delegation_rule.change": _("事務決裁規程の改正"),
        "documents.delegation_rule.end": _("事務決裁規程の行の廃止"),
        "documents.delegation_rule.cancel": _("事務決裁規程の行の取消"),
        "documents.delegation_rule.reopen": _("事務決裁規程の行の復活（改正の取消）"),
    },
    object_types={
        "documents.document": _("文書"),
        "documents": _("文書管理"),
        "documents.delegationrule": _("事務決裁規程"),
        "documents.receipt": _("収受文書"),
        "documents.receiptfile": _("収受文書のファイル"),
        "documents.receiptreader": _("収受文書の供覧先"),
        "documents.fileplanclass": _("文書分類"),
        "documents.storeroom": _("書庫"),
        "documents.storagebox": _("文書保存箱"),
        "documents.recordloan": _("借覧"),
    },
    links={
        "documents.document": _document_links,
        "documents.delegationrule": _rule_links,
        "documents.receipt": _receipt_links,
    },
    erased={
        "documents.document": ErasedContent(keys=("body",), erased_ids=_disposed(Document)),
        "documents.receipt": ErasedContent(keys=("sender_address",), erased_ids=_disposed(Receipt)),
    },
)
