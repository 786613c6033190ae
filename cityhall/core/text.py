"""Text that may be stored as a name or title: no control characters, lone surrogates or bidi overrides.

A title is shown in lists, on the signed 起案用紙 and in exports, and read by a decider. Characters
a person cannot see or type would let a title say one thing on the screen and another in the
register: control characters (NUL, which PostgreSQL cannot store, and CR/LF, which break a
one-line field and the CSV files), lone surrogates (not text at all: UTF-8 cannot encode them),
and the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) that reorder what is
shown (the "Trojan Source" trick). ``text_problem`` says what is wrong (with the length limit too, so
services and forms say the same thing); ``cityhall.core.errors.check_line`` (names, titles, codes:
no line breaks) and ``check_text`` (comments, reasons: line breaks and tabs allowed) raise it.

``find_unsafe`` walks decoded JSON for the API: NUL and lone surrogates are refused in every string
of a request, whatever the field, before any service runs.
"""

from __future__ import annotations

import re

__all__ = ["BIDI_CONTROLS", "find_unsafe", "text_problem", "unsafe_character"]

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embeddings, overrides and isolates that reorder text on screen (Unicode Bidirectional Algorithm)."""

# The characters refused, as one class searched at C speed (a loop asking ``unicodedata.category`` of
# each character took milliseconds for a long body): the control characters (category Cc, fixed by
# Unicode as U+0000–U+001F and U+007F–U+009F), the surrogates (Cs, U+D800–U+DFFF), the bidi controls
# and the line and paragraph separators; a multi-line text may hold tabs and line breaks.
_REFUSED = "\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\u2028\u2029"
_UNSAFE = re.compile(f"[\x00-\x1f{_REFUSED}]")
_UNSAFE_MULTILINE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_REFUSED}]")


def unsafe_character(value: str, *, multiline: bool = False) -> str | None:
    """The first character of ``value`` that a stored name or text may not contain, or None."""
    found = (_UNSAFE_MULTILINE if multiline else _UNSAFE).search(value)
    return found.group() if found else None


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if char in "\r\n\u2028\u2029":
        return f"改行（{code}）"
    if char in BIDI_CONTROLS:
        return f"文字の向きを変える制御文字（{code}）"
    return f"制御文字または不正な文字（{code}）"


def text_problem(value: str, *, label: str, max_length: int | None = None, multiline: bool = False) -> str | None:
    """What is wrong with ``value`` as a stored text (a Japanese message naming ``label``), or None."""
    if max_length is not None and len(value) > max_length:
        return f"{label}は{max_length:,}文字以内で入力してください（現在{len(value):,}文字）。"
    char = unsafe_character(value, multiline=multiline)
    if char is not None:
        return f"{label}に使えない文字が含まれています: {_describe(char)}。"
    return None


def find_unsafe(data: object, path: str = "") -> str | None:
    """The path (``lines.3.name``) of the first string in decoded JSON holding NUL or a lone surrogate."""
    if isinstance(data, str):
        bad = "\x00" in data or any(0xD800 <= ord(char) <= 0xDFFF for char in data)
        return (path or "body") if bad else None
    if isinstance(data, dict):
        items: list[tuple[str, object]] = [(str(k), v) for k, v in data.items()]
        for key, value in items:
            found = find_unsafe(key, path) or find_unsafe(value, f"{path}.{key}" if path else key)
            if found:
                return found
    if isinstance(data, list):
        for index, value in enumerate(data):
            found = find_unsafe(value, f"{path}.{index}" if path else str(index))
            if found:
                return found
    return None
