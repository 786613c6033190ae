"""Electronic seal stamps (電子印影): a round red date stamp (日付印).

One geometry, two renderers: :func:`stamp_svg` for HTML and
:func:`draw_stamp` for the approval sheet PDF. The stamp has an outer circle
and two horizontal lines; the top band shows the section's short name, the
middle band the date (「8.11.26」 in 和暦 or 「2026.11.26」 per
``CITYHALL_DATE_STYLE``), the bottom band the surname. A small circled
「代」 (代決, proxy decision) or 「後閲」 (post-review) mark sits at its upper
right.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext, pgettext_lazy

from cityhall.signing import fonts
from cityhall.signing.dates import long_date, stamp_date

if TYPE_CHECKING:
    from fpdf import FPDF

SEAL_RED = (208, 28, 31)  # 朱肉の色; 5.3:1 against white
SEAL_RED_HEX = "#d01c1f"

# Geometry in a 64 x 64 unit box.
_BOX = 64.0
_CX, _CY, _R = 30.0, 34.0, 26.5
_RING = 1.8
_LINE = 1.1
_BAND = 7.5  # half the height of the middle band
_MARK_CX, _MARK_CY, _MARK_R = 55.0, 10.0, 8.5

# The stamp's word as a screen reader says it in English (the stamp itself stays Japanese).
_SPOKEN_ACTIONS = {
    "起案": pgettext_lazy("seal", "起案"),
    "承認": pgettext_lazy("seal", "承認"),
    "決裁": pgettext_lazy("seal", "決裁"),
    "合議": pgettext_lazy("seal", "合議"),
    "合意": pgettext_lazy("seal", "合意"),
    "異議": pgettext_lazy("seal", "異議"),
    "後閲": pgettext_lazy("seal", "後閲"),
}


@dataclass(frozen=True)
class Stamp:
    """One person's date stamp (日付印) on a decision.

    ``top`` is the section's short name (「総務課」); when it is empty the
    surname moves to the top band and the bottom band shows ``action``
    (「決裁」, 「承認」). ``proxy`` marks a 代決, ``post_review`` a 後閲.
    """

    surname: str
    date: datetime.date
    top: str = ""
    action: str = "決裁"
    proxy: bool = False
    post_review: bool = False

    @property
    def mark(self) -> str:
        """The side mark: 「代」, 「後閲」 or empty."""
        if self.proxy:
            return "代"
        if self.post_review:
            return "後閲"
        return ""

    def bands(self, style: str | None = None) -> tuple[str, str, str]:
        """Text of the top, middle and bottom bands."""
        if self.top:
            return self.top, stamp_date(self.date, style), self.surname
        return self.surname, stamp_date(self.date, style), self.action

    def label(self, style: str | None = None) -> str:
        """Spoken form, e.g. 「田中 令和8年11月26日 決裁」 (with 「（代決）」 or 「（後閲）」)."""
        text = f"{self.surname} {long_date(self.date, style)} {self.action}"
        if self.proxy:
            text += "（代決）"
        elif self.post_review:
            text += "（後閲）"
        return text

    def spoken(self, style: str | None = None) -> str:
        """``label`` in the language of the page: in English 「田中 2026-11-26 Decided (proxy, 代決)」."""
        if (translation.get_language() or "ja").split("-")[0] != "en":
            return self.label(style)
        action = _SPOKEN_ACTIONS.get(self.action, self.action)
        text = f"{self.surname} {self.date.isoformat()} {action}"
        if self.proxy:
            text += " " + pgettext("seal", "（代決）")
        elif self.post_review:
            text += " " + pgettext("seal", "（後閲）")
        return text


@dataclass(frozen=True)
class _Text:
    text: str
    cx: float
    cy: float  # visual centre of the glyphs
    size: float
    max_width: float


def _chord(dy: float) -> float:
    """Width of the ring's inner chord at ``dy`` from the centre."""
    inner = _R - _RING / 2
    return 2 * math.sqrt(max(inner * inner - dy * dy, 0.0))


