"""A refused export names the order lines at fault (支出命令の番号・行・債権者), read only when a message needs them."""

from __future__ import annotations

import pytest

from cityhall.core.errors import ValidationFailed
from cityhall.finance.models import BatchStatus, CreditorBankAccount, PaymentOrderLine
from cityhall.finance.services.batches import batch_export

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("zengin_files")]


def _labels(batch, creditor) -> list[str]:
    lines = PaymentOrderLine.objects.filter(order__batch=batch, creditor=creditor, order__payment_method="transfer")
    return [
        f"支出命令 {number} の{position}行目（{creditor.name}）"
        for number, position in lines.order_by("order__document__number", "order_id", "position").values_list(
            "order__document__number_label", "position"
        )
    ]


def test_a_refused_record_names_every_line_it_sums_in_file_order(batch, treasurer, budget):
    CreditorBankAccount.objects.filter(creditor=budget.creditor).update(holder_kana="ﾔﾏﾀﾞｰ")
    with pytest.raises(ValidationFailed) as caught:
        batch_export(actor=treasurer, batch=batch)
    labels = _labels(batch, budget.creditor)
    assert len(labels) == 2  # ヤマダ商事 110,000 and 55,000 in two orders: one record
    assert caught.value.message == (
        f"{'、'.join(labels)}: 2レコード目（データ1件目）の受取人名の5文字目「ｰ」は全銀の振込データに使えない文字です"
        "（半角カナ・英大文字・数字・スペース・( ) - . / のみ）。"
    )
    assert (caught.value.field, caught.value.extra) == ("payee_name", {"record": 2})


def test_a_line_without_an_account_or_with_another_creditors_account_is_named(batch, treasurer, budget, suzuki):
    line = PaymentOrderLine.objects.filter(order__batch=batch, creditor=suzuki).get()
    label = _labels(batch, suzuki)[0]
    PaymentOrderLine.objects.filter(pk=line.pk).update(bank_account=None)
    with pytest.raises(ValidationFailed) as caught:
        batch_export(actor=treasurer, batch=batch)
    assert caught.value.message == f"{label}: 振込口座が指定されていません。"
    yamada_account = CreditorBankAccount.objects.filter(creditor=budget.creditor).first()
    PaymentOrderLine.objects.filter(pk=line.pk).update(bank_account=yamada_account)
    with pytest.raises(ValidationFailed) as caught:
        batch_export(actor=treasurer, batch=batch)
    assert caught.value.message == f"{label}: 振込口座がこの債権者の口座ではありません。"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.OPEN
