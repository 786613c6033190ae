"""Strict readers of single UBL values (text, amounts, dates, booleans), private to ``einvoice``.

Each reader takes the element to look under, an XPath relative to it and the ``field`` and
Japanese ``label`` to name in an ``InvoiceRejected``. Values are read as XML Schema writes them
(``xs:decimal``, ``xs:date``, ``xs:boolean``), nothing looser: ``float``, ``Decimal`` and
``date.fromisoformat`` accept exponents, ``NaN``, week dates and other forms no invoice
should carry, so a regular expression decides first.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import lru_cache

from lxml import etree

from cityhall.automation.einvoice.errors import InvoiceRejected

CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NS = {"cac": CAC, "cbc": CBC}

# 15 integer digits are far beyond any yen amount (兆 is 13); 6 decimals cover quantities and rates.
_DECIMAL = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,6})?")
_DATE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?")
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
_SHOWN_MAX = 40


def shown(value: str) -> str:
    """A value from the file, cut short for a message (the file may hold anything)."""
    return value if len(value) <= _SHOWN_MAX else value[:_SHOWN_MAX] + "…"


@lru_cache(maxsize=256)
def _compiled(path: str) -> etree.XPath:
    """``path`` compiled once: a compiled XPath runs in libxml2 about three times faster than ``findtext``.

    The paths are the readers' own literals (a few dozen); an XPath object is locked while it runs,
    so threads may share it.
    """
    return etree.XPath(path, namespaces=NS)


def elements(element: etree._Element, path: str) -> list[etree._Element]:
    """The elements at ``path`` under ``element``, in document order (as ``findall``)."""
    found: list[etree._Element] = _compiled(path)(element)
    return found


def first(element: etree._Element, path: str) -> etree._Element | None:
    """The first element at ``path`` under ``element``, or None (as ``find``)."""
    found = elements(element, path)
    return found[0] if found else None


def text(element: etree._Element, path: str) -> str | None:
    """The stripped text at ``path``, or None when the element is missing or empty."""
    found = _compiled(path)(element)  # called some sixty times per invoice: no helper in between
    value = found[0].text if found else None
    if value is None:
        return None
    return str(value).strip() or None


def required_text(element: etree._Element, path: str, *, field: str, label: str) -> str:
    """The text at ``path``; a missing mandatory element rejects the invoice, naming it."""
    value = text(element, path)
    if value is None:
        raise InvoiceRejected(field, f"{label}がありません。")
    return value


def decimal(element: etree._Element, path: str, *, field: str, label: str) -> Decimal | None:
    """The ``xs:decimal`` at ``path`` (amount, quantity, rate), or None when missing."""
    value = text(element, path)
    if value is None:
        return None
    if not _DECIMAL.fullmatch(value):
        raise InvoiceRejected(field, f"{label}「{shown(value)}」を数値として読めません。")
    return Decimal(value)


def required_decimal(element: etree._Element, path: str, *, field: str, label: str) -> Decimal:
    """The ``xs:decimal`` at ``path``; missing rejects the invoice."""
    value = decimal(element, path, field=field, label=label)
    if value is None:
        raise InvoiceRejected(field, f"{label}がありません。")
    return value


def date_value(element: etree._Element, path: str, *, field: str, label: str) -> date | None:
    """The ``xs:date`` at ``path`` (a time zone suffix is allowed and ignored), or None."""
    value = text(element, path)
    if value is None:
        return None
    match = _DATE.fullmatch(value)
    try:
        if match:
            return date.fromisoformat(match.group(1))
    except ValueError:
        pass
    raise InvoiceRejected(field, f"{label}「{shown(value)}」を日付（例: 2024-04-01）として読めません。")


def boolean(element: etree._Element, path: str, *, field: str, label: str) -> bool:
    """The mandatory ``xs:boolean`` at ``path`` (``true``/``false``/``1``/``0``)."""
    value = required_text(element, path, field=field, label=label)
    if value not in _BOOLEANS:
        raise InvoiceRejected(field, f"{label}「{shown(value)}」は true か false で書かれていません。")
    return _BOOLEANS[value]


_CURRENCY_IDS = etree.XPath("descendant-or-self::*/@currencyID")


def currency_ids(root: etree._Element) -> frozenset[str]:
    """Every ``currencyID`` written on an amount anywhere in the document."""
    return frozenset(str(value) for value in _CURRENCY_IDS(root))
