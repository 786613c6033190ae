"""Names of the inquiries' audit actions and links to their records (財産照会の監査ログ表示名).

A link is given only to whoever may open the record (its section's tax collectors): the audit room's
readers see that a person was viewed, by whom and where, and the person's number, never the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cityhall.core.audit.labels import AuditLabels, int_ids
from cityhall.inquiries.access import section_ids
from cityhall.inquiries.models import DelinquentPerson, InquiryBatch, Letter, PersonImport


def _person_links(user: Any, ids: Sequence[str]) -> dict[str, str]:
    rows = DelinquentPerson.objects.filter(pk__in=int_ids(ids), section_id__in=section_ids(user))
    return {str(pk): reverse("inquiries:person", args=[pk]) for pk in rows.values_list("pk", flat=True)}


def _batch_links(user: Any, ids: Sequence[str]) -> dict[str, str]:
    rows = InquiryBatch.objects.filter(pk__in=int_ids(ids), section_id__in=section_ids(user))
    return {str(pk): reverse("inquiries:batch", args=[pk]) for pk in rows.values_list("pk", flat=True)}


def _import_links(user: Any, ids: Sequence[str]) -> dict[str, str]:
    rows = PersonImport.objects.filter(pk__in=int_ids(ids), section_id__in=section_ids(user))
    return {str(pk): reverse("inquiries:person_import", args=[pk]) for pk in rows.values_list("pk", flat=True)}


def _letter_links(user: Any, ids: Sequence[str]) -> dict[str, str]:
    rows = Letter.objects.filter(pk__in=int_ids(ids), batch__section_id__in=section_ids(user))
    return {str(pk): reverse("inquiries:letter", args=[batch, pk]) for pk, batch in rows.values_list("pk", "batch_id")}


def _institution_links(user: Any, ids: Sequence[str]) -> dict[str, str]:
    if not section_ids(user):
        return {}
    return {str(pk): reverse("inquiries:institution_edit", args=[pk]) for pk in int_ids(ids)}


LABELS = AuditLabels(
    actions={
        "inquiries.person.create": _("滞納者の登録"),
        "inquiries.person.update": _("滞納者の修正"),
        "inquiries.person.view": _("滞納者情報の閲覧"),
        "inquiries.institution.create": _("照会先の登録"),
        "inquiries.institution.update": _("照会先の変更"),
        "inquiries.institution.deactivate": _("照会先の停止"),
        "inquiries.batch.create": _("預貯金等照会の起案"),
        "inquiries.person_import": _("滞納者一覧の取込"),
        "inquiries.person_import.view": _("滞納者一覧の取込結果の閲覧"),
        "inquiries.person_import.layout": _("滞納者一覧の列の設定"),
        "inquiries.answer.import": _("回答ファイルの取込"),
        "inquiries.answer.enter": _("回答書の入力"),
        "inquiries.answer.decide": _("回答の照合の確定"),
        "inquiries.answer.view": _("回答の閲覧"),
        "inquiries.answer.layout": _("回答ファイルの列の設定"),
        "inquiries.seizure.view": _("差押予定一覧の閲覧"),
        "inquiries.seizure.export": _("差押予定一覧の書き出し"),
        "inquiries.batch.letters": _("照会書の番号付けと送付日"),
        "inquiries.letter.files": _("照会書・照会ファイルの作成"),
        "inquiries.letter.download": _("照会書・照会ファイルのダウンロード"),
        "inquiries.letter.remind": _("照会書の督促"),
    },
    object_types={
        "inquiries.delinquentperson": _("滞納者"),
        "inquiries.institution": _("照会先"),
        "inquiries.inquirybatch": _("預貯金等照会"),
        "inquiries.personimport": _("滞納者一覧の取込"),
        "inquiries.personimportlayout": _("滞納者一覧の列の設定"),
        "inquiries.answerfile": _("回答ファイル"),
        "inquiries.answer": _("回答"),
        "inquiries.letter": _("照会書"),
    },
    links={
        "inquiries.delinquentperson": _person_links,
        "inquiries.institution": _institution_links,
        "inquiries.inquirybatch": _batch_links,
        "inquiries.personimport": _import_links,
        "inquiries.letter": _letter_links,
    },
)
