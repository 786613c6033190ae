"""The approval sheet (起案用紙) as a PDF with an embedded Japanese font.

Document-agnostic: the caller describes the decision with plain dataclasses
(:class:`ApprovalSheet`, :class:`RouteEntry`, :class:`AttachmentEntry`) and
:func:`render_sheet` returns the PDF bytes. A4 portrait: number and title,
the approval column (決裁欄) as a grid of boxes with red date stamps, the
consultation column (合議欄), the particulars, the body, the route history
with comments (回議経過) and the attachments list (添付ファイル). All text is
real text in IPAex Gothic (one embedded, subset font: each further font
would add about half a second per sheet), so it can be searched and read
aloud.

The sheet is PDF/A-2b (ISO 19005-2, level B), the archival form of PDF for
records kept thirty years or permanently: fpdf2 (``enforce_compliance``)
writes the XMP metadata with ``pdfaid:part`` 2 and ``pdfaid:conformance`` B,
an sRGB OutputIntent with the ICC's free sRGB2014 profile it ships
(``fpdf/data/color_profiles``, licence beside it), no document information
dictionary, and refuses what PDF/A forbids (core fonts, encryption);
only embedded fonts and opaque colours are used. ``cityhall.signing.pdfa``
checks the result.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from fpdf import FPDF, FontFace
from fpdf.enums import WrapMode, XPos, YPos

from cityhall.signing import fonts
from cityhall.signing.dates import long_date
from cityhall.signing.seal import Stamp, draw_stamp

PDFA_PROFILE = "PDF/A-2B"
_MARGIN = 15.0
_GREY = (90, 90, 90)
_HEAD_FILL = (238, 238, 238)


@dataclass(frozen=True)
class RouteEntry:
    """One row of the route (回議) or of the consultations (合議).

    ``post`` is the post shown above the stamp box (「課長」, 「財政課長」),
    ``action`` what was done (「承認」, 「決裁」, 「同意」; empty while
    pending), ``stamp`` the date stamp once acted.
    """

    post: str
    name: str
    action: str = ""
    stamp: Stamp | None = None
    comment: str = ""


@dataclass(frozen=True)
class HistoryEntry:
    """One action of the history (履歴) printed in 回議経過: round, time, post, name, action, comment."""

    round_label: str
    when: datetime.datetime
    post: str
    name: str
    action: str
    comment: str = ""


@dataclass(frozen=True)
class AttachmentEntry:
    """One attachment (添付ファイル): name, size in bytes and its SHA-256 in hex."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class SheetTable:
    """A table of a section: caption, column headings and rows of text; ``numeric`` columns align right."""

    caption: str
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    numeric: Sequence[bool] = ()


@dataclass(frozen=True)
class SheetSection:
    """A titled part of what the document decides (「支出命令の内容」「明細」): rows of (label, text) and tables."""

    title: str
    rows: Sequence[tuple[str, str]] = ()
    tables: Sequence[SheetTable] = ()


@dataclass(frozen=True)
class ApprovalSheet:
    """Everything an approval sheet (起案用紙) shows about one decision."""

    municipality: str
    number: str
    title: str
    section: str
    drafter: str
    drafted_on: datetime.date
    decided_on: datetime.date | None
    decision_kind: str
    body: str
    route: Sequence[RouteEntry] = ()
    consultations: Sequence[RouteEntry] = ()
    attachments: Sequence[AttachmentEntry] = ()
    details: Sequence[tuple[str, str]] = field(default=())
    """Further particulars as (label, value), e.g. (「文書分類」, 「総務・庶務」)."""
    sections: Sequence[SheetSection] = ()
    """What a typed document decides, printed after the body."""
    history: Sequence[HistoryEntry] = ()
    """Every action of every round; when given, 回議経過 prints it instead of the route's last round."""


def human_size(size: int) -> str:
    """A file size for people: 「812 B」, 「12.5 KB」, 「3.2 MB」."""
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable")


class _SheetPdf(FPDF):
    """FPDF with our running footer (municipality, number, page n/N)."""

    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        with self.local_context(text_color=_GREY):
            self.set_font(fonts.GOTHIC, size=8)
            self.cell(0, 5, f"{self.footer_text}　{self.page_no()} / {{nb}}", align="C")


def render_sheet(sheet: ApprovalSheet, *, style: str | None = None) -> bytes:
    """Render ``sheet`` as an A4 PDF (起案用紙) and return its bytes."""
    pdf = _SheetPdf(orientation="P", unit="mm", format="A4", enforce_compliance=PDFA_PROFILE)
    pdf.add_font(fonts.GOTHIC, fname=str(fonts.font_path(fonts.GOTHIC)))
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.footer_text = f"{sheet.municipality}　{sheet.number}"
    pdf.set_lang("ja")
    pdf.set_title(f"{sheet.number} {sheet.title}")
    pdf.set_subject("起案用紙")
    pdf.set_author(sheet.municipality)
    pdf.set_creator("cityhall")
    pdf.set_creation_date(timezone.now())
    pdf.add_page()

    _header(pdf, sheet)
    _stamp_grid(pdf, "決裁欄", list(reversed(sheet.route)), style)
    if sheet.consultations:
        _stamp_grid(pdf, "合議欄", list(sheet.consultations), style)
    _particulars(pdf, sheet, style)
    _body(pdf, sheet.body)
    for section in sheet.sections:
        _content_section(pdf, section)
    if sheet.history:
        _full_history(pdf, sheet.history, style)
    elif sheet.route or sheet.consultations:
        _history(pdf, sheet, style)
    _attachments(pdf, sheet.attachments)
    return bytes(pdf.output())


