"""Japanese TrueType fonts for generated PDFs (IPAex ゴシック / 明朝).

The Debian packages fonts-ipaexfont-gothic and fonts-ipaexfont-mincho (the
Makefile's ``system`` target installs them) provide the files; the settings
``CITYHALL_PDF_FONT_GOTHIC`` and ``CITYHALL_PDF_FONT_MINCHO`` point elsewhere.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

GOTHIC = "IPAexGothic"
MINCHO = "IPAexMincho"

_CANDIDATES: dict[str, tuple[str, ...]] = {
    GOTHIC: (
        "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
        "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    ),
    MINCHO: (
        "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
        "/usr/share/fonts/truetype/fonts-japanese-mincho.ttf",
    ),
}
_SETTING = {GOTHIC: "CITYHALL_PDF_FONT_GOTHIC", MINCHO: "CITYHALL_PDF_FONT_MINCHO"}


def font_path(family: str) -> Path:
    """The TrueType file of ``family`` (``GOTHIC`` or ``MINCHO``), from settings or the system."""
    configured = getattr(settings, _SETTING[family], "") or ""
    candidates = (configured,) if configured else _CANDIDATES[family]
    for candidate in candidates:
        path = Path(candidate)
        if path.is_file():
            return path
    raise ImproperlyConfigured(
        f"PDF 用の日本語フォント {family} が見つかりません ({', '.join(candidates)})。"
        " fonts-ipaexfont-gothic と fonts-ipaexfont-mincho をインストールするか、"
        f"{_SETTING[family]} でフォントファイルを指定してください。"
    )
