"""A supplier's column mapping: what it accepts, its JSON round-trip, and the dicts it refuses."""

from __future__ import annotations

import json

import pytest

from cityhall.automation.tabular import ColumnMapping, MappingInvalid
from cityhall.core.tables import ColumnRef


def test_a_full_mapping_survives_json() -> None:
    mapping = ColumnMapping(
        invoice_number="請求書No",
        issue_date="#2",
        due_date="支払期限",
        registration_number="登録番号",
        seller_name="会社名",
        description="品名",
        gross_amount="税込金額",
        tax_rate="税率",
        tax_amount="消費税",
        bank_code="銀行コード",
        branch_code="支店コード",
        account_type="種目",
        account_number="口座番号",
        order_reference="注文番号",
        header_row=3,
        date_formats=("wareki", "compact"),
        default_tax_rate=8,
        group_by_invoice_number=True,
        sheet="請求明細",
    )
    stored = json.loads(json.dumps(mapping.to_dict(), ensure_ascii=False))
    assert ColumnMapping.from_dict(stored) == mapping
    assert stored["issue_date"] == "#2" and stored["date_formats"] == ["wareki", "compact"]


def test_defaults_are_filled_in_and_unmapped_columns_left_out() -> None:
    mapping = ColumnMapping.from_dict({"invoice_number": "番号", "issue_date": "日付", "net_amount": "金額"})
    assert mapping.header_row == 1 and mapping.default_tax_rate == 10 and not mapping.group_by_invoice_number
    assert mapping.amount_field == "net_amount"
    assert "tax_rate" not in mapping.to_dict() and "sheet" not in mapping.to_dict()
    assert mapping.columns()["invoice_number"] == ColumnRef("番号", None)


_BASE = {"invoice_number": "番号", "issue_date": "日付", "net_amount": "金額"}


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({**_BASE, "amount": "金額"}, "amount", "不明な項目があります: amount"),
        (
            {"issue_date": "日付", "net_amount": "金額"},
            "invoice_number",
            "「請求書番号」（invoice_number）の列がありません",
        ),
        ({"invoice_number": "番号", "net_amount": "金額"}, "issue_date", "発行日"),
        ({"invoice_number": "番号", "issue_date": "日付"}, "net_amount", "どちらか一方"),
        ({**_BASE, "gross_amount": "税込"}, "net_amount", "どちらか一方"),
        ({**_BASE, "description": 3}, "description", "見出しの文字か「#3」"),
        ({**_BASE, "description": "  "}, "description", "見出しの文字か「#3」"),
        ({**_BASE, "description": "#0"}, "description", "#1 から"),
        ({**_BASE, "description": "金額"}, "net_amount", "同じ列"),
        ({**_BASE, "header_row": 0}, "invoice_number", "列番号で指定"),
        ({**_BASE, "header_row": -1}, "header_row", "見出し行"),
        ({**_BASE, "header_row": True}, "header_row", "見出し行"),
        ({**_BASE, "date_formats": "iso"}, "date_formats", "日付の書き方"),
        ({**_BASE, "date_formats": ["iso", "us"]}, "date_formats", "「us」は使えません"),
        ({**_BASE, "date_formats": []}, "date_formats", "日付の書き方"),
        ({**_BASE, "default_tax_rate": 5}, "default_tax_rate", "10 か 8"),
        ({**_BASE, "group_by_invoice_number": "yes"}, "group_by_invoice_number", "true か false"),
        ({**_BASE, "sheet": ""}, "sheet", "シート名"),
        ({**_BASE, "payee_account": "口座", "bank_code": "銀行"}, "payee_account", "どちらか"),
        ({**_BASE, "bank_code": "銀行", "account_number": "口座"}, "branch_code", "支店コード"),
    ],
)
def test_a_dict_that_cannot_be_used_is_refused_in_japanese(data: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(MappingInvalid) as caught:
        ColumnMapping.from_dict(data)
    assert caught.value.field == field
    assert words in caught.value.message


def test_something_other_than_a_dict_is_refused() -> None:
    with pytest.raises(MappingInvalid, match="JSONのオブジェクト"):
        ColumnMapping.from_dict(["番号"])  # type: ignore[arg-type]


def test_building_a_mapping_directly_checks_it_too() -> None:
    with pytest.raises(MappingInvalid, match="どちらか一方"):
        ColumnMapping(invoice_number="番号", issue_date="日付")
