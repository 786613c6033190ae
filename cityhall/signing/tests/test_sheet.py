import re
import shutil
import subprocess
from io import BytesIO

from pyhanko.pdf_utils.reader import PdfFileReader

from cityhall.signing.pdfa import pdfa_problems
from cityhall.signing.sheet import human_size, render_sheet
from cityhall.testing.signing import sample_sheet

PDFTOTEXT = shutil.which("pdftotext") or "pdftotext"  # poppler-utils, a system package in the Makefile


def _text(pdf: bytes) -> str:
    done = subprocess.run([PDFTOTEXT, "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


def _fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """(BaseFont, has an embedded TrueType program) for each descendant font of each page."""
    reader = PdfFileReader(BytesIO(pdf))
    found = []
    for page_ref in reader.root["/Pages"]["/Kids"]:
        page = page_ref.get_object()
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"]
                found.append((str(font["/BaseFont"]), "/FontFile2" in descriptor))
    return found


def test_sheet_embeds_the_ipaex_font(sheet_pdf):
    fonts = _fonts(sheet_pdf)
    assert any("IPAexGothic" in name and embedded for name, embedded in fonts)
    assert all(embedded for _name, embedded in fonts)


def test_sheet_is_pdfa_2b(sheet_pdf):
    assert sheet_pdf.startswith(b"%PDF-1.7")
    assert pdfa_problems(sheet_pdf) == []
    xmp = PdfFileReader(BytesIO(sheet_pdf)).root["/Metadata"].get_object().data.decode()
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp


def test_pdfa_check_names_what_an_ordinary_pdf_lacks():
    from fpdf import FPDF

    plain = FPDF()
    plain.add_page()
    plain.set_font("helvetica", size=12)
    plain.cell(text="plain")
    problems = " ".join(pdfa_problems(bytes(plain.output())))
    for clause in ("6.6.2", "6.2.3", "6.2.11.4"):
        assert clause in problems


def test_sheet_japanese_text_is_extractable(sheet_pdf, settings):
    text = _text(sheet_pdf)
    for expected in (
        "起案用紙",
        "緑総第123号",
        "みどり野市",
        "会議室用備品の購入について",
        "課長専決",
        "会議室で使う机と椅子を購入したいので伺います。",
        "8.11.26",
        "渡辺",
        "後閲",
        "課長不在のため代決。",
        "見積書_みどり事務機.pdf",
        "229.1 KB",
        "abababababababab",
        "令和8年11月26日",
    ):
        assert expected in text.replace("\n", "") or expected in text, expected


def test_sheet_dates_follow_the_western_setting(settings):
    settings.CITYHALL_DATE_STYLE = "western"
    text = _text(render_sheet(sample_sheet()))
    assert "2026年11月26日" in text
    assert "2026.11.26" in text
    assert "令和" not in text


def test_long_body_wraps_onto_more_pages():
    body = "\n".join(f"第{n}項 みどり野市の会議室用備品について、詳細な仕様と数量を記載する。" * 3 for n in range(120))
    pdf = render_sheet(sample_sheet(body=body))
    reader = PdfFileReader(BytesIO(pdf))
    assert reader.root["/Pages"]["/Count"] >= 3
    text = _text(pdf)
    assert "第119項" in text
    assert re.search(r"3\s*/\s*\d", text)  # running footer with page numbers


def test_human_size():
    assert human_size(812) == "812 B"
    assert human_size(12_800) == "12.5 KB"
    assert human_size(3 * 1024 * 1024) == "3.0 MB"
