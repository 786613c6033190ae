"""Approvers' actions: permission, stale versions, proxy decision with post-review, pull back, send back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cityhall.core.audit import verify_chain
from cityhall.core.audit.models import AuditEntry
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed
from cityhall.documents import registry, services
from cityhall.documents.models import Document, DocumentStatus, PostReview, StepState
from cityhall.documents.selectors import Bucket, available_actions, inbox, inbox_counts
from cityhall.testing.city import absent
from cityhall.testing.documents import pdf_bytes, upload


def _steps(doc):
    return [(s.round, s.assignee.username, s.state, s.by_proxy) for s in doc.steps.order_by("round", "order")]


def test_approve_requires_the_pending_assignee(city, submitted):
    doc = submitted()
    for someone in (city.outsider, city.drafter, city.hosa):
        with pytest.raises(PermissionDenied):
            services.approve(actor=someone, document=doc, expected_version=doc.version)
    with pytest.raises(Conflict, match="まだあなたの処理待ちではありません"):
        services.approve(actor=city.kacho, document=doc, expected_version=doc.version)
    doc.refresh_from_db()
    assert doc.steps.filter(state=StepState.APPROVED).count() == 0


def test_approve_on_stale_version_is_a_conflict(city, submitted):
    doc = submitted()
    with pytest.raises(Conflict, match="この文書は開いた後に変更されています"):
        services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version - 1)


def test_proxy_decision_marks_dai_and_creates_post_review(city, submitted):
    doc = submitted()
    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    absent(city.kacho, proxy=city.hosa)
    assert list(inbox(city.hosa, Bucket.PENDING)) == [doc]
    assert "decide_proxy" in available_actions(city.hosa, doc)
    doc = services.approve(actor=city.hosa, document=doc, expected_version=doc.version)
    assert doc.status == DocumentStatus.DECIDED
    assert (doc.decided_by, doc.decided_by_proxy) == (city.hosa, True)
    assert _steps(doc)[-1] == (1, "kacho", StepState.DECIDED, True)
    review = PostReview.objects.get()
    assert review.reviewer == city.kacho
    assert inbox_counts(city.kacho).post_review == 1
    with pytest.raises(PermissionDenied):
        services.post_review_complete(actor=city.hosa, review=review)
    services.post_review_complete(actor=city.kacho, review=review, comment="確認しました")
    with pytest.raises(Conflict):
        services.post_review_complete(actor=city.kacho, review=review)
    assert inbox_counts(city.kacho).post_review == 0
    assert AuditEntry.objects.filter(action="documents.document.decide_proxy").exists()


def test_a_proxy_never_decides_their_own_draft(city, submitted):
    """補佐 drafts a 課長専決 matter; the 課長 is absent with 補佐 as 代決者: the draft waits for the 課長."""
    doc = submitted(by=city.hosa)
    absent(city.kacho, proxy=city.hosa)
    assert "decide_proxy" not in available_actions(city.hosa, doc)
    assert list(inbox(city.hosa, Bucket.PENDING)) == []
    with pytest.raises(PermissionDenied, match="起案者は自分の起案を承認・決裁できません"):
        services.approve(actor=city.hosa, document=doc, expected_version=doc.version)
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.CIRCULATING and doc.decided_by is None
    doc = services.approve(actor=city.kacho, document=doc, expected_version=doc.version)
    assert (doc.decided_by, doc.decided_by_proxy) == (city.kacho, False)


def test_no_proxy_decision_for_important_matters_or_present_deciders(city, submitted):
    doc = submitted(is_important=True)
    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    with pytest.raises(PermissionDenied):  # the 課長 is present
        services.approve(actor=city.hosa, document=doc, expected_version=doc.version)
    absent(city.kacho, proxy=city.hosa)
    with pytest.raises(PermissionDenied, match="重要案件"):
        services.approve(actor=city.hosa, document=doc, expected_version=doc.version)
    assert list(inbox(city.hosa, Bucket.PENDING)) == []


def test_absent_intermediate_approver_is_skipped_into_post_review(city, submitted):
    doc = submitted()
    absent(city.kakaricho)
    with pytest.raises(PermissionDenied):
        services.skip_absent(actor=city.outsider, document=doc, expected_version=doc.version)
    doc = services.skip_absent(actor=city.drafter, document=doc, expected_version=doc.version)
    assert _steps(doc)[0][2] == StepState.SKIPPED
    assert PostReview.objects.get().reviewer == city.kakaricho
    doc = services.approve(actor=city.kacho, document=doc, expected_version=doc.version)
    assert doc.status == DocumentStatus.DECIDED


def test_skip_refused_when_approver_present(city, submitted):
    doc = submitted()
    with pytest.raises(ValidationFailed):
        services.skip_absent(actor=city.drafter, document=doc, expected_version=doc.version)


def test_drafter_pulls_back_before_first_approver_acts(city, submitted):
    doc = submitted()
    doc = services.pull_back(actor=city.drafter, document=doc, expected_version=doc.version)
    assert doc.status == DocumentStatus.DRAFT
    assert {s.state for s in doc.steps.all()} == {StepState.CANCELLED}
    assert inbox(city.kakaricho, Bucket.PENDING).count() == 0
    doc = services.submit(actor=city.drafter, document=doc, expected_version=doc.version)
    assert doc.current_round == 2


def test_pull_back_after_next_approver_acted_is_refused(city, submitted):
    doc = submitted()
    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    with pytest.raises(Conflict, match="引き戻せません"):
        services.pull_back(actor=city.drafter, document=doc, expected_version=doc.version)
    # the 係長 may still pull back their own approval: the 課長 has not acted
    doc = services.pull_back(actor=city.kakaricho, document=doc, expected_version=doc.version)
    assert [s[2] for s in _steps(doc)] == [StepState.PENDING, StepState.WAITING]
    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    doc = services.approve(actor=city.kacho, document=doc, expected_version=doc.version)
    with pytest.raises(Conflict):
        services.pull_back(actor=city.kakaricho, document=doc, expected_version=doc.version)


def test_approving_a_pulled_back_draft_fails_clearly(city, submitted):
    doc = submitted()
    seen = doc.version
    services.pull_back(actor=city.drafter, document=doc, expected_version=seen)
    with pytest.raises(Conflict, match="変更されています"):
        services.approve(actor=city.kakaricho, document=doc, expected_version=seen)


def test_send_back_and_resubmit_starts_a_new_round(city, submitted):
    doc = submitted()
    with pytest.raises(ValidationFailed):
        services.send_back(actor=city.kakaricho, document=doc, expected_version=doc.version, comment=" ")
    doc = services.send_back(actor=city.kakaricho, document=doc, expected_version=doc.version, comment="金額を確認")
    assert doc.status == DocumentStatus.SENT_BACK
    assert list(inbox(city.drafter, Bucket.SENT_BACK)) == [doc]
    doc = services.draft_update(actor=city.drafter, document=doc, expected_version=doc.version, body="修正後")
    doc = services.resubmit(actor=city.drafter, document=doc, expected_version=doc.version)
    assert doc.current_round == 2
    assert _steps(doc) == [
        (1, "kakaricho", StepState.SENT_BACK, False),
        (1, "kacho", StepState.CANCELLED, False),
        (2, "kakaricho", StepState.PENDING, False),
        (2, "kacho", StepState.WAITING, False),
    ]


def test_reject_ends_the_draft(city, submitted):
    doc = submitted()
    doc = services.reject(actor=city.kakaricho, document=doc, expected_version=doc.version, comment="不要")
    assert doc.status == DocumentStatus.REJECTED
    with pytest.raises(Conflict):
        services.resubmit(actor=city.drafter, document=doc, expected_version=doc.version)


def test_withdraw_only_by_drafter(city, submitted):
    doc = submitted()
    with pytest.raises(PermissionDenied):
        services.withdraw(actor=city.kakaricho, document=doc, expected_version=doc.version)
    doc = services.withdraw(actor=city.drafter, document=doc, expected_version=doc.version)
    assert doc.status == DocumentStatus.WITHDRAWN
    assert not doc.steps.filter(state=StepState.PENDING).exists()


def test_consultation_agree_and_object(city, submitted):
    doc = submitted(consult_units=[city.units.zaisei, city.units.jinji])
    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    pending = {s.assignee.username for s in doc.steps.filter(state=StepState.PENDING)}
    assert pending == {"zaisei_kacho", "jinji_kacho"}
    with pytest.raises(Conflict):
        services.approve(actor=city.kacho, document=doc, expected_version=doc.version)
    doc = services.agree(actor=city.zaisei_kacho, document=doc, expected_version=doc.version)
    with pytest.raises(ValidationFailed):
        services.object_to(actor=city.jinji_kacho, document=doc, expected_version=doc.version, comment="")
    doc = services.object_to(actor=city.jinji_kacho, document=doc, expected_version=doc.version, comment="定員に影響")
    assert doc.steps.get(assignee=city.kacho).state == StepState.PENDING
    doc = services.approve(actor=city.kacho, document=doc, expected_version=doc.version)
    assert doc.status == DocumentStatus.DECIDED


def test_comment_by_members_only(city, submitted):
    doc = submitted()
    services.comment_add(actor=city.kacho, document=doc, body="先に確認します")
    with pytest.raises(PermissionDenied):
        services.comment_add(actor=city.outsider, document=doc, body="部外者")
    assert doc.comments.count() == 1


def test_bulk_approve_reports_each_item(city, submitted):
    first = submitted()
    second = submitted(title="二件目")
    services.approve(actor=city.kakaricho, document=second, expected_version=second.version)
    results = services.bulk_approve(
        actor=city.kakaricho, items=[(first.pk, first.version), (second.pk, second.version)]
    )
    assert [(r.document_id, r.ok) for r in results] == [(first.pk, True), (second.pk, False)]
    assert "変更されています" in results[1].message


def test_decided_record_is_immutable_but_attachments_can_be_added(city, submitted):
    doc = submitted()
    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    doc = services.approve(actor=city.kacho, document=doc, expected_version=doc.version)
    with pytest.raises(Conflict):
        services.draft_update(actor=city.drafter, document=doc, expected_version=doc.version, title="改ざん")
    with pytest.raises(Conflict):
        services.withdraw(actor=city.drafter, document=doc, expected_version=doc.version)
    added = services.attachment_add(actor=city.drafter, document=doc, **upload("追加資料.pdf", pdf_bytes()))
    assert added.added_after_decision
    with pytest.raises(Conflict):
        services.attachment_remove(actor=city.drafter, attachment=added, expected_version=doc.version)
    with pytest.raises(PermissionDenied):
        services.formal_addition(
            actor=city.drafter, document=doc, expected_version=doc.version, field="title", value="x", reason="誤字"
        )
    addition = services.formal_addition(
        actor=city.docmgr,
        document=doc,
        expected_version=doc.version,
        field="title",
        value="公用車の修理について",
        reason="誤字の補正",
    )
    assert (addition.before, addition.after) == ("公用車の修繕について", "公用車の修理について")
    entry = AuditEntry.objects.get(action="documents.document.formal_addition")
    assert "公用車の修繕について" in entry.before
    assert verify_chain().ok


def test_close_sets_expiry_and_extension_is_recorded(city, submitted):
    import datetime as dt

    doc = submitted()
    doc = services.approve(actor=city.kakaricho, document=doc, expected_version=doc.version)
    doc = services.approve(actor=city.kacho, document=doc, expected_version=doc.version)
    doc = services.issue(actor=city.drafter, document=doc, expected_version=doc.version)
    closed_on = doc.issued_on
    assert closed_on is not None
    doc = services.close(actor=city.drafter, document=doc, expected_version=doc.version, closed_on=closed_on)
    assert doc.status == DocumentStatus.CLOSED
    from cityhall.core.japanese import fiscal_year

    assert doc.expires_on == dt.date(fiscal_year(closed_on) + 1 + 5, 3, 31)
    with pytest.raises(PermissionDenied):
        services.retention_extend(
            actor=city.drafter, document=doc, expected_version=doc.version, new_years=10, reason="訴訟"
        )
    ext = services.retention_extend(
        actor=city.docmgr, document=doc, expected_version=doc.version, new_years=10, reason="訴訟対応"
    )
    doc.refresh_from_db()
    assert (doc.retention_years, ext.previous_years) == (10, 5)
    assert services.expiry_date(dt.date(2025, 10, 1), 5) == dt.date(2031, 3, 31)
    assert services.expiry_date(dt.date(2026, 3, 31), 1) == dt.date(2027, 3, 31)
    assert services.expiry_date(dt.date(2026, 3, 31), 0) is None


def _paper(city, **overrides):
    fields = {
        "actor": city.docmgr,
        "title": "紙の決裁",
        "matter_kind": city.kinds["general"],
        "paper_reason": "システム停止中",
        "decided_on": dt.date(2025, 6, 1),
        "decided_by": city.kacho,
        "file_plan_class": city.plan,
        "location": "書庫A",
    }
    return services.paper_decision_register(**(fields | overrides))


def test_paper_decision_is_registered_with_reason(city):
    with pytest.raises(ValidationFailed) as caught:
        _paper(city, paper_reason="")
    assert caught.value.field == "paper_reason"
    doc = _paper(city)
    assert (doc.status, doc.medium, doc.decision_label) == (DocumentStatus.DECIDED, "paper", "課長専決")
    assert (doc.section, doc.drafter, doc.decided_by) == (city.units.soumu, city.docmgr, city.kacho)
    assert _paper(city, actor=city.kacho).drafter == city.kacho  # the section's 課長 registers too


def test_a_clerk_may_not_register_a_paper_decision(city):
    for clerk in (city.drafter, city.kakaricho, city.hosa):
        with pytest.raises(PermissionDenied, match="課長以上"):
            _paper(city, actor=clerk, decided_by=city.shicho)
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"decided_by": "kakaricho"}, "decided_by"),  # 係長 may not decide a 課長専決 matter
        ({"decided_by": "jinji_kacho"}, "decided_by"),  # another section's 課長
        ({"decided_on": dt.date(2024, 1, 10)}, "decided_by"),  # before the 課長 held the post
        ({"decided_on": dt.date(1999, 4, 1)}, "decided_on"),  # before the section existed
        ({"decided_on": "tomorrow"}, "decided_on"),
        ({"amount": 10**12, "matter_kind": "spending"}, "amount"),
    ],
)
def test_a_paper_decision_names_a_decider_who_could_have_decided_on_a_real_day(city, overrides, field):
    for key in ("decided_by",):
        if isinstance(overrides.get(key), str):
            overrides = overrides | {key: getattr(city, overrides[key])}
    if overrides.get("decided_on") == "tomorrow":
        overrides = overrides | {"decided_on": timezone.localdate() + dt.timedelta(days=1)}
    if isinstance(overrides.get("matter_kind"), str):
        overrides = overrides | {"matter_kind": city.kinds[overrides["matter_kind"]]}
    with pytest.raises(ValidationFailed) as caught:
        _paper(city, **overrides)
    assert caught.value.field == field
    assert not Document.objects.exists()
    assert _paper(city, decided_by=city.shicho).decided_by == city.shicho  # a higher post covers the matter


def test_a_paper_decision_is_issued_and_closed_on_days_that_have_come(city):
    doc = _paper(city)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed, match="今日以前"):
        services.issue(actor=city.docmgr, document=doc, expected_version=doc.version, issued_on=tomorrow)
    with pytest.raises(ValidationFailed, match="今日以前"):
        services.close(actor=city.docmgr, document=doc, expected_version=doc.version, closed_on=dt.date(2099, 12, 31))
    doc = services.issue(actor=city.docmgr, document=doc, expected_version=doc.version)
    assert doc.issued_on == timezone.localdate()


def test_typed_document_hooks(city, draft):
    seen: list[int] = []

    def check(document):
        if document.amount and document.amount > 500_000:
            raise ValidationFailed("予算残額が不足しています。", field="amount")

    registry.register_type("test.payment", "テスト支出", on_decided=seen.append, validate_submit=check)
    try:
        doc = draft(kind="spending", amount=900_000, doc_type="test.payment")
        with pytest.raises(ValidationFailed, match="予算残額"):
            services.submit(actor=city.drafter, document=doc, expected_version=doc.version)
        doc.refresh_from_db()
        assert (doc.status, doc.steps.count()) == (DocumentStatus.DRAFT, 0)
        with pytest.raises(ValidationFailed):
            draft(doc_type="unknown.type")
    finally:
        registry.unregister_type("test.payment")
