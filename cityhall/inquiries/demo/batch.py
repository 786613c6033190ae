"""The demo's decided batch with answers (決裁済の預貯金等照会と回答), all through the services and the engine.

demo-nozei drafts a batch about the persons of 中央地区 for four institutions (two banks answering by
file, ゆうちょ銀行, and a bank answering on paper); the route the 事務決裁規程 gives approves and decides
it (each step by its holder, ``documents.services``), which numbers and dates the letters. Their signed
PDFs and request files are made here, as the worker would (``letter_files.letters_generate``; the task
queued on the decision then finds nothing left to make), when the city has its certificate. Then the
answers come in: a Shift_JIS CSV from みずほ (two persons with deposits, one row matching nobody, left for
a collector to decide), an Excel sheet from ゆうちょ, a UTF-8 CSV from 三菱ＵＦＪ, and paper replies
(回答書) from 埼玉りそな for the first eight persons, so a few persons are known to have nothing anywhere.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Sequence

from cityhall.accounts.models import User
from cityhall.documents import services as engine
from cityhall.documents.defaults import ensure_defaults
from cityhall.documents.models import Document, DocumentStatus, RouteStep, StepState
from cityhall.inquiries.models import BatchPerson, InquiryBatch, Institution, InstitutionKind, Letter
from cityhall.inquiries.selectors.persons import PersonFilters
from cityhall.inquiries.services.answers import AssetInput, ManualAnswer, answer_enter, answer_file_import
from cityhall.inquiries.services.batches import BatchTerms, InstitutionChoice, batch_draft
from cityhall.inquiries.services.letter_files import letters_generate
from cityhall.org.models import OrgUnit

AREA = "中央地区"
BANKS = ("0001", "0005", "0017")  # みずほ and 三菱ＵＦＪ answer by file, 埼玉りそな on paper
PAPER_BANK = "0017"
PAPER_REPLIES = 8
SEED = 2026_1301
HEADER = ("カナ氏名", "生年月日", "住所", "回答", "支店名", "預金種目", "口座番号", "残高", "最終取引日")
STRANGER = (  # a person the bank found, asked about by nobody in the batch: left for a collector to decide
    "ミドリノ　ハナコ", "1961/02/03", "東京都みどり野市北野一丁目2番3号", "有", "本店", "普通", "0012345", "8200", "",
)  # fmt: skip
PAPER_ASSET = AssetInput(branch_name="浦和支店", account_type="ordinary", account_number="4406677", balance=230_000)


def _institutions() -> list[Institution]:
    """The banks of ``BANKS`` and ゆうちょ銀行, when the master has them."""
    rows = Institution.objects.filter(is_active=True)
    found = list(rows.filter(kind=InstitutionKind.BANK, bank_code__in=BANKS))
    found += list(rows.filter(kind=InstitutionKind.POST_BANK)[:1])
    return found


def _decide(document: Document, day: dt.date) -> Document:
    """Start the route as the drafter and let each pending step's holder approve it up to the decision."""
    doc = engine.submit(actor=document.drafter, document=document, expected_version=document.version, on=day)
    while doc.status == DocumentStatus.CIRCULATING:
        step = (
            RouteStep.objects.filter(document=doc, round=doc.current_round, state=StepState.PENDING)
            .select_related("assignee")
            .order_by("order")
            .first()
        )
        if step is None:
            break
        doc = engine.approve(actor=step.assignee, document=doc, expected_version=doc.version, on=day)
    return doc


def _row(person: BatchPerson, found: tuple[str, str, str, int, str] | None) -> list[object]:
    """A row of an answer file about ``person``: 有 with (branch, type, number, balance, last day) or 無."""
    head: list[object] = [person.kana, person.birth_date.strftime("%Y/%m/%d"), person.address]
    if found is None:
        return [*head, "無", "", "", "", "", ""]
    return [*head, "有", *found]


