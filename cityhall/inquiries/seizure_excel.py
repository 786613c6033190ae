"""The 差押予定一覧 as an Excel workbook (差押予定一覧の書き出し), formula-safe through ``core.exports``.

Sheet 「差押予定一覧」: one row per asset, the persons with the most first and each person's assets
largest first, with the person's total; sheet 「財産なし」: the persons every institution answered
with nothing. Text is always stored as text (a name typed as 「=…」 never becomes a formula).
openpyxl is imported here only, when a workbook is made.
"""

from __future__ import annotations

import io

from cityhall.inquiries.selectors.answers import SeizureList

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = [
    "宛名番号",
    "氏名",
    "フリガナ",
    "生年月日",
    "滞納額",
    "判明財産の合計",
    "照会先",
    "財産の種類",
    "支店名",
    "支店番号",
    "預金種目",
    "口座番号・証券番号",
    "残高・解約返戻金",
    "最終取引日",
]
NOTHING_HEADER = ["宛名番号", "氏名", "フリガナ", "生年月日", "滞納額"]


def seizure_workbook(listing: SeizureList) -> bytes:
    """The workbook's bytes: the candidates' assets, then the persons with nothing found."""
    from openpyxl import Workbook

    from cityhall.core.exports import excel_cell

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "差押予定一覧"
    for column, name in enumerate(HEADER, start=1):
        excel_cell(sheet, 1, column, name)
    line = 1
    for entry in listing.found:
        own = [entry.person.resident_number, entry.name, entry.kana, entry.birth_date, entry.person.amount, entry.total]
        for asset in entry.assets:
            line += 1
            values = [*own, asset.institution, asset.kind, asset.branch_name, asset.branch_code, asset.account_type]
            values += [asset.number, asset.balance, asset.last_transaction_on]
            for column, value in enumerate(values, start=1):
                cell = excel_cell(sheet, line, column, value)
                if column in (4, 14) and value is not None:
                    cell.number_format = "yyyy/mm/dd"
    other = book.create_sheet("財産なし")
    for column, name in enumerate(NOTHING_HEADER, start=1):
        excel_cell(other, 1, column, name)
    for line, entry in enumerate(listing.nothing, start=2):
        values = [entry.person.resident_number, entry.name, entry.kana, entry.birth_date, entry.person.amount]
        for column, value in enumerate(values, start=1):
            cell = excel_cell(other, line, column, value)
            if column == 4:
                cell.number_format = "yyyy/mm/dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
