"""Reading an uploaded XML file without trusting it (信頼できないXMLの安全な読み込み).

E-invoices come from outside the city hall, so the bytes are hostile until proven otherwise.
``parse`` refuses, each with a Japanese message a clerk can act on (``InvoiceRejected`` with
``field="file"``), and never lets an lxml exception escape:

* empty files and files over ``max_bytes`` (checked before lxml sees a byte, so a huge upload
  costs no parsing);
* files that are plainly something else: a PDF, an Excel or ZIP file, CSV or other text, HTML
  (the usual mistakes when a clerk picks the wrong file);
* any encoding but UTF-8 (Peppol documents are UTF-8; a UTF-16 file would also hide a DOCTYPE
  from the byte check below) and bytes that are not valid UTF-8;
* any DTD: a ``<!DOCTYPE`` or ``<!ENTITY`` in the prolog is refused before parsing, and the
  parsed tree is checked again (``docinfo``). UBL needs no DTD, and a DTD is how external
  entities (XXE: ``file:///etc/passwd``) and entity bombs ("billion laughs") get in;
* nesting deeper than ``max_depth`` (one XPath query run inside libxml2; UBL invoices are about 8 deep).

The lxml parser is hardened as a second line of defence: entities are not resolved, no DTD is
loaded, nothing is fetched from the network, libxml2's own size limits stay on
(``huge_tree=False``), and comments and processing instructions are dropped.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from lxml import etree

from cityhall.automation.einvoice.errors import InvoiceRejected

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_DEPTH", "parse"]

DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_MAX_DEPTH = 40
FIELD = "file"

_UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = {
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\xfe\xff": "UTF-16",
    b"\xff\xfe": "UTF-16",
}
# Magic numbers of the files most often uploaded by mistake.
_OTHER_KINDS = {
    b"%PDF": "PDFファイル",
    b"PK\x03\x04": "Excel（.xlsx）またはZIPファイル",
    b"\xd0\xcf\x11\xe0": "Excel（.xls）またはWordファイル",
}
_DECLARED_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
_LXML_POSITION = re.compile(r",\s*line \d+, column \d+$")
_DETAIL_MAX = 120


def parse(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_depth: int = DEFAULT_MAX_DEPTH) -> etree._Element:
    """The root element of ``data``, or ``InvoiceRejected`` saying why the file is refused."""
    _check_size(data, max_bytes)
    text = data.removeprefix(_UTF8_BOM)
    _check_kind(text)
    _check_encoding(text)
    _check_prolog(text)
    root = _parse(text, max_depth)
    _check_no_dtd(root)
    _check_depth(root, max_depth)
    return root


def _check_size(data: bytes, max_bytes: int) -> None:
    """The length first: nothing else (not even ``strip``) touches an oversize upload."""
    if len(data) > max_bytes:
        raise InvoiceRejected(
            FIELD,
            f"ファイルが大きすぎます（上限 {_size(max_bytes)}、このファイルは {_size(len(data))}）。",
        )
    if not data.strip():
        raise InvoiceRejected(FIELD, "ファイルが空です。")


def _size(n_bytes: int) -> str:
    if n_bytes >= 1_000_000:
        return f"{n_bytes / 1_000_000:.{0 if n_bytes % 1_000_000 == 0 else 1}f}MB"
    return f"{n_bytes:,}バイト"


def _check_kind(data: bytes) -> None:
    """Refuse the files a clerk picks by mistake, naming what they seem to be."""
    for magic, encoding in _OTHER_BOMS.items():
        if data.startswith(magic):
            raise _not_utf8(encoding)
    for magic, kind in _OTHER_KINDS.items():
        if data.startswith(magic):
            raise InvoiceRejected(FIELD, f"{kind}です。XML形式の電子請求書（JP PINT）を選んでください。")
    head = data.lstrip()
    if head[:15].lower().startswith((b"<!doctype html", b"<html")):
        raise InvoiceRejected(FIELD, "HTMLファイルです。XML形式の電子請求書（JP PINT）を選んでください。")
    if not head.startswith(b"<"):
        raise InvoiceRejected(
            FIELD, "XMLではありません（先頭が「<」ではありません）。CSVやテキストではなくXMLファイルを選んでください。"
        )


def _check_encoding(data: bytes) -> None:
    declared = _DECLARED_ENCODING.match(data.lstrip())
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        name = declared.group(1).decode("ascii", "replace")[:20]
        raise _not_utf8(name)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InvoiceRejected(FIELD, f"UTF-8 として読めない文字があります（{line}行目）。") from None


def _not_utf8(encoding: str) -> InvoiceRejected:
    return InvoiceRejected(FIELD, f"文字コードが UTF-8 ではありません（{encoding}）。UTF-8 のXMLを選んでください。")


def _check_prolog(data: bytes) -> None:
    """Refuse a DTD before lxml sees it: walk the prolog (XML declaration, comments, whitespace)."""
    pos = 0
    while (item := _PROLOG_ITEM.match(data, pos)) and item.end() > pos:
        pos = item.end()
    if data.startswith((b"<!DOCTYPE", b"<!ENTITY"), pos):
        raise InvoiceRejected(FIELD, "DTD・実体宣言を含むXMLは受け付けません（XXE対策）。")


_local = threading.local()


def _parser() -> etree.XMLParser:
    """This thread's hardened parser: made once, as a parser costs a third of parsing a small invoice."""
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = _new_parser()
    return parser


def _new_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        attribute_defaults=False,
        collect_ids=False,
    )


def _parse(data: bytes, max_depth: int) -> etree._Element:
    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, max_depth) from None
    except etree.LxmlError:
        # Not a syntax error but still lxml refusing the bytes: report it without its internals.
        raise InvoiceRejected(FIELD, "XMLとして読めません。") from None


def _syntax_error(exc: etree.XMLSyntaxError, max_depth: int) -> InvoiceRejected:
    detail = _LXML_POSITION.sub("", str(exc.msg or ""))[:_DETAIL_MAX]
    if "Excessive depth" in detail:
        # libxml2's own limit (256) tripped before our depth check could run.
        return InvoiceRejected(FIELD, f"要素の入れ子が深すぎます（上限 {max_depth}）。")
    line = f"{exc.lineno}行目: " if exc.lineno else ""
    return InvoiceRejected(FIELD, f"XMLとして読めません（{line}{detail}）。")


def _check_no_dtd(root: etree._Element) -> None:
    """Second check after parsing, in case a DTD reached lxml in a form the byte check missed."""
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise InvoiceRejected(FIELD, "DTD・実体宣言を含むXMLは受け付けません（XXE対策）。")


@lru_cache(maxsize=8)
def _below(max_depth: int) -> etree.XPath:
    """Whether an element lies deeper than ``max_depth``: the root (depth 1) then ``max_depth`` steps down.

    libxml2 walks the tree in C (no Python loop over the elements, no recursion to exhaust); an
    XPath object is locked while it runs, so threads may share it.
    """
    return etree.XPath("boolean(" + "/".join(["*"] * max_depth) + ")")


def _check_depth(root: etree._Element, max_depth: int) -> None:
    if max_depth < 1 or _below(max_depth)(root):
        raise InvoiceRejected(FIELD, f"要素の入れ子が深すぎます（上限 {max_depth}）。")
