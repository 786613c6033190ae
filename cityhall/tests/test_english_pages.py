"""English mode is complete on the main journeys, and Japanese mode keeps one date style (表示言語).

Each demo role of the test city signs in, chooses English with the language cookie and opens the
pages of its day's work; no visible text may remain Japanese except the data the database holds
(names, titles, units, budget headings, banks) and Japanese legal terms in parentheses after their
English. The same pages in Japanese show dates in 和暦 only (no ISO date outside form inputs) and
amounts in 円, never ¥.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from cityhall.accounts.models import User
from cityhall.documents.selectors import Bucket
from cityhall.documents.services import record_store, send_back
from cityhall.documents.services.paper_records import OldRecord, paper_records_insert
from cityhall.finance.models import PaymentBatch, PaymentOrder
from cityhall.finance.services import (
    OrderLineInput,
    batch_export,
    batch_mark_paid,
    order_refund,
    order_review_approve,
)
from cityhall.finance.services.withholding import month_of
from cityhall.org import services as org_services
from cityhall.org.models import Role
from cityhall.telework.models import InventoryTask, SurveyAnswer
from cityhall.telework.services.inventory import TaskInput, inventory_task_create
from cityhall.telework.services.survey import SurveyInput, survey_answer_set
from cityhall.testing.accounts import make_device
from cityhall.testing.city import SETUP, SINCE
from cityhall.testing.documents import draft_document, submitted_document
from cityhall.testing.engine import approve_to_decision, document_of, pending_step, submit
from cityhall.testing.finance import decided_order, pay_day
from cityhall.testing.i18n import iso_dates, stored_strings, untranslated_runs, visible_runs
from cityhall.testing.inquiries import answered
from cityhall.testing.notifications import unread_notice
from cityhall.testing.plugin import sqlite_only
from cityhall.testing.records import overdue_loan, storage_box
from cityhall.testing.telework import future_monday, telework_request
from cityhall.testing.web import client_for

pytestmark = pytest.mark.django_db


def _client(user: User, language: str) -> Client:
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _pages(city: SimpleNamespace, world: SimpleNamespace) -> list[tuple[User, str]]:
    """(who, where) for the main journeys: every role's menu entries and the pages they lead to."""
    inbox = reverse("documents:inbox")
    documents = [world.plain, world.returned, world.encumbrance_doc, world.order_doc]
    pages: list[tuple[User, str]] = [(city.drafter, reverse("web:home"))]
    pages += [(who, f"{inbox}?tab={tab.value}") for who in (city.drafter, city.kacho) for tab in Bucket]
    pages += [(who, reverse("documents:detail", args=[d.pk])) for who in (city.drafter, city.kacho) for d in documents]
    pages += [(city.kacho, reverse("documents:preview", args=[d.pk])) for d in documents]
    pages += [(city.kacho, reverse("web:home")), (city.shicho, reverse("web:home"))]
    pages += [
        (city.drafter, reverse("documents:new")),
        (city.drafter, reverse("documents:search") + "?q=修繕"),
        (city.drafter, reverse("documents:search")),
        (city.drafter, reverse("documents:register")),
        (city.drafter, reverse("documents:register") + f"?section={city.units.soumu.pk}&fiscal_year=2020"),
        (city.drafter, reverse("documents:detail", args=[world.old_record.pk])),
        (city.docmgr, reverse("documents:register")),
        (city.docmgr, reverse("documents:receipts")),
        (city.drafter, reverse("documents:saved_routes")),
        (city.drafter, reverse("finance:encumbrances")),
        (city.drafter, reverse("finance:encumbrance", args=[world.encumbrance.pk])),
        (city.drafter, reverse("finance:encumbrance_new")),
        (city.drafter, reverse("finance:payment_orders")),
        (city.drafter, reverse("finance:payment_order", args=[world.order.pk])),
        (city.drafter, reverse("finance:payment_order_new")),
        (city.drafter, reverse("finance:reports")),
        (city.drafter, reverse("finance:report_sections")),
        (city.drafter, reverse("finance:report_line", args=[world.budget.line.pk])),
        (world.budget.staff, reverse("finance:budget")),
        (world.budget.staff, reverse("finance:budget_line", args=[world.budget.line.pk])),
        (world.budget.staff, reverse("finance:budget_setsu")),
        (world.budget.staff, reverse("finance:creditors")),
        (world.budget.staff, reverse("finance:creditor", args=[world.budget.creditor.pk])),
        (world.budget.staff, reverse("finance:creditor_new")),
        (world.treasurer, reverse("web:home")),
        (world.treasurer, reverse("finance:review_queue")),
        (world.treasurer, reverse("finance:batches")),
        (world.treasurer, reverse("finance:batch", args=[world.batch.pk])),
        (world.auditor, reverse("web:home")),
        (world.it_admin, reverse("web:home")),
        (city.drafter, reverse("notifications:list")),
        (city.drafter, reverse("accounts:otp_enrol")),
        (world.secured, reverse("accounts:recovery_codes")),
        (city.drafter, reverse("signing:verify")),
        (city.drafter, reverse("documents:edit", args=[world.draft.pk])),
        (city.drafter, reverse("documents:receipt_new")),
        (world.budget.staff, reverse("finance:budget_line_new")),
        (world.budget.staff, reverse("finance:budget_version_new")),
        (world.budget.staff, reverse("finance:movement_transfer_new")),
        (world.budget.staff, reverse("finance:movement_reserve_new")),
        (world.budget.staff, reverse("finance:movement_carry_new")),
        (world.budget.staff, reverse("finance:carry_plan")),
        (world.executive, reverse("dashboard:page")),
        (world.executive, reverse("dashboard:documents") + "?medium=electronic"),
        (world.executive, reverse("dashboard:savings")),
        (city.drafter, reverse("automation:upload")),
        (city.drafter, reverse("automation:hours_saved")),
        (city.drafter, reverse("automation:recurring")),
        (world.budget.staff, reverse("automation:layouts")),
        (world.budget.staff, reverse("automation:layout_edit", args=[world.budget.creditor.pk])),
        (world.budget.staff, reverse("automation:upload")),
        (world.budget.staff, reverse("automation:switchover")),
        (world.budget.staff, reverse("automation:switchover_layout", args=["creditors"])),
        (world.budget.staff, reverse("finance:creditor_edit", args=[world.budget.creditor.pk])),
        (world.it_admin, reverse("web:status")),
        (world.it_admin, reverse("telework:policy")),
        (world.it_admin, reverse("telework:limits")),
        (city.drafter, reverse("telework:requests")),
        (city.drafter, reverse("telework:calendar") + f"?start={world.telework_day}"),
        (city.kakaricho, reverse("telework:request", args=[world.telework.pk])),
        (city.kakaricho, reverse("documents:detail", args=[world.telework.document_id])),
        (city.drafter, "/no-such-page/"),
        (city.outsider, reverse("finance:batches")),
        (city.outsider, reverse("finance:budget")),
        (city.outsider, reverse("finance:review_queue")),
    ]
    pages += _records_pages(city, world)
    pages += _audit_and_treasury_pages(city, world)
    pages += _inquiry_pages(world.inquiries, world.answers)
    pages += _telework_pages(city, world)
    return pages


