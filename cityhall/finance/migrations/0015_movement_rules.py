"""人件費 項間流用 flag on the budget; movements moved to their own kinds of matter (事案の種類).

The kinds 予算流用・予備費充用・繰越 are created with their rows of the 事務決裁規程 and the
財政課 as mandatory consult (as ``documents.defaults`` does), and the movement documents not yet
decided (起案中・差戻し・回議中) move from 支出 to their own kind, so the decision hook accepts them
and a resubmission is routed by the new rows. A document in circulation keeps the route it was
given; decided documents keep the kind they were decided under.
"""

from django.conf import settings
from django.db import migrations, models

MOVEMENT_TYPES = {
    "finance.budget_transfer": "budget_transfer",
    "finance.reserve_use": "reserve_use",
    "finance.carry_over": "carry_over",
}
OPEN_STATUSES = ("draft", "sent_back", "circulating")


def forwards(apps, schema_editor):
    from cityhall.documents.defaults import MOVEMENT_KINDS

    MatterKind = apps.get_model("documents", "MatterKind")
    DelegationRule = apps.get_model("documents", "DelegationRule")
    Document = apps.get_model("documents", "Document")
    Post = apps.get_model("org", "Post")
    OrgUnit = apps.get_model("org", "OrgUnit")
    if not Document.objects.filter(doc_type__in=MOVEMENT_TYPES).exists() and not MatterKind.objects.exists():
        return  # a new database: the defaults (初期設定) create the kinds with the rest
    posts = {p.code: p for p in Post.objects.all()}
    name = getattr(settings, "CITYHALL_BUDGET_SECTION_NAME", "財政課")
    sections = list(OrgUnit.objects.filter(kind="section", name=name, valid_to__isnull=True))
    top = MatterKind.objects.aggregate(m=models.Max("sort_order"))["m"] or 0
    kinds = {}
    for offset, (code, kind_name, amount_based, rules) in enumerate(MOVEMENT_KINDS, start=1):
        kind, _made = MatterKind.objects.get_or_create(
            code=code, defaults={"name": kind_name, "amount_based": amount_based, "sort_order": top + offset}
        )
        for bound, post_code, label in rules:
            if post_code in posts:
                DelegationRule.objects.get_or_create(
                    matter_kind=kind, amount_below=bound, defaults={"decider_post": posts[post_code], "label": label}
                )
        if sections and not kind.consult_units.exists():
            kind.consult_units.set(sections)
        kinds[code] = kind
    for doc_type, code in MOVEMENT_TYPES.items():
        Document.objects.filter(doc_type=doc_type, status__in=OPEN_STATUSES).update(matter_kind=kinds[code])


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0014_payment_methods"),
        ("documents", "0005_mandatory_consult"),
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="budgetversion",
            name="personnel_transfer",
            field=models.BooleanField(
                default=False,
                help_text="予算で、同一款内の各項に計上した給料・職員手当等・共済費の項間流用を定めた場合"
                "（地方自治法第220条第2項ただし書）。",
                verbose_name="人件費の項間流用",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
