"""A structural check of PDF/A-2b (ISO 19005-2, level B) for the PDFs we make and sign.

Not a validator: veraPDF, the reference validator, is a Java program found
neither in Debian nor on PyPI, so it cannot be installed the way this project
installs things. This module checks the clauses our own output can break,
each named after its clause (and veraPDF's rule number) so that a finding can
be looked up:

- 6.1.2 the header (``%PDF-1.n`` with n ≤ 7, then a comment of four bytes above 127);
- 6.1.3 a file identifier (``/ID``) and no encryption;
- 6.1.7 no external streams and no LZW;
- 6.1.13 no JavaScript, 6.8 no embedded files (a PDF/A-2 may embed only PDF/A);
- 6.2.3 an OutputIntent ``GTS_PDFA1`` with an embedded ICC profile;
- 6.2.10 transparency, which PDF/A-2 allows with a blending colour space: our sheets are
  opaque, and the check keeps them so (no soft mask, no alpha below 1 in a graphics state);
- 6.2.11.4 every font program embedded;
- 6.3.2, 6.3.3 annotations printable, not hidden, with appearances unless empty (an invisible signature);
- 6.4.1 no ``NeedAppearances``;
- 6.6.2 XMP metadata naming part 2, conformance B, and no document information dictionary that could contradict it.

``manage.py check_pdfa FILE`` prints the findings; the signing tests run the
check on a signed, timestamped sheet.
"""

from __future__ import annotations

import re
from io import BytesIO

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader

_HIDDEN_FLAGS = 2 | 32 | 256  # Hidden, NoView, ToggleNoView
_INVISIBLE = 1
_PRINT = 4


def _xmp_value(xmp: str, name: str) -> str | None:
    """``pdfaid:NAME`` written as an attribute or as an element."""
    found = re.search(rf'pdfaid:{name}\s*=\s*"([^"]*)"', xmp) or re.search(
        rf"<pdfaid:{name}>([^<]*)</pdfaid:{name}>", xmp
    )
    return found.group(1).strip() if found else None


def _walk(root: generic.PdfObject) -> list[generic.DictionaryObject]:
    """Every dictionary and stream reachable from ``root`` (each indirect object once)."""
    seen: set[tuple[int, int]] = set()
    found: list[generic.DictionaryObject] = []
    stack: list[generic.PdfObject] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, generic.IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, generic.DictionaryObject):
            found.append(item)
            stack.extend(value for key, value in item.items() if key not in ("/Parent", "/P"))
        elif isinstance(item, generic.ArrayObject):
            stack.extend(item)
    return found


def _header_problems(data: bytes) -> list[str]:
    problems = []
    if not re.match(rb"%PDF-1\.[0-7]\r?\n", data[:10]):
        problems.append("6.1.2: ヘッダーが %PDF-1.0〜1.7 ではありません。")
    second = data.split(b"\n", 2)[1] if data.count(b"\n") > 1 else b""
    if not (second.startswith(b"%") and sum(byte > 127 for byte in second[1:5]) == 4):
        problems.append("6.1.2: ヘッダーの次の行に 128 以上のバイト 4 つのコメントがありません。")
    return problems


def _catalog_problems(reader: PdfFileReader) -> list[str]:
    problems = []
    root = reader.root
    trailer = reader.trailer
    if "/ID" not in trailer:
        problems.append("6.1.3: ファイル識別子 (/ID) がありません。")
    if "/Encrypt" in trailer:
        problems.append("6.1.3: 暗号化されています。")
    if "/Info" in trailer:
        problems.append("6.6.2: 文書情報辞書 (/Info) があります（XMP と食い違うおそれ）。")
    metadata = root.get("/Metadata")
    if metadata is None:
        problems.append("6.6.2: XMP メタデータがありません。")
    else:
        xmp = metadata.get_object().data.decode("utf-8", errors="replace")
        if _xmp_value(xmp, "part") != "2" or (_xmp_value(xmp, "conformance") or "").upper() != "B":
            problems.append("6.6.2: XMP に pdfaid:part=2, pdfaid:conformance=B がありません。")
    intents = [i.get_object() for i in root.get("/OutputIntents", [])]
    pdfa = [i for i in intents if i.get("/S") == "/GTS_PDFA1"]
    if not pdfa or "/DestOutputProfile" not in pdfa[0]:
        problems.append("6.2.3: ICC プロファイル付きの OutputIntent (GTS_PDFA1) がありません。")
    if root.get("/AcroForm") is not None and root["/AcroForm"].get("/NeedAppearances"):
        problems.append("6.4.1: NeedAppearances が true です。")
    names = root.get("/Names")
    if names is not None and ("/JavaScript" in names or "/EmbeddedFiles" in names):
        problems.append("6.1.13 / 6.8: JavaScript または埋め込みファイルがあります。")
    return problems


def _object_problems(item: generic.DictionaryObject) -> list[str]:
    problems = []
    kind = item.get("/Type")
    if isinstance(item, generic.StreamObject):
        filters = item.get("/Filter")
        names = list(filters) if isinstance(filters, generic.ArrayObject) else [filters]
        if "/F" in item or "/LZWDecode" in names:
            problems.append("6.1.7: 外部ストリームまたは LZW 圧縮があります。")
    translucent = item.get("/SMask", "/None") != "/None" or any(float(item.get(k, 1)) < 1 for k in ("/CA", "/ca"))
    if kind == "/ExtGState" and translucent:
        problems.append("6.2.10: 透明（ソフトマスクまたは不透明度 1 未満）があります。")
    if item.get("/S") == "/JavaScript":
        problems.append("6.1.13: JavaScript のアクションがあります。")
    if kind == "/Font" and item.get("/Subtype") not in ("/Type0", "/Type3"):
        descriptor = item.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else None
        if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            problems.append(f"6.2.11.4: フォント {item.get('/BaseFont')} が埋め込まれていません。")
    if kind == "/Annot" or (item.get("/Subtype") == "/Widget"):
        subtype = item.get("/Subtype")
        flags = int(item.get("/F", 0))
        if subtype != "/Popup" and (not flags & _PRINT or flags & (_HIDDEN_FLAGS | _INVISIBLE)):
            problems.append(f"6.3.2: 注釈 {subtype} が印刷可能でないか、非表示です。")
        rect = [float(v) for v in item.get("/Rect", [0, 0, 0, 0])]
        empty = rect[0] == rect[2] and rect[1] == rect[3]
        if subtype not in ("/Popup", "/Link") and not empty and "/AP" not in item:
            problems.append(f"6.3.3: 注釈 {subtype} に外観 (/AP) がありません。")
    return problems


def pdfa_problems(pdf_bytes: bytes) -> list[str]:
    """The PDF/A-2b clauses ``pdf_bytes`` breaks, as Japanese lines (empty when none is found)."""
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        objects = _walk(reader.root)
    except (PdfError, ValueError, KeyError) as exc:
        return [f"PDF を読み込めません: {exc}"]
    problems = _header_problems(pdf_bytes) + _catalog_problems(reader)
    for item in objects:
        for problem in _object_problems(item):
            if problem not in problems:
                problems.append(problem)
    return problems
