"""What a page shows in the wrong language: untranslated Japanese in English pages, ISO dates in Japanese ones.

``untranslated_runs(html, stored)`` reads the text a person sees (text nodes, and the ``title``,
``alt``, ``placeholder``, ``aria-label``, ``label`` attributes and button values; of an ``<svg>`` picture,
such as the red seal stamp whose drawn words are part of the image, only its label) and returns the runs that
still hold kana or kanji once the data stored in the database (``stored``: names, titles, units,
budget headings, banks — ``stored_strings()`` collects every one) is taken out. Japanese legal
terms after English in parentheses (「Decided by section chief (課長専決)」) are allowed, and so is
the language switch's 「日本語」 and a run of only 「・」「ー」. Form input values and text areas are
what the user typed or the database holds, never a label, so they are left out, and so is an element
the page declares Japanese (``lang="ja"`` below ``<html>``): what a Japanese file holds, such as the
headers an old system exports, shown as they must be typed.

``iso_dates(html)`` returns the ISO dates (2026-11-29) in the visible text of a page, for the
Japanese pages' one date style (和暦).

Written on the standard library's ``html.parser``: a tolerant tokenizer is all this needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser

from django.apps import apps
from django.db import models

KANA_KANJI = re.compile(
    r"[\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fd-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    r"々〆ヶ\uff66-\uff9d]"
)
"""Hiragana, katakana (full and half width), kanji; not 「・」「ー」 nor punctuation."""
ALLOWED = ("日本語",)
"""Text that stays Japanese in the English pages: the language switch's name of Japanese."""
ISO_DATE = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")
# A parenthesised Japanese term after English: "(課長専決)", "（課長専決）".
_JAPANESE_IN_PARENTHESES = re.compile(r"[(（][^()（）A-Za-z]*[)）]")
_LATIN = re.compile(r"[A-Za-z]")
_SKIPPED = {"script", "style", "textarea", "template", "noscript"}
# Pictures whose drawn text is part of the image (the red seal stamp); their aria-label is read.
_PICTURES = {"svg"}
_SHOWN_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label", "label")
_BUTTON_INPUTS = {"submit", "button", "reset"}
# Apps whose models hold the data the pages show; contrib apps hold no Japanese of ours.
_DATA_APPS_PREFIX = "cityhall."


class _VisibleText(HTMLParser):
    """Collects the text runs and labelling attributes a person sees or hears read out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in _SKIPPED or (tag != "html" and values.get("lang") == "ja"):
            self._skipping.append(tag)
            return
        if not self._skipping:
            for name in _SHOWN_ATTRIBUTES:
                if values.get(name):
                    self.runs.append(str(values[name]))
        if tag in _PICTURES:
            self._skipping.append(tag)
            return
        if tag == "input" and (values.get("type") or "").lower() in _BUTTON_INPUTS and values.get("value"):
            self.runs.append(str(values["value"]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED or tag in _PICTURES:
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and tag == self._skipping[-1]:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.runs.append(" ".join(data.split()))


def visible_runs(html: str) -> list[str]:
    """The text runs of ``html`` a person sees: text nodes and labelling attributes, whitespace collapsed."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return parser.runs


def stored_strings() -> set[str]:
    """Every Japanese text value in the project's tables: names, titles, units, headings, banks.

    Fields with choices are left out (their labels are translated, never shown raw), and so are
    values without kana or kanji.
    """
    found: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith(_DATA_APPS_PREFIX):
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            found.update(_japanese_parts(row))
    return found


def _japanese_parts(values: Iterable[object]) -> Iterator[str]:
    for value in values:
        # JSON kept in a text column (audit snapshots) is never shown as it is.
        if isinstance(value, str) and KANA_KANJI.search(value) and not value.lstrip().startswith(("{", "[")):
            yield value.strip()
            # A long text is shown line by line and with its whitespace collapsed.
            for line in value.splitlines():
                if KANA_KANJI.search(line):
                    yield " ".join(line.split())


def untranslated_runs(html: str, stored: Iterable[str] = ()) -> list[str]:
    """The visible runs of ``html`` that still contain kana or kanji outside ``stored`` data."""
    data: dict[str, list[str]] = {}
    for value in {s for s in stored if s} | set(ALLOWED):
        data.setdefault(value[0], []).append(value)
    left = []
    for run in visible_runs(html):
        if not KANA_KANJI.search(run):
            continue
        rest = _uncovered(run, data)
        if _LATIN.search(_JAPANESE_IN_PARENTHESES.sub(" ", rest)):
            rest = _JAPANESE_IN_PARENTHESES.sub(" ", rest)
        if KANA_KANJI.search(rest):
            left.append(run)
    return left


def _uncovered(run: str, data: dict[str, list[str]]) -> str:
    """``run`` with every character inside an occurrence of a stored value blanked (occurrences may overlap).

    ``data`` holds the stored values by their first character.
    """
    covered = [False] * len(run)
    for value in (v for char in set(run) for v in data.get(char, ())):
        start = run.find(value)
        while start != -1:
            covered[start : start + len(value)] = [True] * len(value)
            start = run.find(value, start + 1)
    return "".join(" " if hit else char for char, hit in zip(run, covered, strict=True))


def iso_dates(html: str) -> list[str]:
    """The visible runs of ``html`` showing an ISO date (2026-11-29); form input values are not visible runs."""
    return [run for run in visible_runs(html) if ISO_DATE.search(run)]
