"""Files that must never be read as invoices: XXE, entity bombs, deep or huge files, non-XML."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from cityhall.automation.einvoice import safe_xml
from cityhall.automation.einvoice.errors import InvoiceRejected
from cityhall.automation.einvoice.safe_xml import parse

XXE = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE Invoice [<!ENTITY leak SYSTEM "file:///etc/passwd">]>
<Invoice><Note>&leak;</Note></Invoice>"""

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + b"".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">\n'.encode() for n in range(1, 10))
    + b"]>\n<lolz>&lol9;</lolz>"
)

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def rejected(data: bytes, **limits: int) -> InvoiceRejected:
    with pytest.raises(InvoiceRejected) as caught:
        parse(data, **limits)
    error = caught.value
    assert error.field == "file"
    assert JAPANESE.search(error.message), error.message
    assert "root:" not in error.message
    return error


def test_external_entity_is_refused_before_parsing():
    assert "XXE" in rejected(XXE).message


def test_external_entity_is_refused_after_parsing_too(monkeypatch):
    # If the byte check ever missed a DOCTYPE, the parsed tree's docinfo still refuses it.
    monkeypatch.setattr(safe_xml, "_check_prolog", lambda data: None)
    assert "XXE" in rejected(XXE).message


def test_the_parser_itself_never_resolves_the_entity():
    root = etree.fromstring(XXE, safe_xml._parser())
    assert b"root:" not in etree.tostring(root)


def test_entity_bomb_is_refused():
    assert "DTD" in rejected(BILLION_LAUGHS).message


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE Invoice>\n<Invoice/>",
        b'<?xml version="1.0"?>\n<!-- a comment <x> first -->\n<!DOCTYPE Invoice SYSTEM "http://example.com/a.dtd"><Invoice/>',
        b'<!ENTITY x "y"><Invoice/>',
    ],
    ids=["doctype alone", "after a comment", "entity alone"],
)
def test_any_dtd_is_refused(data):
    assert rejected(data).message == "DTD・実体宣言を含むXMLは受け付けません（XXE対策）。"


def test_deep_nesting_is_refused():
    assert rejected(b"<a>" * 60 + b"</a>" * 60).message == "要素の入れ子が深すぎます（上限 40）。"


def test_nesting_beyond_libxml2s_own_limit_gets_the_same_reason():
    assert "入れ子が深すぎます" in rejected(b"<a>" * 300 + b"</a>" * 300).message


def test_depth_limit_is_inclusive():
    assert parse(b"<a>" * 40 + b"</a>" * 40).tag == "a"
    assert "上限 3" in rejected(b"<a><b><c><d/></c></b></a>", max_depth=3).message


def test_oversize_file_is_refused_before_parsing(monkeypatch):
    def never(data, max_depth):
        raise AssertionError("parsed an oversize file")

    monkeypatch.setattr(safe_xml, "_parse", never)
    big = b"<Invoice>" + b"a" * 6_000_000 + b"</Invoice>"
    assert "ファイルが大きすぎます（上限 5MB" in rejected(big).message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDFファイルです"),
        (b"", "ファイルが空です"),
        (b"  \n", "ファイルが空です"),
        (
            b'<?xml version="1.0" encoding="UTF-8"?>\n<Invoice>\xff\xfe</Invoice>',
            "UTF-8 として読めない文字があります（2行目）",
        ),
        ("請求書番号,金額\n156,289490\n".encode(), "XMLではありません"),
        ("請求書番号,金額\n".encode("cp932"), "XMLではありません"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel（.xlsx）またはZIPファイル"),
        (b"<!DOCTYPE html><html><body>invoice</body></html>", "HTMLファイルです"),
        ('<?xml version="1.0"?><Invoice/>'.encode("utf-16"), "UTF-8 ではありません（UTF-16）"),
        ('<?xml version="1.0" encoding="Shift_JIS"?><Invoice>請求</Invoice>'.encode("cp932"), "（Shift_JIS）"),
        (b"<Invoice>\n<ID>1</Invoice>", "XMLとして読めません（2行目: "),
    ],
    ids=["pdf", "empty", "blank", "bad utf-8", "csv", "csv shift_jis", "xlsx", "html", "utf-16", "shift_jis", "broken"],
)
def test_non_xml_files_get_a_clear_reason(data, expected):
    assert expected in rejected(data).message


def test_a_plain_utf8_document_is_read_without_comments():
    root = parse(
        '\ufeff<?xml version="1.0" encoding="utf-8"?><!-- c --><Invoice><ID>請求1</ID><!-- x --></Invoice>'.encode()
    )
    assert etree.tostring(root, encoding="unicode") == "<Invoice><ID>請求1</ID></Invoice>"
