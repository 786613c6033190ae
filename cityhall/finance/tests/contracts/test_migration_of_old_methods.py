"""Migration 0012: the old methods are mapped onto 法234条 (入札 → 一般競争入札, 単価契約 → 随意契約 with
the 単価契約 flag), each contract gets the kind its 節 suggests, and open drafts move to the 契約 kind.

A new database is built from the squashed migration (0001_squashed_0017); an installation that
applied 0011 goes on through the replaced files, so the test walks them (``replace_migrations=False``)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from cityhall.documents.models import Document, MatterKind
from cityhall.finance.models import Encumbrance
from cityhall.testing.engine import submit
from cityhall.testing.plugin import postgresql_only

BEFORE = [("finance", "0011_batches_per_account")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    """Migrate along the files an existing installation applied, not the squashed one."""
    executor = MigrationExecutor(connection)
    executor.loader = MigrationLoader(connection, replace_migrations=False)
    executor.migrate(targets)
    return executor


def _latest() -> list[tuple[str, str]]:
    return MigrationLoader(connection, replace_migrations=False).graph.leaf_nodes()


@postgresql_only  # walking the replaced files takes half a minute; PostgreSQL is where 0012 once failed
@pytest.mark.django_db(transaction=True)
def test_old_methods_are_mapped_onto_article_234(city, budget, encumber):
    tender, unit, grant = (encumber(amount=100_000, title=f"件{i}") for i in range(3))
    submit(grant)  # in circulation: keeps the kind it is routed by
    executor = _migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps.get_model("finance", "Encumbrance")
        old.objects.filter(pk=tender.pk).update(contract_method="tender")
        old.objects.filter(pk=unit.pk).update(contract_method="unit_price")
        Document.objects.filter(pk__in=[tender.document_id, unit.document_id, grant.document_id]).update(
            matter_kind=MatterKind.objects.get(code="spending")
        )
    finally:
        _migrate(_latest())  # 0012, then the later ones: the models below and the next tests expect them
    rows = {e.pk: e for e in Encumbrance.objects.select_related("document__matter_kind")}
    assert (rows[tender.pk].contract_method, rows[tender.pk].unit_price) == ("general_tender", False)
    assert (rows[unit.pk].contract_method, rows[unit.pk].unit_price) == ("negotiated", True)
    assert rows[unit.pk].negotiated_ground == ""  # unknown: asked for at the next correction
    assert {e.contract_kind for e in rows.values()} == {"purchase"}  # 10節需用費
    assert rows[tender.pk].document.matter_kind.code == "contract"  # a draft: routed by 契約 when submitted
    assert rows[grant.pk].document.matter_kind.code == "spending"  # in circulation: as it was routed
