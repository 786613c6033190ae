"""The history of documents (履歴): the table, its append-only guard and the entries of the past.

The table is append-only in the database too, as the audit trail is (core 0002): on PostgreSQL a
trigger refuses UPDATE and DELETE (TRUNCATE stays for Django's ``flush``), on SQLite UPDATE.

The past is filled from what was kept before: every acted route step of every round (承認,
決裁, 代決, 合議, 差戻し, 却下, 後閲への回付, with its comment), every completed post-review and every
comment, and from the audit trail the acts that left no step (回議開始, 再回議, 引戻し, 承認の引戻し,
取下げ, 施行, 完結). An approval later pulled back left only its pull-back: the step was reset.
"""

import json

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone

STEP_KINDS = {
    "approved": "approve",
    "decided": "decide",
    "agreed": "agree",
    "objected": "object",
    "sent_back": "send_back",
    "rejected": "reject",
    "skipped": "skip",
}
AUDIT_KINDS = {
    "documents.document.submit": "submit",
    "documents.document.resubmit": "resubmit",
    "documents.document.pull_back": "pull_back",
    "documents.document.pull_back_approval": "pull_back_approval",
    "documents.document.withdraw": "withdraw",
    "documents.document.issue": "issue",
    "documents.document.close": "close",
}
PG_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION documents_documentevent_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '文書の履歴は追記専用です: % は許可されていません', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    """
    CREATE TRIGGER documents_documentevent_append_only
    BEFORE UPDATE OR DELETE ON documents_documentevent
    FOR EACH ROW EXECUTE FUNCTION documents_documentevent_append_only()
    """,
]
PG_REMOVE = [
    "DROP TRIGGER IF EXISTS documents_documentevent_append_only ON documents_documentevent",
    "DROP FUNCTION IF EXISTS documents_documentevent_append_only()",
]
SQLITE_INSTALL = [
    """
    CREATE TRIGGER documents_documentevent_no_update BEFORE UPDATE ON documents_documentevent
    BEGIN SELECT RAISE(ABORT, '文書の履歴は追記専用です: UPDATE は許可されていません'); END
    """,
]
SQLITE_REMOVE = ["DROP TRIGGER IF EXISTS documents_documentevent_no_update"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


def backfill(apps, schema_editor):
    """The history of the documents decided or circulated before it was kept (see the module docstring)."""
    Event = apps.get_model("documents", "DocumentEvent")
    RouteStep = apps.get_model("documents", "RouteStep")
    PostReview = apps.get_model("documents", "PostReview")
    Comment = apps.get_model("documents", "DocumentComment")
    Assignment = apps.get_model("org", "Assignment")
    AuditEntry = apps.get_model("core", "AuditEntry")
    posts = {}

    def post_of(user_id, moment):
        day = timezone.localtime(moment).date()
        if (user_id, day) not in posts:
            held = (
                Assignment.objects.filter(user_id=user_id, is_primary=True, valid_from__lte=day)
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
                .select_related("unit", "post")
                .order_by("-valid_from")
                .first()
            )
            posts[user_id, day] = f"{held.unit.name} {held.post.name}" if held else ""
        return posts[user_id, day]

    def step_post(step, actor_id, moment):
        if actor_id == step.assignee_id and step.unit is not None and step.post is not None:
            return f"{step.unit.name} {step.post.name}"
        return post_of(actor_id, moment)

    events = []
    acted = RouteStep.objects.filter(acted_at__isnull=False, acted_by__isnull=False, state__in=list(STEP_KINDS))
    for step in acted.select_related("unit", "post").iterator():
        kind = "decide_proxy" if step.state == "decided" and step.by_proxy else STEP_KINDS[step.state]
        events.append(
            Event(
                document_id=step.document_id, round=step.round, kind=kind, actor_id=step.acted_by_id,
                post=step_post(step, step.acted_by_id, step.acted_at), step_id=step.pk, at=step.acted_at,
                comment=step.comment,
            )
        )  # fmt: skip
    for review in PostReview.objects.filter(done_at__isnull=False).select_related("step__unit", "step__post"):
        events.append(
            Event(
                document_id=review.document_id, round=review.step.round, kind="post_review",
                actor_id=review.reviewer_id, post=step_post(review.step, review.reviewer_id, review.done_at),
                step_id=review.step_id, at=review.done_at, comment=review.comment,
            )
        )  # fmt: skip
    for comment in Comment.objects.iterator():
        events.append(
            Event(
                document_id=comment.document_id, round=comment.round, kind="comment", actor_id=comment.author_id,
                post=post_of(comment.author_id, comment.created_at), at=comment.created_at, comment=comment.body,
            )
        )  # fmt: skip
    entries = AuditEntry.objects.filter(
        object_type="documents.document", action__in=list(AUDIT_KINDS), actor__isnull=False
    )
    for entry in entries.iterator():
        after = json.loads(entry.after) if entry.after else {}
        step_id = after.get("step") if isinstance(after.get("step"), int) else None
        events.append(
            Event(
                document_id=int(entry.object_id), round=int(after.get("current_round") or 0),
                kind=AUDIT_KINDS[entry.action], actor_id=entry.actor_id, post=post_of(entry.actor_id, entry.created_at),
                step_id=step_id, at=entry.created_at, comment=str(after.get("reason") or ""),
            )
        )  # fmt: skip
    Event.objects.bulk_create(events, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_inbox_indexes"),
        ("core", "0002_audit_append_only"),
        ("org", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DocumentEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("round", models.PositiveSmallIntegerField(default=0, verbose_name="回")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("submit", "回議開始"),
                            ("resubmit", "再回議"),
                            ("approve", "承認"),
                            ("decide", "決裁"),
                            ("decide_proxy", "代決"),
                            ("agree", "合議（合意）"),
                            ("object", "合議（異議）"),
                            ("send_back", "差戻し"),
                            ("reject", "却下"),
                            ("pull_back", "引戻し"),
                            ("pull_back_approval", "承認の引戻し"),
                            ("withdraw", "取下げ"),
                            ("skip", "不在のため後閲へ"),
                            ("post_review", "後閲"),
                            ("comment", "コメント"),
                            ("issue", "施行"),
                            ("close", "完結"),
                        ],
                        max_length=20,
                        verbose_name="処理",
                    ),
                ),
                ("post", models.CharField(blank=True, max_length=200, verbose_name="職")),
                ("at", models.DateTimeField(verbose_name="日時")),
                ("comment", models.TextField(blank=True, verbose_name="意見")),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="処理者",
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="documents.document",
                        verbose_name="文書",
                    ),
                ),
                (
                    "step",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="documents.routestep",
                        verbose_name="回議の段",
                    ),
                ),
            ],
            options={
                "verbose_name": "履歴",
                "verbose_name_plural": "履歴",
                "ordering": ["document_id", "at", "pk"],
                "indexes": [models.Index(fields=["document", "at"], name="doc_event_document_at")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "kind__in",
                                [
                                    "submit",
                                    "resubmit",
                                    "approve",
                                    "decide",
                                    "decide_proxy",
                                    "agree",
                                    "object",
                                    "send_back",
                                    "reject",
                                    "pull_back",
                                    "pull_back_approval",
                                    "withdraw",
                                    "skip",
                                    "post_review",
                                    "comment",
                                    "issue",
                                    "close",
                                ],
                            )
                        ),
                        name="doc_event_kind_valid",
                    )
                ],
            },
        ),
        migrations.RunPython(
            _run({"postgresql": PG_INSTALL, "sqlite": SQLITE_INSTALL}),
            _run({"postgresql": PG_REMOVE, "sqlite": SQLITE_REMOVE}),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
