"""In a browser, the issue's journey: an official signs in from outside the office networks and is asked
for a TOTP code; a 個人情報 document's attachment opens only as a watermarked rendered view, its original
is refused on the screen and through the API; back on the office network the same official downloads it.

The browser always connects from 127.0.0.1: "outside" is an ``OFFICE_NETWORKS`` without the loopback
range, "inside" one that holds it (the classification reads the setting on every request).
"""

from __future__ import annotations

import ipaddress
import json
import re
from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from cityhall.core.audit.models import AuditEntry
from cityhall.documents import services
from cityhall.testing.accounts import current_code, give_password, make_device
from cityhall.testing.documents import pdf_bytes, upload
from cityhall.testing.engine import submit
from cityhall.testing.web import DOCUMENTS_API, PASSWORD, assert_no_serious_violations, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

BROWSER_ADDRESS = "127.0.0.1"
# The pixels of a rendered page tinted by the red watermark (a plain PDF page is grey: red and green equal).
MARKED_PIXELS = """img => {
  if (!img.complete || !img.naturalWidth) return 0;
  const canvas = document.createElement("canvas");
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const context = canvas.getContext("2d");
  context.drawImage(img, 0, 0);
  const px = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let marked = 0;
  for (let i = 0; i < px.length; i += 4) if (px[i] - px[i + 1] > 12) marked++;
  return marked;
}"""


def outside() -> override_settings:
    """No office network holds the browser's address: every request is remote (庁外)."""
    return override_settings(OFFICE_NETWORKS=[], CITYHALL_MFA_REQUIRED="remote")


def office() -> override_settings:
    """Office networks that hold the browser's address (庁内)."""
    networks = [ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128")]
    return override_settings(OFFICE_NETWORKS=networks, CITYHALL_MFA_REQUIRED="remote")


def test_remote_official_sees_only_a_watermarked_view_and_downloads_the_original_in_the_office(page, city, draft):
    original = pdf_bytes("住民の氏名と住所の一覧")
    doc = draft(title="住民票の写しの交付記録について", has_personal_info=True)
    attachment = services.attachment_add(
        actor=city.drafter, document=doc, expected_version=doc.version, **upload("交付記録.pdf", original)
    )
    submit(doc)  # on its way to the 係長, who opens it below
    official = city.kakaricho
    give_password(official)
    device = make_device(official)
    detail = f"/documents/{doc.pk}/"
    download = f"/documents/{doc.pk}/attachments/{attachment.pk}/"

    with outside():
        page.goto("/accounts/login/")
        page.get_by_label("ユーザー名").fill(official.username)
        page.get_by_label("パスワード").fill(PASSWORD)
        page.get_by_role("button", name="ログイン").click()
        page.wait_for_url(re.compile(r"/accounts/otp/verify/"))  # the password alone is not enough from outside
        page.get_by_label("確認コード").fill(current_code(device))
        page.get_by_role("button", name="確認する").click()
        page.wait_for_url(lambda url: "/accounts/" not in url)

        page.goto(detail)
        expect(page.get_by_test_id("access-badge")).to_contain_text("庁外（リモート）")
        files = page.get_by_test_id("attachments")
        expect(files).to_contain_text("交付記録.pdf")
        expect(files).to_contain_text("庁外からは原本のダウンロード・印刷はできません")
        expect(files.locator("a[download], a[href$='/view/']")).to_have_count(0)
        assert_no_serious_violations(page)

        files.get_by_test_id("rendered-link").click()
        page.wait_for_url(f"**/attachments/{attachment.pk}/rendered/")
        mark = page.get_by_test_id("watermark")
        expect(mark).to_contain_text(official.full_name)
        expect(mark).to_contain_text(BROWSER_ADDRESS)
        view = page.get_by_test_id("rendered-view")
        image = view.get_by_role("img", name="1 ページ目")
        expect(image).to_be_visible()
        assert image.evaluate(MARKED_PIXELS) > 10_000  # the mark is in the page's pixels, not laid over them
        assert image.get_attribute("src").startswith("data:image/jpeg;base64,")
        expect(page.locator("a[download], a[href*='/attachments/'], a[href*='/signed']")).to_have_count(0)
        expect(page.get_by_role("button", name=re.compile("印刷"))).to_have_count(0)
        page.emulate_media(media="print")
        expect(view).to_be_hidden()  # printing the screen prints no page
        page.emulate_media(media="screen")
        assert_no_serious_violations(page)
        seen = AuditEntry.objects.get(action="documents.attachment.remote_view", object_id=str(attachment.pk))
        assert json.loads(seen.after)["classification"] == ["個人情報"] and seen.source_ip == BROWSER_ADDRESS

        # Typing the original's address does not get it either: the refusal says why and what to do.
        refused = page.goto(download)
        assert refused is not None and refused.status == 403
        expect(page.get_by_role("main")).to_contain_text("庁外")
        expect(page.get_by_role("link", name="透かし入りで表示")).to_be_visible()
        # Nor does the API, with the same session.
        answer = page.request.get(f"{DOCUMENTS_API}/{doc.pk}/attachments/{attachment.pk}")
        assert answer.status == 403
        assert "庁外（リモート）からは原本をダウンロードできません" in answer.json()["detail"]
        assert answer.headers["content-type"].startswith("application/json")

    with office():
        sign_in(page, official)  # in the office no second factor is asked
        assert "/accounts/otp/" not in page.url
        page.goto(detail)
        expect(page.get_by_test_id("access-badge")).to_contain_text("庁内")
        files = page.get_by_test_id("attachments")
        expect(files.get_by_test_id("rendered-link")).to_have_count(0)
        with page.expect_download() as downloaded:
            files.get_by_role("link", name="交付記録.pdf").click()
        assert downloaded.value.suggested_filename == "交付記録.pdf"
        assert Path(downloaded.value.path()).read_bytes() == original
        api = page.request.get(f"{DOCUMENTS_API}/{doc.pk}/attachments/{attachment.pk}")
        assert api.status == 200 and api.body() == original