def _records_pages(city: SimpleNamespace, world: SimpleNamespace) -> list[tuple[User, str]]:
    """文書の保存: extension, formal additions, paper decisions, the file plan, storerooms and loans."""
    record = world.old_record.pk
    return [
        (city.docmgr, reverse("documents:retention", args=[record])),
        (city.docmgr, reverse("documents:formal_additions", args=[record])),
        (city.drafter, reverse("documents:retention", args=[record])),
        (city.kacho, reverse("documents:paper_decision_new")),
        (city.drafter, reverse("documents:file_plan")),
        (city.docmgr, reverse("documents:file_plan") + "?ended=1"),
        (city.docmgr, reverse("documents:file_plan_new")),
        (city.docmgr, reverse("documents:file_plan_edit", args=[city.plan.pk])),
        (city.docmgr, reverse("documents:storage")),
        (city.drafter, reverse("documents:storage")),
        (city.docmgr, reverse("documents:storage_box", args=[world.box.pk])),
        (city.docmgr, reverse("documents:record_storage", args=[record])),
        (city.drafter, reverse("documents:record_storage", args=[record])),
        (city.docmgr, reverse("documents:loans") + "?state=overdue"),
        (city.drafter, reverse("documents:loans") + "?state=returned"),
        (city.docmgr, reverse("documents:detail", args=[record])),
    ]


