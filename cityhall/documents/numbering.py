"""Document numbering (文書番号の採番): section symbol + running number per fiscal year.

The number is taken inside the transaction that creates the document, from the
section's counter row locked with ``select_for_update`` (on SQLite every
transaction already holds the write lock from BEGIN IMMEDIATE). A rolled-back
draft rolls its counter back with it, so numbers have no duplicate and no gap.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from cityhall.documents.models import Document, DocumentNumberCounter
from cityhall.org.models import OrgUnit


def format_number(section: OrgUnit, number: int, sub_number: int = 0) -> str:
    """The printed number, e.g. 「緑総第123号」 or with a sub-number 「緑総第123号の2」."""
    prefix = f"{section.municipality.symbol}{section.symbol}"
    label = f"{prefix}第{number}号"
    return f"{label}の{sub_number}" if sub_number else label


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
