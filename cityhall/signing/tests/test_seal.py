import datetime
import xml.etree.ElementTree as ET

from cityhall.signing.seal import Stamp, stamp_svg

SVG = "{http://www.w3.org/2000/svg}"
DAY = datetime.date(2026, 11, 26)


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def test_stamp_svg_has_surname_section_and_wareki_date(settings):
    settings.CITYHALL_DATE_STYLE = "wareki"
    svg = stamp_svg(Stamp("田中", DAY, top="総務課"))
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "田中 令和8年11月26日 決裁"
    assert _texts(svg) == ["総務課", "8.11.26", "田中"]
    assert len(list(root.iter(f"{SVG}line"))) == 2
    assert len(list(root.iter(f"{SVG}circle"))) == 1


def test_stamp_svg_western_date_by_setting(settings):
    settings.CITYHALL_DATE_STYLE = "western"
    svg = stamp_svg(Stamp("田中", DAY, top="総務課"))
    assert "2026.11.26" in _texts(svg)
    assert ET.fromstring(svg).get("aria-label") == "田中 2026年11月26日 決裁"


def test_stamp_without_section_puts_surname_on_top_and_action_below(settings):
    settings.CITYHALL_DATE_STYLE = "wareki"
    assert _texts(stamp_svg(Stamp("田中", DAY, action="承認"))) == ["田中", "8.11.26", "承認"]


def test_proxy_stamp_has_dai_mark(settings):
    settings.CITYHALL_DATE_STYLE = "wareki"
    svg = stamp_svg(Stamp("渡辺", DAY, top="総務課", proxy=True))
    assert _texts(svg)[-1] == "代"
    assert ET.fromstring(svg).get("aria-label") == "渡辺 令和8年11月26日 決裁（代決）"
    assert len(list(ET.fromstring(svg).iter(f"{SVG}circle"))) == 2


def test_post_review_stamp_has_koetsu_mark(settings):
    settings.CITYHALL_DATE_STYLE = "wareki"
    svg = stamp_svg(Stamp("田中", DAY, top="総務課", post_review=True))
    assert _texts(svg)[-1] == "後閲"
    assert "（後閲）" in (ET.fromstring(svg).get("aria-label") or "")
    assert "代" not in _texts(svg)


def test_stamp_text_is_escaped_and_long_names_are_squeezed():
    svg = stamp_svg(Stamp("<b>", DAY, top="みどり野市総務部総務課"))
    assert "<b>" not in svg
    root = ET.fromstring(svg)
    top = next(root.iter(f"{SVG}text"))
    assert top.text == "みどり野市総務部総務課"
    assert top.get("lengthAdjust") == "spacingAndGlyphs"


def test_first_year_of_an_era():
    svg = stamp_svg(Stamp("田中", datetime.date(2019, 5, 1)), style="wareki")
    assert "1.5.1" in _texts(svg)
    assert "令和元年5月1日" in (ET.fromstring(svg).get("aria-label") or "")


def test_template_tag_renders_the_stamp(settings):
    from django.template import Context, Template

    settings.CITYHALL_DATE_STYLE = "wareki"
    template = Template("{% load seal %}<p>{% seal_stamp stamp size=40 %}</p><p>{% seal_stamp none_stamp %}</p>")
    html = template.render(Context({"stamp": Stamp("田中", DAY, top="総務課"), "none_stamp": None}))
    assert 'aria-label="田中 令和8年11月26日 決裁"' in html
    assert 'width="40"' in html
    assert html.endswith("<p></p>")
