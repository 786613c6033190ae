"""The issue's journey in a browser: 200 delinquent persons imported from the tax system's Shift_JIS list,
a batch for 15 banks drafted and decided on the route, the signed letters and request files downloaded,
three answer files taken in (one row decided by hand), the 差押予定一覧 with its found balances and its
Excel file; then the drafter of another section gets nothing from any of these pages or operations."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from playwright.sync_api import expect

from cityhall.accounts.models import User
from cityhall.core.models import AuditEntry
from cityhall.inquiries.models import (
    Answer,
    BatchPerson,
    Channel,
    DelinquentPerson,
    FoundAsset,
    InquiryBatch,
    Letter,
    LetterFile,
    MatchStatus,
)
from cityhall.inquiries.services.institutions import InstitutionInput, institution_create
from cityhall.testing.inquiries import answer_rows
from cityhall.testing.tables import csv_bytes, xlsx_bytes
from cityhall.testing.web import IMMEDIATE_TASKS, assert_no_serious_violations, client_for, sign_in_session

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SAMPLE = Path(__file__).resolve().parents[1] / "demo" / "delinquent_sample.csv"  # Shift_JIS, 200 persons
REGION = "首都圏"
# 15 banks by their 全銀 codes (none of the test city's three); every third answers digitally.
BANK_CODES = (
    "0009", "0010", "0017", "0033", "0036", "0116", "0130", "0134", "0137", "0149", "0150", "0158", "1310", "1344",
    "1351",
)  # fmt: skip
AREA = "西部地区"  # the batch asks about the imported persons of one area (about twenty)


def _banks(collector: User) -> None:
    """The region's 15 banks in the institution master (not the point of the journey: through the service)."""
    for n, code in enumerate(BANK_CODES):
        institution_create(
            actor=collector,
            data=InstitutionInput(
                kind="bank",
                bank_code=code,
                address=f"東京都千代田区丸の内{n + 1}丁目1番1号",
                region=REGION,
                channel=Channel.DIGITAL if n % 3 == 0 else Channel.PAPER,
            ),
        )


def _pdf_text(path: str) -> str:
    done = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, check=True)
    return re.sub(r"\s+", "", done.stdout.decode())


def _download(page: Any, link: Any) -> Path:
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path())


def _row(person: BatchPerson, answer: str, *asset: object) -> tuple[object, ...]:
    """A row of an answer file about ``person``: 有 with (branch, type, number, balance, last day), or 無."""
    found = asset or ("", "", "", "", "")
    return (person.kana, person.birth_date.strftime("%Y/%m/%d"), "", answer, *found)


