"""How a layout names a column of a file (列の指定): by its header text or by its number.

Our own, shared by every layout (automation's supplier ``ColumnMapping`` and the switch-over
kinds' ``rows.Layout``; the coming inquiries' layouts per institution), so a column written
「請求金額 」, 「請求金額」 in full width or 「#3」 means the same everywhere. A header text is
compared after NFKC and without whitespace (``header_key``); ``"#3"`` is the third column, the
only way to name one when a file has no header row.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["ColumnRef", "header_key"]

_NUMBERED = re.compile(r"#([0-9]+)")


def header_key(text: str) -> str:
    """How header texts are compared: NFKC, no whitespace (「請求金額 」 = 「請求金額」)."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class ColumnRef:
    """A column as a layout names it: by header text (``name``) or by 1-based ``number``."""

    name: str | None
    number: int | None

    @classmethod
    def parse(cls, text: str) -> ColumnRef:
        """``"#3"`` is the third column; any other text is a header name."""
        match = _NUMBERED.fullmatch(text.strip())
        if match:
            return cls(None, int(match.group(1)))
        return cls(text.strip(), None)

    def __str__(self) -> str:
        return f"{self.number}列目" if self.number is not None else f"「{self.name}」"