def _telework_pages(city: SimpleNamespace, world: SimpleNamespace) -> list[tuple[User, str]]:
    """テレワーク: the task inventory (課長, 情報政策), a task, the survey, a section's summary, the rules."""
    section = city.units.soumu.pk
    task = InventoryTask.objects.filter(section_id=section).first() or inventory_task_create(
        actor=city.kacho,
        section_id=section,
        data=TaskInput("例規の審査", 120, "例規システム", ("seals", "personal_data"), "general"),
    )
    if not SurveyAnswer.objects.filter(user=city.drafter).exists():
        survey_answer_set(actor=city.drafter, data=SurveyInput(True, True, False, True, "子の送迎", 30))
    return [
        (city.kacho, reverse("telework:inventory")),
        (city.kacho, reverse("telework:inventory_section", args=[section])),
        (city.kacho, reverse("telework:inventory_task", args=[task.pk])),
        (world.it_admin, reverse("telework:inventory")),
        (city.drafter, reverse("telework:survey")),
        (city.kacho, reverse("telework:survey")),
        (city.kacho, reverse("telework:survey_section", args=[section])),
        (world.it_admin, reverse("telework:survey_rules")),
    ]


def _inquiry_pages(w: SimpleNamespace, a: SimpleNamespace) -> list[tuple[User, str]]:
    """財産照会: the collector's persons, institutions, batches, letters and answers; the batch document."""
    return [
        (w.collector, reverse("inquiries:answers", args=[w.batch.pk])),
        (w.collector, reverse("inquiries:answer_import", args=[w.batch.pk])),
        (w.collector, reverse("inquiries:answer_manual", args=[a.letter.pk])),
        (w.collector, reverse("inquiries:answer_decide", args=[a.stranger.pk])),
        (w.collector, reverse("inquiries:seizure", args=[w.batch.pk])),
        (w.collector, reverse("inquiries:answer_layout", args=[w.insurer.pk])),
        (w.collector, reverse("inquiries:persons")),
        (w.collector, reverse("inquiries:persons") + "?area=北部地区&inquired=yes"),
        (w.collector, reverse("inquiries:person", args=[w.suzuki.pk])),
        (w.collector, reverse("inquiries:person_imports")),
        (w.collector, reverse("inquiries:person_import", args=[w.person_import.pk])),
        (w.collector, reverse("inquiries:person_import_layout")),
        (w.collector, reverse("inquiries:institutions")),
        (w.collector, reverse("inquiries:institution_new")),
        (w.collector, reverse("inquiries:institution_edit", args=[w.banks["0001"].pk])),
        (w.collector, reverse("inquiries:batches")),
        (w.collector, reverse("inquiries:batch_new")),
        (w.collector, reverse("inquiries:batch", args=[w.batch.pk])),
        (w.collector, reverse("inquiries:letter", args=[w.batch.pk, w.batch.letters.order_by("pk").first().pk])),
        (w.collector, reverse("inquiries:overdue")),
        (w.collector, reverse("documents:detail", args=[w.batch.document_id])),
        (w.kakaricho, reverse("documents:detail", args=[w.batch.document_id])),
    ]


