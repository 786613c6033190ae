"""The inquiry letter (照会書) with its reply form (回答書), and the reminder (督促状), as A4 PDF.

A plain renderer, as ``finance.inspection_report`` is: the caller gives an :class:`InquiryLetter`
and gets bytes (unsigned; ``services.letters`` signs and stores them). The first page is the
letter, portrait: number and date, the institution, the city as sender, the legal basis, what is
asked, the reply deadline and how to answer (a reminder says which letter it reminds and the new
deadline). The reply form follows, landscape: one row per person (name, kana, birth date, address
and former addresses) with blank columns for the institution's answer (取引の有無, 店名, 種類,
口座番号, 残高), the header repeated on every page.

Speed matters (a batch can hold 5,000 persons × 30 institutions): the embedded Japanese font
(IPAex ゴシック, subset) is parsed once per process and shared (``_font``), rows are drawn with
``text`` and ``line`` (no cell layout), and a text is shrunk to fit its column, wrapped only
when even the smallest size does not fit.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from cityhall.core.japanese import format_date, format_wareki
from cityhall.signing import fonts

if TYPE_CHECKING:
    from fpdf import FPDF

FONT = fonts.GOTHIC
_MARGIN = 12.0
_LINE = 3.4  # mm per line of the reply form at 7 pt
_SIZES = (8.0, 5.0)  # a cell's text shrinks from the first size down to the second before it wraps
_PT_PER_MM = 72 / 25.4
# The reply form's columns (landscape, 273 mm): label and width; the answer columns are blank.
_COLUMNS: tuple[tuple[str, float], ...] = (
    ("番号", 10.0),
    ("氏名／フリガナ", 44.0),
    ("生年月日", 24.0),
    ("住所／旧住所", 83.0),
    ("取引の有無", 15.0),
    ("店名", 26.0),
    ("種類", 15.0),
    ("口座番号", 24.0),
    ("残高（基準日）", 32.0),
)


@dataclass(frozen=True)
class LetterPerson:
    """A person as the letter asks about them (照会対象者)."""

    name: str
    kana: str
    birth_date: dt.date
    address: str
    former_addresses: Sequence[str] = ()


@dataclass(frozen=True)
class ReminderTerms:
    """What a reminder (督促) adds: its number, the letter's first date and the new deadline."""

    number: int
    first_sent_on: dt.date
    previous_deadline: dt.date


@dataclass(frozen=True)
class InquiryLetter:
    """What the 照会書 states: who asks whom, on what basis, about whom, what, and by when."""

    municipality: str
    number: str  # 照会書番号, e.g. 「緑納第12号-3」
    issued_on: dt.date
    institution: str  # name and, for a bank, the branch that answers
    institution_address: str
    addressee: str
    section: str
    contact: str
    legal_basis: str
    purpose: str
    base_date: dt.date
    period_from: dt.date | None
    period_to: dt.date | None
    reply_deadline: dt.date
    digital: bool
    persons: Sequence[LetterPerson]
    reminder: ReminderTerms | None = None


def file_name(letter: InquiryLetter) -> str:
    """The download name: 「照会書_緑納第12号-3.pdf」 or 「督促状_緑納第12号-3_1.pdf」."""
    if letter.reminder is not None:
        return f"督促状_{letter.number}_{letter.reminder.number}.pdf"
    return f"照会書_{letter.number}.pdf"


@functools.cache
def _parsed_font() -> tuple[Any, bytes]:
    """The Japanese font parsed once per process (its widths and glyph ids), and the file's bytes."""
    from fpdf import FPDF

    path = fonts.font_path(FONT)
    probe = FPDF()
    probe.add_font(FONT, fname=str(path))
    return probe.fonts[FONT.lower()], path.read_bytes()


def _add_font(pdf: FPDF) -> None:
    """Give ``pdf`` the font: the parsed tables shared, its own font file object and subset of used glyphs.

    Parsing the 4 MB TrueType file costs about 0.1 s a document; a copy costs nothing. The subset is
    made in place on the font file object at output, so each document opens its own (lazily, from
    the bytes in memory). Should fpdf2 change its font object, the plain ``add_font`` is used.
    """
    from fontTools import ttLib
    from fpdf.fonts import SubsetMap

    try:
        template, data = _parsed_font()
        font = copy.copy(template)
        font.ttfont = ttLib.TTFont(io.BytesIO(data), lazy=True, recalcTimestamp=False)
        font.i = len(pdf.fonts) + 1
        font.subset = SubsetMap(font)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font._hbfont = None
    except (AttributeError, TypeError):  # pragma: no cover - another fpdf2
        pdf.add_font(FONT, fname=str(fonts.font_path(FONT)))
        return
    pdf.fonts[FONT.lower()] = font