def _section_heading(pdf: FPDF, text: str) -> None:
    if pdf.will_page_break(16):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(fonts.GOTHIC, size=11)
    pdf.cell(0, 7, f"■ {text}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _header(pdf: FPDF, sheet: ApprovalSheet) -> None:
    pdf.set_font(fonts.GOTHIC, size=10)
    pdf.cell(0, 5, sheet.municipality, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.cell(0, 5, sheet.number, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(fonts.GOTHIC, size=20)
    pdf.set_char_spacing(4)
    pdf.cell(0, 12, "起案用紙", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_char_spacing(0)
    pdf.ln(2)


def _stamp_grid(pdf: FPDF, caption: str, entries: list[RouteEntry], style: str | None) -> None:
    """A row (or rows) of boxes: post on top, stamp in the middle, name below."""
    if not entries:
        return
    width = pdf.w - 2 * _MARGIN
    label_w = 9.0
    per_row = 7
    box_w = min(24.0, (width - label_w) / min(len(entries), per_row))
    head_h, stamp_h, name_h = 6.0, 24.0, 5.0
    for start in range(0, len(entries), per_row):
        row = entries[start : start + per_row]
        total_h = head_h + stamp_h + name_h
        if pdf.will_page_break(total_h + 2):
            pdf.add_page()
        x0 = pdf.l_margin + width - label_w - box_w * len(row)
        y0 = pdf.get_y()
        pdf.set_line_width(0.3)
        # The caption, written vertically in its own column.
        pdf.set_fill_color(*_HEAD_FILL)
        pdf.rect(x0 - label_w, y0, label_w, total_h, style="DF")
        pdf.set_font(fonts.GOTHIC, size=9)
        step = total_h / (len(caption) + 1)
        for i, ch in enumerate(caption):
            pdf.set_xy(x0 - label_w, y0 + step * (i + 0.5))
            pdf.cell(label_w, step, ch, align="C")
        for i, entry in enumerate(row):
            x = x0 + i * box_w
            pdf.rect(x, y0, box_w, head_h, style="DF")
            pdf.rect(x, y0 + head_h, box_w, stamp_h)
            pdf.rect(x, y0 + head_h + stamp_h, box_w, name_h)
            _fit_cell(pdf, x, y0, box_w, head_h, entry.post, 9)
            _fit_cell(pdf, x, y0 + head_h + stamp_h, box_w, name_h, entry.name, 7.5)
            if entry.stamp is not None:
                side = min(box_w, stamp_h) - 2
                draw_stamp(
                    pdf,
                    entry.stamp,
                    x=x + (box_w - side) / 2,
                    y=y0 + head_h + (stamp_h - side) / 2,
                    size=side,
                    style=style,
                )
        pdf.set_fill_color(255, 255, 255)
        pdf.set_xy(pdf.l_margin, y0 + total_h + 2)


def _fit_cell(pdf: FPDF, x: float, y: float, w: float, h: float, text: str, size: float) -> None:
    """One centred line of text, squeezed horizontally if it is wider than the box."""
    pdf.set_font(fonts.GOTHIC, size=size)
    natural = pdf.get_string_width(text)
    if natural > w - 1.5:
        pdf.set_stretching(100 * (w - 1.5) / natural)
    pdf.set_xy(x, y)
    pdf.cell(w, h, text, align="C")
    pdf.set_stretching(100)


def _particulars(pdf: FPDF, sheet: ApprovalSheet, style: str | None) -> None:
    rows: list[tuple[str, str]] = [
        ("文書番号", sheet.number),
        ("起案日", long_date(sheet.drafted_on, style)),
        ("決裁日", long_date(sheet.decided_on, style) if sheet.decided_on else "未決裁"),
        ("決裁区分", sheet.decision_kind),
        ("起案者", f"{sheet.section}　{sheet.drafter}"),
        *sheet.details,
        ("件名", sheet.title),
    ]
    pdf.ln(2)
    pdf.set_font(fonts.GOTHIC, size=10)
    with pdf.table(
        col_widths=(1, 4),
        first_row_as_headings=False,
        text_align=("CENTER", "LEFT"),
        wrapmode=WrapMode.CHAR,
        line_height=6,
        padding=(1, 2),
    ) as table:
        for label, value in rows:
            row = table.row()
            row.cell(label, style=FontFace(fill_color=_HEAD_FILL))
            row.cell(value)


def _body(pdf: FPDF, body: str) -> None:
    _section_heading(pdf, "本文")
    pdf.set_font(fonts.GOTHIC, size=10.5)
    for paragraph in body.splitlines() or [""]:
        pdf.multi_cell(0, 6, paragraph or " ", wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _content_section(pdf: FPDF, section: SheetSection) -> None:
    _section_heading(pdf, section.title)
    if section.rows:
        pdf.set_font(fonts.GOTHIC, size=9.5)
        with pdf.table(
            col_widths=(1.3, 4),
            first_row_as_headings=False,
            text_align=("LEFT", "LEFT"),
            wrapmode=WrapMode.CHAR,
            line_height=5.5,
            padding=(1, 2),
        ) as table:
            for label, value in section.rows:
                row = table.row()
                row.cell(label, style=FontFace(fill_color=_HEAD_FILL))
                row.cell(value)
    for item in section.tables:
        _content_table(pdf, item)


def _content_table(pdf: FPDF, item: SheetTable) -> None:
    if pdf.will_page_break(14):
        pdf.add_page()
    pdf.ln(1.5)
    pdf.set_font(fonts.GOTHIC, size=9.5)
    pdf.cell(0, 6, item.caption, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    numeric = list(item.numeric) + [False] * (len(item.columns) - len(item.numeric))
    pdf.set_font(fonts.GOTHIC, size=8.5)
    with pdf.table(
        text_align=tuple("RIGHT" if n else "LEFT" for n in numeric),
        wrapmode=WrapMode.CHAR,
        line_height=4.8,
        padding=(1, 1.2),
        headings_style=FontFace(fill_color=_HEAD_FILL),
    ) as table:
        heading = table.row()
        for title in item.columns:
            heading.cell(title)
        for values in item.rows:
            row = table.row()
            for value in values:
                row.cell(value)


def _history(pdf: FPDF, sheet: ApprovalSheet, style: str | None) -> None:
    _section_heading(pdf, "回議経過")
    rows = [("回議", entry) for entry in sheet.route] + [("合議", entry) for entry in sheet.consultations]
    pdf.set_font(fonts.GOTHIC, size=9)
    with pdf.table(
        col_widths=(1.1, 2, 2, 2, 3.2, 5),
        text_align="LEFT",
        wrapmode=WrapMode.CHAR,
        line_height=5,
        padding=(1, 1.5),
        headings_style=FontFace(fill_color=_HEAD_FILL),
    ) as table:
        heading = table.row()
        for title in ("区分", "職", "氏名", "処理", "日付", "意見"):
            heading.cell(title)
        for kind, entry in rows:
            stamp = entry.stamp
            action = entry.action or "未処理"
            if stamp is not None and stamp.mark:
                action += f"（{stamp.mark}）"
            row = table.row()
            for value in (kind, entry.post, entry.name, action, long_date(stamp.date, style) if stamp else ""):
                row.cell(value)
            row.cell(entry.comment)


def _full_history(pdf: FPDF, history: Sequence[HistoryEntry], style: str | None) -> None:
    _section_heading(pdf, "回議経過")
    pdf.set_font(fonts.GOTHIC, size=8.5)
    with pdf.table(
        col_widths=(1.4, 2.4, 2.4, 1.8, 1.8, 4.2),
        text_align="LEFT",
        wrapmode=WrapMode.CHAR,
        line_height=4.8,
        padding=(1, 1.2),
        headings_style=FontFace(fill_color=_HEAD_FILL),
    ) as table:
        heading = table.row()
        for title in ("回", "日時", "職", "氏名", "処理", "意見"):
            heading.cell(title)
        for entry in history:
            local = timezone.localtime(entry.when) if timezone.is_aware(entry.when) else entry.when
            row = table.row()
            when = f"{long_date(local.date(), style)} {local:%H:%M}"
            for value in (entry.round_label, when, entry.post, entry.name, entry.action, entry.comment):
                row.cell(value)


def _attachments(pdf: FPDF, attachments: Sequence[AttachmentEntry]) -> None:
    _section_heading(pdf, "添付ファイル")
    pdf.set_font(fonts.GOTHIC, size=9)
    if not attachments:
        pdf.cell(0, 6, "添付ファイルはありません。", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return
    with pdf.table(
        col_widths=(0.6, 6, 1.6, 2.8),
        text_align=("RIGHT", "LEFT", "RIGHT", "LEFT"),
        wrapmode=WrapMode.CHAR,
        line_height=5,
        padding=(1, 1.5),
        headings_style=FontFace(fill_color=_HEAD_FILL),
    ) as table:
        heading = table.row()
        for title in ("No.", "ファイル名", "サイズ", "SHA-256（先頭16桁）"):
            heading.cell(title)
        for number, item in enumerate(attachments, start=1):
            row = table.row()
            for value in (str(number), item.name, human_size(item.size), item.sha256[:16]):
                row.cell(value)
