"""The watermarked rendered view of an attachment (透かし入りの表示), for remote sessions.

A PDF's pages are rendered to images on the server by ``pdftoppm`` (poppler-utils, the package that
already extracts PDF text); an image is read by Pillow. Each page gets the watermark drawn into its
pixels, diagonally and repeated: the viewer's name and user name, the time and the remote address,
so a photograph or screenshot of the screen names who saw it, when and from where. Other types are
not rendered: their extracted text, if any, is shown under the same watermark on the page.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.network import AccessContext
from cityhall.documents.models import Attachment, ReceiptFile

MAX_PAGES = 20
DPI = 80
RENDER_TIMEOUT_SECONDS = 30


def watermark_text(user: User, access: AccessContext) -> str:
    """「山田 太郎 (yamada) 2026-04-01 10:05 203.0.113.20」: who, when, from where."""
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return f"{user.full_name or user.get_username()} ({user.get_username()}) {stamp} {access.ip}"


def _pdf_pages(data: bytes) -> list[bytes]:
    exe = shutil.which("pdftoppm")
    if exe is None:
        return []
    with tempfile.TemporaryDirectory(prefix="cityhall-render-") as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(data)
        try:
            subprocess.run(  # noqa: S603 - fixed executable, no shell, our own temp path
                [exe, "-q", "-png", "-r", str(DPI), "-l", str(MAX_PAGES), str(source), str(Path(tmp) / "page")],
                capture_output=True,
                timeout=RENDER_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return []
        return [path.read_bytes() for path in sorted(Path(tmp).glob("page-*.png"))]


def _stamped(image_bytes: bytes, text: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    from cityhall.signing.fonts import GOTHIC, font_path

    page = Image.open(io.BytesIO(image_bytes)).convert("RGB")
    size = max(14, page.width // 40)
    font = ImageFont.truetype(str(font_path(GOTHIC)), size)
    layer = Image.new("RGBA", (page.width * 2, page.height * 2), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    step_y, step_x = size * 5, int(draw.textlength(text, font=font)) + size * 3
    for row, y in enumerate(range(0, layer.height, step_y)):
        for x in range(-(row % 2) * step_x // 2, layer.width, step_x):
            draw.text((x, y), text, font=font, fill=(200, 0, 0, 90))
    layer = layer.rotate(30, center=(layer.width // 2, layer.height // 2))
    left, top = page.width // 2, page.height // 2
    mark = layer.crop((left, top, left + page.width, top + page.height))
    page.paste(mark, (0, 0), mark)
    out = io.BytesIO()
    page.save(out, format="JPEG", quality=70)
    return out.getvalue()


def rendered_pages(attachment: Attachment | ReceiptFile, text: str) -> list[bytes]:
    """The pages of an attachment or a receipt's file as JPEG images with the watermark burnt in; [] if none."""
    if not (attachment.is_pdf or attachment.is_image):
        return []
    with attachment.file.open("rb") as handle:
        data = handle.read()
    pages = _pdf_pages(data) if attachment.is_pdf else [data]
    try:
        return [_stamped(page, text) for page in pages]
    except OSError:
        return []