def _new_pdf(letter: InquiryLetter) -> FPDF:
    """A portrait A4 document with the Japanese font and the letter's metadata."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    _add_font(pdf)
    pdf.set_margins(_MARGIN + 8, _MARGIN + 8, _MARGIN + 8)
    pdf.set_auto_page_break(auto=False)
    pdf.set_lang("ja")
    title = "督促状" if letter.reminder is not None else "照会書"
    pdf.set_title(f"{title} {letter.number}")
    pdf.set_subject("預貯金等の照会")
    pdf.set_author(letter.municipality)
    pdf.set_creator("cityhall")
    pdf.set_creation_date(timezone.now())
    return pdf


def _para(pdf: FPDF, text: str, size: float = 10.5, height: float = 6.5) -> None:
    from fpdf.enums import XPos, YPos

    pdf.set_font(FONT, size=size)
    pdf.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _asked(letter: InquiryLetter) -> str:
    asked = f"{format_wareki(letter.base_date)}現在の預貯金等の有無、種類、口座番号及び残高"
    if letter.period_from and letter.period_to:
        asked += f"並びに{format_wareki(letter.period_from)}から{format_wareki(letter.period_to)}までの取引履歴"
    return asked


def _items(letter: InquiryLetter) -> list[tuple[str, str]]:
    how = (
        "照会ファイル（CSV）に対する回答ファイルを送信してください。"
        if letter.digital
        else "別紙の回答書に記入の上、返送してください。"
    )
    return [
        ("照会対象者", f"別紙回答書のとおり（{len(letter.persons):,}名）"),
        ("照会事項", _asked(letter)),
        ("照会の目的", letter.purpose),
        ("回答期限", format_date(letter.reply_deadline)),
        ("回答の方法", how),
        ("根拠法令", letter.legal_basis),
        ("担当", f"{letter.municipality} {letter.section}　{letter.contact}"),
    ]


def _cover(pdf: FPDF, letter: InquiryLetter) -> None:
    """The letter's first page (照会書・督促状), portrait."""
    from fpdf.enums import XPos, YPos

    pdf.add_page()
    pdf.set_font(FONT, size=10.5)
    for line in (letter.number, format_date(letter.issued_on)):
        pdf.cell(0, 6, line, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    for line in (letter.institution_address, letter.institution, letter.addressee or "ご担当者"):
        pdf.cell(0, 6, f"{line}　様" if line == (letter.addressee or "ご担当者") else line, new_x=XPos.LMARGIN)
        pdf.ln(6)
    pdf.ln(2)
    pdf.cell(0, 6, f"{letter.municipality}長", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.cell(0, 6, "（公印省略・電子署名）", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_font(FONT, size=16)
    heading = "預貯金等の照会について（督促）" if letter.reminder else "預貯金等の照会について（照会）"
    pdf.cell(0, 10, heading, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    if letter.reminder is not None:
        _para(
            pdf,
            f"{format_date(letter.reminder.first_sent_on)}付け{letter.number}で照会した下記の件について、"
            f"回答期限（{format_date(letter.reminder.previous_deadline)}）を過ぎましたが回答をいただいていません。"
            "お手数ですが、新しい回答期限までに回答してください。既に回答済みの場合は、ご容赦ください。",
        )
    else:
        _para(
            pdf,
            "市税の滞納整理のため必要がありますので、下記の者について、"
            f"{letter.legal_basis}の規定により照会します。回答期限までに回答してください。",
        )
    pdf.ln(3)
    pdf.cell(0, 7, "記", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for number, (label, value) in enumerate(_items(letter), start=1):
        pdf.set_font(FONT, size=10.5)
        pdf.cell(36, 6.5, f"{number}　{label}")
        pdf.multi_cell(0, 6.5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    _para(
        pdf,
        "この照会により知り得た事項は、地方税法第22条の規定により守秘義務の対象として取り扱います。",
        size=9,
        height=5,
    )


def _fit(widths: Any, text: str, width: float) -> tuple[float, list[str]]:
    """The size and lines of ``text`` in a column ``width`` mm wide: shrunk first, wrapped if it must.

    ``widths`` are the font's advance widths (1/1000 em by code point); measuring by them directly
    is many times faster than asking the document for each size.
    """
    room = (width - 1.6) * _PT_PER_MM * 1000  # in 1/1000 em at 1 pt
    units = sum(widths[ord(char)] for char in text) or 1
    size = min(_SIZES[0], room / units)
    if size >= _SIZES[-1]:
        return (_SIZES[0] if size >= _SIZES[0] else int(size * 2) / 2), [text]
    lines, line, used, limit = [], "", 0.0, room / _SIZES[-1]
    for char in text:
        advance = widths[ord(char)]
        if line and used + advance > limit:
            lines.append(line)
            line, used = "", 0.0
        line += char
        used += advance
    return _SIZES[-1], [*lines, line] if line else lines


def _form_head(pdf: FPDF, letter: InquiryLetter) -> float:
    """The reply form's heading and column titles on a new landscape page; the y where rows start."""
    pdf.add_page(orientation="L")
    pdf.set_font(FONT, size=14)
    pdf.text(_MARGIN, _MARGIN + 5, "回　答　書")
    pdf.set_font(FONT, size=8.5)
    pdf.text(_MARGIN + 40, _MARGIN + 5, f"{letter.municipality}長　様　　照会書番号 {letter.number}")
    pdf.text(
        _MARGIN,
        _MARGIN + 11,
        f"基準日 {format_wareki(letter.base_date)}　下記のとおり回答します。　回答日　　年　　月　　日　"
        "金融機関名・回答者　　　　　　　　　　　　　　　",
    )
    pdf.text(pdf.w - _MARGIN - 22, _MARGIN + 5, f"{pdf.page_no() - 1}枚目")
    top = _MARGIN + 14
    x = _MARGIN
    pdf.set_fill_color(235, 235, 235)
    pdf.rect(_MARGIN, top, sum(w for _, w in _COLUMNS), 6, style="DF")
    pdf.set_font(FONT, size=7.5)
    for label, width in _COLUMNS:
        pdf.text(x + 0.8, top + 4.2, label)
        x += width
        pdf.line(x, top, x, top + 6)
    return top + 6


def _row_lines(pdf: FPDF, number: int, person: LetterPerson) -> list[tuple[float, float, list[str]]]:
    """Each column's (x, size, lines) for one person: number, name over kana, birth date, addresses."""
    x = _MARGIN
    widths = pdf.current_font.cw  # type: ignore[union-attr]
    cells: list[tuple[float, float, list[str]]] = []
    texts = [
        [str(number)],
        [person.name, person.kana],
        [format_wareki(person.birth_date)],
        [person.address, *(f"旧 {a}" for a in person.former_addresses)],
    ]
    for (_, width), parts in zip(_COLUMNS, texts, strict=False):
        for part in parts:
            size, lines = _fit(widths, part, width)
            cells.append((x, size, lines))
        x += width
    return cells


def _reply_form(pdf: FPDF, letter: InquiryLetter) -> None:
    """The reply form (回答書): one row per person, blank answer columns, the header on every page."""
    right = _MARGIN + sum(w for _, w in _COLUMNS)
    bottom = 210 - _MARGIN
    y = bottom
    for number, person in enumerate(letter.persons, start=1):
        cells = _row_lines(pdf, number, person)
        columns: dict[float, int] = {}
        for x, _size, lines in cells:
            columns[x] = columns.get(x, 0) + len(lines)
        height = max(2, *columns.values()) * _LINE + 1.2
        if y + height > bottom:
            y = _form_head(pdf, letter)
        offsets: dict[float, float] = {}
        for x, size, lines in cells:
            if size != pdf.font_size_pt:
                pdf.set_font_size(size)
            for line in lines:
                offsets[x] = offsets.get(x, 0.0) + _LINE
                pdf.text(x + 0.8, y + offsets[x], line)
        y += height
        pdf.line(_MARGIN, y, right, y)
        _verticals(pdf, y - height, y)


def _verticals(pdf: FPDF, top: float, bottom: float) -> None:
    x = _MARGIN
    pdf.line(x, top, x, bottom)
    for _, width in _COLUMNS:
        x += width
        pdf.line(x, top, x, bottom)


def render_letter(letter: InquiryLetter) -> bytes:
    """Render the 照会書 (or 督促状) with its 回答書 as PDF bytes, unsigned."""
    pdf = _new_pdf(letter)
    _cover(pdf, letter)
    _reply_form(pdf, letter)
    return bytes(pdf.output())
