"""Importing answer files (回答ファイルの取込): Shift_JIS CSV and Excel, matched by kana and birth date, all or none."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.core.models import AuditEntry
from cityhall.inquiries.models import Answer, AnswerFile, FoundAsset, Letter, LetterStatus, MatchOn
from cityhall.inquiries.services.answers import AnswersRefused, answer_file_import, answer_layout_set
from cityhall.inquiries.services.institutions import InstitutionInput, institution_update
from cityhall.testing.city import last_entry
from cityhall.testing.inquiries import answer_rows, letters_sent

pytestmark = pytest.mark.django_db


def _rows() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (AnswerFile, Answer, FoundAsset, AuditEntry))


def _letter(w, institution) -> Letter:
    return Letter.objects.get(batch=w.batch, institution=institution)


def test_a_shift_jis_file_is_matched_by_kana_and_birth_date_and_lists_strangers(inquiry_city, csv_file):
    w = inquiry_city
    letters_sent(w.batch)
    data = csv_file(
        answer_rows(
            ("ﾔﾏﾀﾞ ﾀﾛｳ", "1980/05/01", "", "有", "本店", "普通", "1234567", "350,000", "2025/03/01"),
            ("ﾔﾏﾀﾞ ﾀﾛｳ", "19800501", "", "有", "新宿支店", "定期", "7654321", "1000000", ""),
            ("すずき　はなこ", "S55.5.1", "", "無", "", "", "", "", ""),
            ("サトウ イチロウ", "1980-05-01", "", "有", "本店", "普通", "1111111", "5000", ""),  # not asked
        ),
        encoding="cp932",
    )
    letter = _letter(w, w.banks["0001"])
    result = answer_file_import(actor=w.collector, letter=letter, name="回答.csv", data=data)
    assert (result.matched, result.unmatched, result.ambiguous) == (3, 1, 0)
    answers = list(Answer.objects.filter(answer_file=result.file).order_by("row_number"))
    assert [a.item.batch_person.person_id if a.item else None for a in answers] == [w.yamada.pk] * 2 + [
        w.suzuki.pk,
        None,
    ]
    assert sorted(FoundAsset.objects.filter(answer__in=answers[:2]).values_list("balance", flat=True)) == [  # type: ignore[type-var]
        350_000,
        1_000_000,
    ]
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ANSWERED and letter.answered_on == dt.date.today()
    entry = last_entry()
    assert entry.action == "inquiries.answer.import" and json.loads(entry.after)["unmatched"] == 1
    with pytest.raises(Conflict, match="取り込み済み"):  # the same file twice, even for another letter
        answer_file_import(actor=w.collector, letter=_letter(w, w.banks["0005"]), name="x.csv", data=data)


def test_an_excel_file_in_the_institutions_own_layout_matches_on_former_addresses(inquiry_city, xlsx_file):
    w = inquiry_city
    letters_sent(w.batch)
    institution_update(
        actor=w.collector, institution=w.post_bank, data=_input(w.post_bank, match_on=MatchOn.KANA_BIRTH_ADDRESS)
    )
    answer_layout_set(
        actor=w.collector,
        institution=w.post_bank,
        layout={
            "columns": {"kana": "#2", "birth_date": "生年", "address": "届出住所", "balance": "現在高"},
            "header_row": 2,
        },
    )
    data = xlsx_file(
        [
            ("ゆうちょ銀行 回答",),
            ("No", "名前カナ", "生年", "届出住所", "記号", "口座番号", "現在高"),
            (1, "ヤマダ　タロウ", dt.date(1980, 5, 1), "埼玉県所沢市１丁目２番３号", "10100", "12345671", 80_000),
            (2, "ヤマダ　タロウ", dt.date(1980, 5, 1), "大阪府大阪市1-1", "10100", "22222222", 5),
        ],
        title="回答",
    )
    result = answer_file_import(actor=w.collector, letter=_letter(w, w.post_bank), name="yucho.xlsx", data=data)
    assert (result.matched, result.unmatched) == (1, 1)
    asset = FoundAsset.objects.get(answer__answer_file=result.file, answer__match_status="matched")
    assert (asset.branch_code, asset.account_number, asset.balance) == ("10100", "12345671", 80_000)


def _input(institution, **changes):
    fields = (
        "kind",
        "name",
        "kana",
        "bank_code",
        "branch_code",
        "postal_code",
        "address",
        "addressee",
        "region",
        "channel",
        "match_on",
    )
    return InstitutionInput(**({f: getattr(institution, f) for f in fields} | changes))


def test_bad_rows_refuse_the_whole_file_naming_row_field_and_reason(inquiry_city, csv_file):
    w = inquiry_city
    letters_sent(w.batch)
    before = _rows()
    data = csv_file(
        answer_rows(
            ("ﾔﾏﾀﾞ ﾀﾛｳ", "1980/05/01", "", "有", "本店", "普通", "1234567", "350000", ""),
            ("", "1980/02/30", "", "有", "本店", "普通", "", "-5", ""),
        ),
        encoding="cp932",
    )
    with pytest.raises(AnswersRefused) as refused:
        answer_file_import(actor=w.collector, letter=_letter(w, w.banks["0001"]), name="a.csv", data=data)
    rows: list[dict[str, Any]] = refused.value.extra["rows"]  # type: ignore[assignment]
    assert {(r["row"], r["field"]) for r in rows} >= {(3, "kana"), (3, "birth_date"), (3, "account_number")}
    assert all(r["message"].startswith("3行目") for r in rows)
    assert _rows() == before


def test_a_letter_not_sent_or_of_another_section_is_refused(inquiry_city, csv_file):
    w = inquiry_city
    data = csv_file(answer_rows(("ﾔﾏﾀﾞ ﾀﾛｳ", "1980/05/01", "", "無", "", "", "", "", "")))
    before = _rows()
    with pytest.raises(ValidationFailed, match="まだ送付されていない"):
        answer_file_import(actor=w.collector, letter=_letter(w, w.banks["0001"]), name="a.csv", data=data)
    letters_sent(w.batch)
    with pytest.raises(PermissionDenied):
        answer_file_import(actor=w.zeimu_collector, letter=_letter(w, w.banks["0001"]), name="a.csv", data=data)
    assert _rows() == before
