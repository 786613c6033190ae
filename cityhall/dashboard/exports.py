"""The dashboard as an Excel book (DXダッシュボードの書き出し), every cell formula-safe (``core.exports``)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from cityhall.core.exports import excel_cell
from cityhall.dashboard.selectors import Dashboard, Durations

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _days(hours: int | None) -> float | str:
    return "" if hours is None else round(hours / 24, 2)


def _sheet(book: object, title: str, header: list[str], rows: list[list[object]]) -> None:
    sheet = book.create_sheet(title)  # type: ignore[attr-defined]
    for column, name in enumerate(header, start=1):
        excel_cell(sheet, 1, column, name)
    for r, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            excel_cell(sheet, r, column, value)


def _blank(value: float | None) -> float | str:
    """A provided figure, or an empty cell while no app provides it."""
    return "" if value is None else value


def _durations(d: Durations) -> list[object]:
    return [d.documents, _days(d.median_hours), _days(d.p90_hours)]


def to_xlsx(board: Dashboard) -> bytes:
    """Sheets 月別, 課別 and 事案の種類別 with the page's figures (times in days)."""
    from openpyxl import Workbook

    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    _sheet(
        book,
        _("月別"),
        [
            _("月"),
            _("電子決裁"),
            _("紙決裁"),
            _("電子の割合（%）"),
            _("起案用紙（枚）"),
            _("添付（枚・推計）"),
            _("削減時間（時間）"),
            _("テレワーク実施日数"),
        ],
        [
            [
                m.label,
                m.split.electronic,
                m.split.paper,
                m.split.share if m.split.share is not None else "",
                m.sheets,
                m.attachment_pages,
                m.hours_saved,
                _blank(m.telework_days),
            ]
            for m in board.months
        ],
    )
    _sheet(
        book,
        _("課別"),
        [
            _("課"),
            _("電子決裁"),
            _("紙決裁"),
            _("電子の割合（%）"),
            _("件数"),
            _("中央値（日）"),
            _("90パーセンタイル（日）"),
            _("テレワーク可能な業務"),
            _("テレワーク実施日数"),
        ],
        [
            [
                s.name,
                s.split.electronic,
                s.split.paper,
                s.split.share if s.split.share is not None else "",
                *_durations(s.durations),
                _blank(s.telework_ready),
                _blank(s.telework_days),
            ]
            for s in board.sections
        ],
    )
    _sheet(
        book,
        _("事案の種類別"),
        [_("事案の種類"), _("件数"), _("中央値（日）"), _("90パーセンタイル（日）")],
        [[k.name, *_durations(k.durations)] for k in board.kinds],
    )
    _sheet(
        book,
        _("合計"),
        [_("項目"), _("値")],
        [
            [_("電子決裁"), board.total.electronic],
            [_("紙決裁"), board.total.paper],
            [_("後閲待ち"), board.post_reviews],
            [_("削減できた紙（枚・推計）"), board.pages_avoided],
            [_("削減時間（時間）"), board.hours_saved],
        ],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
