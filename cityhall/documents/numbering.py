"""Document numbering (文書番号の採番): section symbol + running number per fiscal year.

The number is taken inside the transaction that creates the document, from the
section's counter row locked with ``select_for_update`` (on SQLite every
transaction already holds the write lock from BEGIN IMMEDIATE). A rolled-back
draft rolls its counter back with it, so numbers have no duplicate and no gap.

Records taken over from the old register (旧文書管理簿) keep the number the old
register gave them (``parse_number``); ``advance_counters`` then moves each
counter they touch past the highest of them, so the next number taken in that
section and year follows them without a duplicate.

Received documents (収受) are numbered the same way from their own counter per section and
fiscal year (``take_receipt_number``, printed 「緑総収第12号」), so a 収受番号 is gap-free too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from django.db import transaction
from django.db.models import Max, Q

from cityhall.documents.models import Document, DocumentNumberCounter, ReceiptNumberCounter
from cityhall.org.models import OrgUnit


def format_number(section: OrgUnit, number: int, sub_number: int = 0) -> str:
    """The printed number, e.g. 「緑総第123号」 or with a sub-number 「緑総第123号の2」."""
    prefix = f"{section.municipality.symbol}{section.symbol}"
    label = f"{prefix}第{number}号"
    return f"{label}の{sub_number}" if sub_number else label


# 「企政第123号」「第123号の2」「R2企政123号」「123」「123の2」: the running number is the last digits
# before an optional 号, the sub-number (枝番) follows 「の」; whatever precedes is the old symbol.
_WRITTEN_NUMBER = re.compile(r"(?P<prefix>.*?)第?(?P<number>[0-9]{1,9})号?(?:の(?P<sub>[0-9]{1,4}))?")


def parse_number(written: str) -> tuple[int, int, bool] | None:
    """(number, sub-number, whether a symbol precedes) of a number as written, e.g. 「企政第123号の2」 → (123, 2, True).

    None when no running number can be read (no digits, or 0).
    """
    text = re.sub(r"\s", "", unicodedata.normalize("NFKC", written or ""))
    match = _WRITTEN_NUMBER.fullmatch(text)
    if match is None or int(match["number"]) < 1:
        return None
    return int(match["number"]), int(match["sub"] or 0), bool(match["prefix"])


def _locked_counter(section: OrgUnit, fiscal_year: int) -> DocumentNumberCounter:
    counter, _created = DocumentNumberCounter.objects.select_for_update().get_or_create(
        section=section, fiscal_year=fiscal_year
    )
    return counter


def take_number(section: OrgUnit, fiscal_year: int) -> int:
    """The next running number of the section in the fiscal year; call inside the creating transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_number must run inside the transaction that creates the document")
    counter = _locked_counter(section, fiscal_year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def take_sub_number(parent: Document) -> int:
    """The next sub-number (枝番) under ``parent``'s number; serialised by the same counter lock."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_sub_number must run inside the transaction that creates the document")
    _locked_counter(parent.section, parent.fiscal_year)
    top = Document.objects.filter(
        section_id=parent.section_id, fiscal_year=parent.fiscal_year, number=parent.number
    ).aggregate(top=Max("sub_number"))["top"]
    return (top or 0) + 1


def advance_counters(highest: Mapping[tuple[int, int], int]) -> None:
    """Move each (section id, fiscal year) counter to at least ``highest``'s number, locked; inside the transaction.

    Used when records keep numbers given elsewhere (the old register): numbers taken afterwards
    follow the highest of them, so none is given twice.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("advance_counters must run inside the transaction that creates the documents")
    if not highest:
        return
    wanted = Q()
    for section_id, year in highest:
        wanted |= Q(section_id=section_id, fiscal_year=year)
    found = {(c.section_id, c.fiscal_year): c for c in DocumentNumberCounter.objects.select_for_update().filter(wanted)}
    missing = [
        DocumentNumberCounter(section_id=section_id, fiscal_year=year, last_number=top)
        for (section_id, year), top in highest.items()
        if (section_id, year) not in found
    ]
    DocumentNumberCounter.objects.bulk_create(missing)
    for key, counter in found.items():
        if counter.last_number < highest[key]:
            counter.last_number = highest[key]
            counter.save(update_fields=["last_number"])


def format_receipt_number(section: OrgUnit, number: int) -> str:
    """The printed 収受番号, e.g. 「緑総収第12号」 (the section's symbol and 収, so it never reads as a document's)."""
    return f"{section.municipality.symbol}{section.symbol}収第{number}号"


def take_receipt_number(section: OrgUnit, fiscal_year: int) -> int:
    """The next 収受番号 of the section in the fiscal year; call inside the transaction that registers the receipt."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_receipt_number must run inside the transaction that registers the receipt")
    counter, _created = ReceiptNumberCounter.objects.select_for_update().get_or_create(
        section=section, fiscal_year=fiscal_year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number