def _csv(rows: Sequence[Sequence[object]], encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([HEADER, *rows])
    return out.getvalue().encode(encoding)


def _xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "回答"
    for row in (HEADER, *rows):
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _files(persons: list[BatchPerson], day: dt.date) -> dict[str, tuple[str, bytes]]:
    """The answer files by institution (bank code, 「post」): their names and bytes, the same every run."""
    rng = random.Random(SEED)
    last = (day - dt.timedelta(days=rng.randint(3, 40))).strftime("%Y/%m/%d")
    mizuho = {0: ("本店", "普通", "1203344", 352_000, last), 3: ("みどり野支店", "定期", "2204455", 1_000_000, "")}
    post = {0: ("〇一八店", "通常貯金", "12345671", 48_000, last), 2: ("〇一八店", "定額貯金", "22345672", 12_000, "")}
    mufg = {1: ("みどり野駅前支店", "普通", "3305566", 1_250_000, last)}
    rows = {
        "0001": [_row(p, mizuho.get(n)) for n, p in enumerate(persons)] + [list(STRANGER)],
        "post": [_row(p, post.get(n)) for n, p in enumerate(persons)],
        "0005": [_row(p, mufg.get(n)) for n, p in enumerate(persons)],
    }
    return {
        "0001": ("mizuho_kaito.csv", _csv(rows["0001"], "cp932")),
        "post": ("yucho_kaito.xlsx", _xlsx(rows["post"])),
        "0005": ("mufg_kaito.csv", _csv(rows["0005"], "utf-8")),
    }


def _key(letter: Letter) -> str:
    return letter.institution.bank_code if letter.institution.kind == InstitutionKind.BANK else "post"


def _answers(user: User, batch: InquiryBatch, day: dt.date) -> int:
    """The three answer files and the paper replies; how many answers were taken in."""
    persons = list(BatchPerson.objects.filter(batch=batch).order_by("kana", "birth_date", "pk"))
    letters = {_key(x): x for x in Letter.objects.filter(batch=batch).select_related("institution")}
    on = max([day, *(x.sent_on for x in letters.values() if x.sent_on is not None)])
    taken = 0
    for key, (name, data) in _files(persons, day).items():
        if key in letters:
            taken += answer_file_import(actor=user, letter=letters[key], name=name, data=data, on=on).file.rows
    paper = letters.get(PAPER_BANK)
    if paper is None:
        return taken
    for n, person in enumerate(persons[:PAPER_REPLIES]):  # the paper replies (回答書) typed in
        assets = (PAPER_ASSET,) if n == 3 else ()
        number = person.person.resident_number
        reply = ManualAnswer(resident_number=number, result="found" if assets else "none", assets=assets)
        answer_enter(actor=user, letter=paper, data=reply, on=on)
        taken += 1
    return taken


def seed_batch(user: User, section: OrgUnit, day: dt.date) -> str:
    """Draft, decide and answer the demo's batch unless the section has one; a summary, or "" if it had."""
    if InquiryBatch.objects.filter(section=section).exists():
        return ""
    institutions = _institutions()
    if not institutions:
        return ""
    ensure_defaults(actor="seed_demo")
    batch = batch_draft(
        actor=user,
        filters=PersonFilters(area=AREA),
        institutions=InstitutionChoice(institution_ids=[i.pk for i in institutions]),
        terms=BatchTerms(purpose="滞納処分のための財産調査（中央地区）", base_date=day),
        on=day,
    )
    document = _decide(Document.objects.get(pk=batch.document_id), day)
    if document.status != DocumentStatus.DECIDED:
        return f"預貯金等照会 {document.number_label} は{document.get_status_display()}です（決裁に至りませんでした）。"
    from cityhall.signing.certs import city_certificate

    made = letters_generate(batch.pk) if city_certificate() is not None else 0
    answers = _answers(user, batch, day)
    persons = BatchPerson.objects.filter(batch=batch).count()
    return (
        f"決裁済の預貯金等照会 {document.number_label}（{persons}名・照会先{len(institutions)}件、"
        f"照会書の作成{made}通、回答{answers}件）"
    )
