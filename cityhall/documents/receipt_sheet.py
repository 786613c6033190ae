"""The receipt sheet (収受・供覧票) of a received document as a PDF: its register entry, files and 閲 stamps.

What the paper 収受印 and 供覧欄 held: the 収受番号 and date, who sent it, and a box per superior it
was circulated to (供覧先) with their red date stamp 「閲」 once they have seen it (drawn by
``signing.seal.draw_stamp``, the stamp of the approval sheet), the highest post on the left as in
a 決裁欄. Then the circulation's dates and the files with their SHA-256. The sheet is made when
asked for (it changes as readers mark it seen) and is not signed.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from fpdf import FPDF, FontFace
from fpdf.enums import WrapMode, XPos, YPos

from cityhall.documents.models import Receipt, ReceiptReader
from cityhall.documents.selectors_receipts import reader_stamp
from cityhall.signing import fonts
from cityhall.signing.dates import long_date
from cityhall.signing.seal import draw_stamp
from cityhall.signing.sheet import human_size

_MARGIN = 15.0
_HEAD_FILL = (238, 238, 238)
_BOX_W, _HEAD_H, _STAMP_H, _NAME_H = 26.0, 6.0, 24.0, 5.0
_PER_ROW = 6


def _when(moment: object) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)  # type: ignore[arg-type]
    return f"{long_date(local.date())} {local:%H:%M}"


def _kept(receipt: Receipt) -> str:
    """How the receipt is kept: closed on its own under a class (完結), with its retention, or nothing yet."""
    if receipt.closed_on is None or receipt.file_plan_class is None:
        return ""
    until = f"、満了 {long_date(receipt.expires_on)}" if receipt.expires_on else ""
    return (
        f"{long_date(receipt.closed_on)} 完結 {receipt.file_plan_class}"
        f"（保存期間 {receipt.get_retention_years_display()}{until}）"
    )


def _particulars(receipt: Receipt) -> list[tuple[str, str]]:
    reply = "不要"
    if receipt.reply_needed:
        reply = f"要（{long_date(receipt.reply_deadline)}まで）" if receipt.reply_deadline else "要"
    rows = [
        ("収受番号", receipt.number_label),
        ("収受日", long_date(receipt.received_on)),
        ("収受の方法", str(receipt.get_channel_display())),
        ("収受した課", receipt.section.name),
        ("発信者", receipt.sender),
        ("発信者の住所", receipt.sender_address),
        ("相手方文書番号", receipt.sender_number),
        ("手続名", receipt.procedure),
        ("申請番号", receipt.application_number),
        ("申請日時", _when(receipt.applied_at)),
        ("件名", receipt.title),
        ("宛先", receipt.addressee),
        ("回答", reply),
        ("回答文書", f"{receipt.answered_by.number_label} {receipt.answered_by.title}" if receipt.answered_by else ""),
        ("個人情報", "あり" if receipt.has_personal_info else "なし"),
        ("保存", _kept(receipt)),
        ("取消", f"{_when(receipt.cancelled_at)} 理由: {receipt.cancel_reason}" if receipt.cancelled_at else ""),
    ]
    return [(label, value) for label, value in rows if value]


def _table(pdf: FPDF, headings: tuple[str, ...], rows: Sequence[Sequence[str]], widths: tuple[float, ...]) -> None:
    pdf.set_font(fonts.GOTHIC, size=9)
    with pdf.table(
        col_widths=widths,
        text_align="LEFT",
        wrapmode=WrapMode.CHAR,
        line_height=5,
        padding=(1, 1.5),
        headings_style=FontFace(fill_color=_HEAD_FILL),
    ) as table:
        heading = table.row()
        for title in headings:
            heading.cell(title)
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(value)


def _heading(pdf: FPDF, text: str) -> None:
    if pdf.will_page_break(16):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(fonts.GOTHIC, size=11)
    pdf.cell(0, 7, f"■ {text}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _fit(pdf: FPDF, x: float, y: float, w: float, h: float, text: str, size: float) -> None:
    pdf.set_font(fonts.GOTHIC, size=size)
    natural = pdf.get_string_width(text)
    if natural > w - 1.5:
        pdf.set_stretching(100 * (w - 1.5) / natural)
    pdf.set_xy(x, y)
    pdf.cell(w, h, text, align="C")
    pdf.set_stretching(100)


def _stamp_boxes(pdf: FPDF, readers: list[ReceiptReader]) -> None:
    """The 供覧欄: one box per reader, post above, 「閲」 stamp inside, name below; highest post on the left."""
    entries = list(reversed(readers))
    width = pdf.w - 2 * _MARGIN
    for start in range(0, len(entries), _PER_ROW):
        row = entries[start : start + _PER_ROW]
        total_h = _HEAD_H + _STAMP_H + _NAME_H
        if pdf.will_page_break(total_h + 2):
            pdf.add_page()
        x0, y0 = pdf.l_margin + width - _BOX_W * len(row), pdf.get_y()
        pdf.set_line_width(0.3)
        pdf.set_fill_color(*_HEAD_FILL)
        for i, entry in enumerate(row):
            x = x0 + i * _BOX_W
            pdf.rect(x, y0, _BOX_W, _HEAD_H, style="DF")
            pdf.rect(x, y0 + _HEAD_H, _BOX_W, _STAMP_H)
            pdf.rect(x, y0 + _HEAD_H + _STAMP_H, _BOX_W, _NAME_H)
            _fit(pdf, x, y0, _BOX_W, _HEAD_H, entry.post_name, 8)
            _fit(pdf, x, y0 + _HEAD_H + _STAMP_H, _BOX_W, _NAME_H, entry.reader.full_name, 7.5)
            stamp = reader_stamp(entry)
            if stamp is not None:
                side = _STAMP_H - 2
                draw_stamp(pdf, stamp, x=x + (_BOX_W - side) / 2, y=y0 + _HEAD_H + 1, size=side)
        pdf.set_fill_color(255, 255, 255)
        pdf.set_xy(pdf.l_margin, y0 + total_h + 2)


def render_receipt_sheet(receipt: Receipt) -> bytes:
    """The receipt sheet (収受・供覧票) of ``receipt`` as A4 PDF bytes."""
    readers = list(receipt.readers.select_related("reader").order_by("position", "pk"))
    files = list(receipt.files.order_by("pk"))
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font(fonts.GOTHIC, fname=str(fonts.font_path(fonts.GOTHIC)))
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_lang("ja")
    pdf.set_title(f"{receipt.number_label} {receipt.title}")
    pdf.set_subject("収受・供覧票")
    pdf.set_author(receipt.section.municipality.name)
    pdf.set_creator("cityhall")
    pdf.add_page()
    pdf.set_font(fonts.GOTHIC, size=10)
    pdf.cell(0, 5, receipt.section.municipality.name, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.cell(0, 5, receipt.number_label, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(fonts.GOTHIC, size=20)
    pdf.cell(0, 12, "収受・供覧票", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _heading(pdf, "供覧欄")
    if readers:
        _stamp_boxes(pdf, readers)
    else:
        pdf.set_font(fonts.GOTHIC, size=9)
        pdf.cell(0, 6, "供覧していません。", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _heading(pdf, "収受簿の記載")
    _table(pdf, ("項目", "内容"), _particulars(receipt), (1, 4))
    if readers:
        _heading(pdf, "供覧経過")
        rows = [(r.post_name, r.reader.full_name, _when(r.requested_at), _when(r.seen_at) or "未閲覧") for r in readers]
        _table(pdf, ("職", "氏名", "供覧日時", "閲覧日時（閲）"), rows, (3, 2, 3, 3))
    _heading(pdf, "ファイル")
    if files:
        rows = [(f.name, str(f.get_origin_display()), human_size(f.size), f.sha256[:16]) for f in files]
        _table(pdf, ("ファイル名", "種別", "サイズ", "SHA-256（先頭16桁）"), rows, (5, 2.2, 1.4, 2.8))
    else:
        pdf.set_font(fonts.GOTHIC, size=9)
        pdf.cell(0, 6, "ファイルはありません（紙のみ）。", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