def _audit_and_treasury_pages(city: SimpleNamespace, world: SimpleNamespace) -> list[tuple[User, str]]:
    """The audit room (監査室), IT's account support, the 会計管理者's batches, paying accounts and 歳計外現金."""
    month = month_of(world.paid_batch.payment_date)
    return [
        (world.auditor, reverse("auditroom:room")),
        (world.auditor, reverse("auditroom:room") + "?object_type=documents.document&access=office"),
        (world.it_admin, reverse("auditroom:room")),
        (city.drafter, reverse("auditroom:room")),
        (world.it_admin, reverse("org:account_support")),
        (city.drafter, reverse("org:account_support")),
        (world.treasurer, reverse("finance:batch_export", args=[world.batch.pk])),
        (world.treasurer, reverse("finance:batch", args=[world.paid_batch.pk])),
        (world.treasurer, reverse("finance:paying_accounts")),
        (world.treasurer, reverse("finance:paying_account", args=[world.budget.account.pk])),
        (world.treasurer, reverse("finance:withholding")),
        (world.treasurer, reverse("finance:withholding_month", args=[month.year, month.month])),
        (world.treasurer, reverse("finance:payment_order", args=[world.lecture.pk])),
        (city.drafter, reverse("finance:payment_order", args=[world.advance.pk])),
        (city.drafter, reverse("finance:payment_order", args=[world.lecture.pk])),
        (city.drafter, reverse("finance:payment_orders")),
        (city.outsider, reverse("finance:withholding")),
        (city.outsider, reverse("finance:paying_accounts")),
    ]


@pytest.fixture
def world(
    city: SimpleNamespace,
    budget: SimpleNamespace,
    batch: Any,
    treasurer: User,
    encumber: Any,
    suzuki: Any,
    zengin_files: None,
    inquiry_city: SimpleNamespace,
) -> Any:
    """A plain document on its route, a decided encumbrance, an order waiting for review, an open batch, a paid one."""
    plain = submitted_document(city)
    draft = draft_document(city, title="庁舎の清掃について")
    returned = submitted_document(city, title="備品の購入について")
    step = pending_step(returned)
    returned = send_back(
        actor=step.assignee, document=returned, expected_version=returned.version, comment="金額を確認してください。"
    )
    encumbrance = encumber()
    encumbrance_doc = approve_to_decision(submit(encumbrance))
    order = decided_order(city, budget)
    unread_notice(city.drafter)
    auditor, it_admin = _with_role("kansa", Role.AUDITOR), _with_role("it", Role.IT_ADMIN)
    org_services.role_grant(actor=SETUP, user=city.shicho, role=Role.EXECUTIVE, valid_from=SINCE)
    secured = city.shunin
    make_device(secured)
    advance, lecture, paid_batch = _paid_batch(city, budget, treasurer, suzuki)
    with transaction.atomic():  # a paper original taken over from the old register (旧文書管理簿)
        old = OldRecord(
            section=city.units.soumu,
            fiscal_year=2020,
            old_number="総第12号",
            title="文書事務研修の実施について",
            decided_on=dt.date(2020, 6, 3),
            file_plan_class=city.plan,
            location="第1書庫 棚3 箱12",
            decider="旧田 一郎",
        )
        (old_record,) = paper_records_insert(actor=city.docmgr, records=[old])
    box = storage_box(city)  # the old record in a box of the 書庫, lent and overdue (借覧)
    record_store(actor=city.docmgr, document=old_record, box=box, expected_version=old_record.version)
    overdue_loan(city, old_record)
    submit(inquiry_city.batch)  # on its route: 納税課's 係長 reads it
    telework_day = future_monday()
    telework = telework_request(city.drafter2, telework_day)
    submit(telework)  # on its route: the 係長 decides it
    return SimpleNamespace(
        old_record=old_record,
        box=box,
        plain=plain,
        draft=draft,
        returned=returned,
        encumbrance=encumbrance,
        encumbrance_doc=encumbrance_doc,
        order=order,
        order_doc=document_of(order),
        budget=budget,
        batch=batch,
        treasurer=treasurer,
        auditor=auditor,
        it_admin=it_admin,
        telework=telework,
        telework_day=telework_day,
        executive=city.shicho,
        secured=secured,
        advance=advance,
        lecture=lecture,
        paid_batch=paid_batch,
        inquiries=inquiry_city,
        answers=answered(inquiry_city),
    )