def _texts(stamp: Stamp, style: str | None) -> list[_Text]:
    top, middle, bottom = stamp.bands(style)
    band_centre = (_R + _BAND) / 2
    size = 9.5
    # The widest a band's text may be: the chord at the text's edge nearest the rim.
    edge = band_centre + size / 2
    texts = [
        _Text(top, _CX, _CY - band_centre, size, _chord(edge) - 2),
        _Text(middle, _CX, _CY, 8.5, _chord(_BAND) - 5),
        _Text(bottom, _CX, _CY + band_centre, size, _chord(edge) - 2),
    ]
    mark = stamp.mark
    if mark:
        texts.append(_Text(mark, _MARK_CX, _MARK_CY, 10.0 if len(mark) == 1 else 6.8, 2 * _MARK_R - 3))
    return texts


def _estimated_width(text: str, size: float) -> float:
    """Advance width in IPAex Gothic: full width for CJK, about half for Latin and digits."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.55 for ch in text)


def stamp_svg(stamp: Stamp, *, size: int = 64, style: str | None = None) -> SafeString:
    """The stamp as inline SVG markup with ``role="img"`` and an ``aria-label`` in the page's language."""
    lines_y = (_CY - _BAND, _CY + _BAND)
    half = _chord(_BAND) / 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="seal-stamp" role="img" '
        f'aria-label="{escape(stamp.spoken(style))}" viewBox="0 0 {_BOX:g} {_BOX:g}" '
        f'width="{size}" height="{size}" focusable="false">',
        f'<g fill="none" stroke="{SEAL_RED_HEX}">',
        f'<circle cx="{_CX:g}" cy="{_CY:g}" r="{_R:g}" stroke-width="{_RING:g}"/>',
    ]
    for y in lines_y:
        parts.append(
            f'<line x1="{_CX - half:.2f}" y1="{y:g}" x2="{_CX + half:.2f}" y2="{y:g}" stroke-width="{_LINE:g}"/>'
        )
    if stamp.mark:
        parts.append(
            f'<circle cx="{_MARK_CX:g}" cy="{_MARK_CY:g}" r="{_MARK_R:g}" fill="#fff" stroke-width="{_LINE:g}"/>'
        )
    parts.append("</g>")
    parts.append(
        f"<g fill=\"{SEAL_RED_HEX}\" font-family=\"IPAexGothic, 'IPAexゴシック', 'Noto Sans JP', sans-serif\" "
        'text-anchor="middle" aria-hidden="true">'
    )
    for text in _texts(stamp, style):
        baseline = text.cy + text.size * 0.36
        squeeze = ""
        if _estimated_width(text.text, text.size) > text.max_width:
            squeeze = f' textLength="{text.max_width:.2f}" lengthAdjust="spacingAndGlyphs"'
        parts.append(
            f'<text x="{text.cx:g}" y="{baseline:.2f}" font-size="{text.size:g}"{squeeze}>{escape(text.text)}</text>'
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 -- every text above is escaped


def draw_stamp(pdf: FPDF, stamp: Stamp, *, x: float, y: float, size: float, style: str | None = None) -> None:
    """Draw the stamp on ``pdf`` in red, its 64-unit box at (x, y) with side ``size`` (PDF units)."""
    scale = size / _BOX
    unit_pt = pdf.k  # points per PDF unit
    half = _chord(_BAND) / 2
    with pdf.local_context(draw_color=SEAL_RED, text_color=SEAL_RED, fill_color=(255, 255, 255)):
        pdf.set_line_width(_RING * scale)
        pdf.circle(x + _CX * scale, y + _CY * scale, _R * scale)
        pdf.set_line_width(_LINE * scale)
        for dy in (-_BAND, _BAND):
            ly = y + (_CY + dy) * scale
            pdf.line(x + (_CX - half) * scale, ly, x + (_CX + half) * scale, ly)
        if stamp.mark:
            pdf.circle(x + _MARK_CX * scale, y + _MARK_CY * scale, _MARK_R * scale, style="DF")
        for text in _texts(stamp, style):
            pdf.set_font(fonts.GOTHIC, size=text.size * scale * unit_pt)
            width = pdf.get_string_width(text.text)
            limit = text.max_width * scale
            stretch = 100.0 if width <= limit else 100.0 * limit / width
            pdf.set_stretching(stretch)
            shown = width * stretch / 100
            pdf.text(x + text.cx * scale - shown / 2, y + (text.cy + text.size * 0.36) * scale, text.text)
            pdf.set_stretching(100)