def _import_answer(page: Any, letter: Letter, name: str, data: bytes, tmp_path: Path, outcome: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    page.get_by_role("link", name="回答ファイルを取り込む").click()
    page.get_by_label("照会先（照会書）").select_option(value=str(letter.pk))
    page.get_by_label("回答ファイル（CSV・Excel）").set_input_files(str(path))
    page.get_by_role("button", name="取り込む").click()
    expect(page.locator(".shell-messages [role=status]")).to_contain_text(outcome)


def _journey_urls(batch: InquiryBatch, letter: Letter, stranger: Answer, run_id: int) -> list[str]:
    """Every page of the journey, with the batch's document."""
    b, x = batch.pk, letter.pk
    return [
        "/inquiries/imports/", f"/inquiries/imports/{run_id}/", "/inquiries/batches/new/", f"/inquiries/batches/{b}/",
        f"/inquiries/batches/{b}/letters/{x}/pdf/", f"/inquiries/batches/{b}/letters/{x}/csv/",
        f"/inquiries/batches/{b}/answers/", f"/inquiries/batches/{b}/answers/import/",
        f"/inquiries/answers/{stranger.pk}/decide/", f"/inquiries/batches/{b}/seizure/",
        f"/inquiries/batches/{b}/seizure.xlsx", f"/documents/{batch.document_id}/",
    ]  # fmt: skip


def _journey_operations(
    batch: InquiryBatch, letter: Letter, stranger: Answer, run_id: int
) -> list[tuple[str, str, dict[str, Any] | None]]:
    """Every API operation the journey's steps have (method, path, body; a file goes as a form)."""
    b, x = batch.pk, letter.pk
    listing = SimpleUploadedFile("list.csv", SAMPLE.read_bytes(), content_type="text/csv")
    answers = SimpleUploadedFile("answers.csv", csv_bytes(answer_rows()), content_type="text/csv")
    return [
        ("post", "/api/inquiries/person-imports", {"file": listing}),
        ("get", f"/api/inquiries/person-imports/{run_id}", None),
        ("get", "/api/inquiries/persons", None),
        ("post", "/api/inquiries/batches", {"purpose": "財産調査", "base_date": "2025-03-31", "region": REGION}),
        ("get", f"/api/inquiries/batches/{b}", None),
        ("get", f"/api/inquiries/batches/{b}/letters", None),
        ("get", f"/api/inquiries/batches/{b}/letters/{x}/pdf", None),
        ("get", f"/api/inquiries/batches/{b}/letters/{x}/csv", None),
        ("post", f"/api/inquiries/letters/{x}/answer-files", {"file": answers}),
        ("get", f"/api/inquiries/batches/{b}/answers", None),
        ("post", f"/api/inquiries/answers/{stranger.pk}/decision", {"not_ours": True}),
        ("get", f"/api/inquiries/batches/{b}/seizure-list", None),
        ("get", f"/api/inquiries/batches/{b}/seizure-list.xlsx", None),
        ("get", f"/api/documents/{batch.document_id}", None),
    ]


def _call(client: Client, method: str, path: str, body: dict[str, Any] | None) -> Any:
    if body is not None and "file" in body:
        return client.post(path, body)  # multipart
    if method == "get":
        return client.get(path)
    return getattr(client, method)(path, body or {}, content_type="application/json")


@override_settings(CITYHALL_MFA_REQUIRED="never", TASKS=IMMEDIATE_TASKS)
def test_import_batch_decide_download_answer_and_list_what_can_be_seized(
    page, live_server, city, inquiry_city, city_signing, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    w = inquiry_city
    _banks(w.collector)

    # The collector imports the tax system's list of 200 (Shift_JIS) on the screen.
    sign_in_session(page, live_server, w.collector)
    page.goto("/inquiries/imports/")
    page.get_by_label("滞納者一覧のファイル（CSV・Excel）").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="取り込む").click()
    expect(page.get_by_test_id("person-import-outcome")).to_have_text("すべての行を登録しました。")
    expect(page.get_by_test_id("person-import-summary")).to_contain_text("新規200")
    assert DelinquentPerson.objects.filter(section=w.nozei, resident_number__startswith="2").count() == 200
    run_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    assert_no_serious_violations(page)

    # A batch: the persons of one area, every bank of the region (15), drafted on the screen.
    page.goto("/inquiries/batches/new/")
    page.get_by_label("地区").select_option(AREA)
    page.get_by_label("地域の銀行等をすべて照会する").select_option(REGION)
    page.get_by_role("button", name="照会を作成する").click()
    expect(page.get_by_test_id("batch-counts")).to_contain_text("照会先 15 件")
    batch = InquiryBatch.objects.exclude(pk=w.batch.pk).get()
    persons = list(BatchPerson.objects.filter(batch=batch).order_by("kana", "birth_date", "pk"))
    assert 10 <= len(persons) <= 40 and {p.person.area for p in persons} == {AREA}
    expect(page.get_by_test_id("batch-counts")).to_have_text(
        f"対象者 {len(persons)} 名・照会先 15 件・照会 {len(persons) * 15} 件"
    )

    # The route: the collector starts it, the 係長 approves and the 課長 decides on the documents screens.
    page.get_by_role("link", name="文書（回議・決裁）を開く").click()
    page.get_by_role("button", name="回議を開始する").click()
    expect(page.get_by_text("回議を開始しました。")).to_be_visible()
    for approver in (w.kakaricho, w.nozei_kacho):
        sign_in_session(page, live_server, approver)
        page.goto(f"/documents/{batch.document_id}/")
        page.get_by_role("button", name="承認", exact=True).click()
        expect(page.get_by_text("承認しました。")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("決裁済")

    # The letters were numbered and their files made by the task: the collector downloads them.
    sign_in_session(page, live_server, w.collector)
    page.goto(f"/inquiries/batches/{batch.pk}/")
    letters = list(Letter.objects.filter(batch=batch).select_related("institution").order_by("number"))
    assert [x.number for x in letters] == list(range(1, 16))
    assert LetterFile.objects.filter(letter__batch=batch, kind="letter").count() == 15
    table = page.get_by_test_id("letters")
    expect(table.get_by_role("link", name="照会書（PDF）")).to_have_count(15)
    expect(table.get_by_role("link", name="照会ファイル（CSV）")).to_have_count(5)
    digital = next(x for x in letters if x.institution.channel == Channel.DIGITAL)
    row = table.locator("tr", has_text=digital.institution.name)
    text = _pdf_text(str(_download(page, row.get_by_role("link", name="照会書（PDF）"))))
    label = f"{batch.document.number_label}-{digital.number}"
    assert label in text and "回答書" in text and persons[0].name.replace("　", "") in text
    request = _download(page, row.get_by_role("link", name="照会ファイル（CSV）")).read_bytes()
    rows = list(csv.reader(io.StringIO(request.decode())))
    assert len(rows) == len(persons) + 1 and rows[1][0] == label
    assert AuditEntry.objects.filter(action="inquiries.letter.download", actor=w.collector).count() == 2
    assert_no_serious_violations(page)

    # Three answer files: a Shift_JIS CSV, an Excel sheet, and a CSV with a row matching nobody.
    first, second, third = letters[:3]
    a, b, c, d = persons[:4]
    page.get_by_role("link", name="回答の状況").click()
    sjis = answer_rows(
        _row(a, "有", "本店", "普通", "1234567", "350000", "2025/03/01"),
        _row(b, "有", "駅前支店", "定期", "2345678", "1200000", ""),
        *(_row(p, "無") for p in persons[2:]),
    )
    _import_answer(page, first, "回答1.csv", csv_bytes(sjis, "cp932"), tmp_path, f"照合済 {len(persons)} 件")
    excel = answer_rows(_row(a, "有", "本店", "普通", "7777777", 80000, ""), _row(c, "無"))
    _import_answer(page, second, "回答2.xlsx", xlsx_bytes(excel, title="回答"), tmp_path, "照合済 2 件")
    typo = (d.kana, "1901/01/01", "", "有", "本店", "貯蓄", "3456789", "45000", "")  # the birth date mistyped
    _import_answer(page, third, "回答3.csv", csv_bytes(answer_rows(typo, _row(c, "無"))), tmp_path, "該当者なし 1 件")
    stranger = Answer.objects.get(letter=third, match_status=MatchStatus.UNMATCHED)

    # The row matching nobody is decided by hand: the person with the same kana.
    open_rows = page.get_by_test_id("open-answers")
    expect(open_rows.locator("tbody tr")).to_have_count(1)
    open_rows.get_by_role("link", name="対象者を確定する").click()
    expect(page.get_by_test_id("candidates")).to_contain_text(d.person.resident_number)
    page.get_by_label(re.compile(re.escape(d.person.resident_number))).check()
    page.get_by_role("button", name="確定する").click()
    expect(page.get_by_text("照合を確定しました。")).to_be_visible()
    expect(page.get_by_test_id("open-answers")).to_contain_text("照合できなかった行はありません。")
    assert Answer.objects.get(pk=stranger.pk).item.batch_person_id == d.pk  # type: ignore[union-attr]
    assert FoundAsset.objects.filter(answer__letter__batch=batch).count() == 4

    # The 差押予定一覧: the largest total first, the balances found; those with nothing apart; Excel.
    page.get_by_role("link", name="差押予定一覧").first.click()
    found = page.get_by_test_id("seizure-found")
    expect(found.locator("th[scope=rowgroup]")).to_have_count(3)
    expect(found.locator("th[scope=rowgroup]").first).to_have_text(b.person.resident_number)  # ¥1,200,000
    for balance in ("1,200,000円", "350,000円", "80,000円", "430,000円", "45,000円"):
        expect(found).to_contain_text(balance)
    expect(page.get_by_test_id("seizure-waiting")).to_contain_text(f"{len(persons) - 3} 名")  # 12 letters unanswered
    assert_no_serious_violations(page)
    book = _download(page, page.get_by_test_id("seizure-xlsx"))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(book.read_bytes())).active
    cells = [v for r in sheet.iter_rows(values_only=True) for v in r]
    assert 1_200_000 in cells and b.person.resident_number in cells

    # The drafter of another section: not found on every page and operation of the journey, nothing leaks.
    secrets = [a.name, a.kana, b.person.resident_number, "1234567", digital.institution.name, "地方税法"]
    counts = (DelinquentPerson.objects.count(), Answer.objects.count(), InquiryBatch.objects.count())
    sign_in_session(page, live_server, city.drafter)
    refused = []
    for url in _journey_urls(batch, digital, stranger, run_id):
        response = page.goto(url)
        body = page.content()
        if response is None or response.status not in (403, 404) or any(s in body for s in secrets):
            refused.append(url)
    client = client_for(city.drafter)
    for method, path, body in _journey_operations(batch, digital, stranger, run_id):
        response = _call(client, method, path, body)
        if response.status_code not in (403, 404) or any(s in response.content.decode() for s in secrets):
            refused.append(f"{method} {path}")
    assert refused == []
    assert (DelinquentPerson.objects.count(), Answer.objects.count(), InquiryBatch.objects.count()) == counts