def _paid_batch(
    city: SimpleNamespace, budget: SimpleNamespace, treasurer: User, suzuki: Any
) -> tuple[PaymentOrder, PaymentOrder, PaymentBatch]:
    """A later payment date's batch, exported and paid: a 資金前渡 waiting for its 精算, and a 講演料
    with 源泉所得税 withheld (so the 歳計外現金 ledger has a month) of which part came back (戻入)."""
    day = pay_day(pay_day())
    advance = decided_order(
        city,
        budget,
        amounts=(50_000,),
        payment_method="advance",
        advance_holder=city.shunin,
        description="研修会の参加費",
        payment_date=day,
    )
    lecture = decided_order(
        city,
        budget,
        lines=[OrderLineInput(creditor=suzuki, amount=100_000, withholding_kind="manuscript")],
        payment_date=day,
    )
    for order in (advance, lecture):
        approved = order_review_approve(actor=treasurer, order=order)
    assert approved.batch is not None
    batch_export(actor=treasurer, batch=approved.batch)
    paid = batch_mark_paid(actor=treasurer, batch=approved.batch)
    order_refund(actor=city.drafter, order=lecture, amount=5_000, reason="過払いの返納")
    return advance, lecture, paid


def _with_role(username: str, role: str) -> User:
    user = User.objects.create_user(username=username, last_name="監田", first_name="花子")
    org_services.role_grant(actor=SETUP, user=user, role=role, valid_from=SINCE)
    return user


def _configured_data() -> set[str]:
    """Data kept in the settings rather than the database: the city-wide 全銀 requester name (半角カナ for the bank)."""
    return {value for value in settings.CITYHALL_ZENGIN.values() if isinstance(value, str)}


def _visit(pages: Iterable[tuple[User, str]], language: str) -> dict[str, str]:
    """The HTML of each page, keyed ``username url``, following a redirect once (language kept)."""
    seen = {}
    for user, url in pages:
        response = _client(user, language).get(url, follow=True)
        assert response.status_code in {200, 403, 404}, f"{user.username} {url}: {response.status_code}"
        seen[f"{user.username} {url}"] = response.content.decode()
    return seen


@sqlite_only
def test_the_main_pages_speak_one_language_each(city, world):
    """One test for both languages: building the world of documents is what takes the time."""
    english = _visit(_pages(city, world), "en")
    stored = stored_strings() | _configured_data()
    untranslated = {where: runs for where, html in english.items() if (runs := untranslated_runs(html, stored))}
    report = "\n".join(f"{where}: {' | '.join(dict.fromkeys(runs))}" for where, runs in untranslated.items())
    assert not untranslated, "untranslated text in English pages:\n" + report
    plain = f"{city.kacho.username} {reverse('documents:detail', args=[world.plain.pk])}"
    assert "Decided by section chief (課長専決)" in english[plain]

    japanese = _visit(_pages(city, world), "ja")
    iso = {where: found for where, html in japanese.items() if (found := iso_dates(html))}
    assert not iso, f"ISO dates in Japanese pages: {iso}"
    dollar = {
        where: found for where, html in japanese.items() if (found := [r for r in visible_runs(html) if "¥" in r])
    }
    assert not dollar, f"¥ in Japanese pages: {dollar}"
    assert ">課長専決<" in japanese[plain]


def test_the_sign_in_page_in_english_shows_no_untranslated_japanese(db):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in html
    assert untranslated_runs(html) == []


def test_the_helper_finds_untranslated_text_and_ignores_data():
    html = (
        '<p>Status: 決裁済み</p><p title="ヘルプ">Help</p><p>総務課</p><button lang="ja">日本語</button>'
        '<p>Decided by section chief (課長専決)</p><input value="入力した値"><textarea>本文</textarea><p>・</p>'
        '<td lang="ja">取引先コード</td>'
    )
    assert untranslated_runs(html, {"総務課"}) == ["Status: 決裁済み", "ヘルプ"]
    assert iso_dates('<p>2026-11-29</p><input value="2026-11-29">') == ["2026-11-29"]
