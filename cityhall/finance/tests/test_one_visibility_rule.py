"""One visibility rule per record (閲覧の規則は一つ): a financial document is visible through the
documents API, pages, search and inbox exactly to those who may see it in finance.

Viewers: the drafter, the approvers on the route (係長・補佐・課長・部長), a clerk and the 課長 of
another section, 会計, 会計管理者, 監査 and the 文書主管.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.documents import selectors as doc_selectors
from cityhall.documents.registry import registered_types
from cityhall.finance import services
from cityhall.finance.models import BudgetTransfer
from cityhall.finance.selectors.visibility import document_rule, rows_rule
from cityhall.org import services as org_services
from cityhall.org.models import Role
from cityhall.testing.city import SETUP, SINCE, make_user
from cityhall.testing.engine import decide, submit
from cityhall.testing.finance import FY
from cityhall.testing.plugin import database
from cityhall.testing.web import client_for, documents_api, finance_api

# On PostgreSQL too: the one visibility rule is SQL (subqueries and unions) run by each database.
pytestmark = [pytest.mark.django_db, database]

VIEWERS = ("drafter", "kakaricho", "hosa", "kacho", "bucho", "outsider", "jinji_kacho", "zaisei_kacho", "docmgr")


@pytest.fixture
def money(city, budget, encumber, decided_order, treasurer, draft, django_capture_on_commit_callbacks):
    """A circulating encumbrance and a decided payment order of 総務課, a 流用 drafted by 財政課 (会計), and
    a plain confidential draft of 総務課; a 監査 clerk in 人事課. The search index is written."""
    auditor = make_user("kansa", last_name="監田")
    org_services.assignment_create(
        actor=SETUP, user=auditor, unit=city.units.jinji, post=city.posts["shuji"], valid_from=SINCE
    )
    org_services.role_grant(actor=SETUP, user=auditor, role=Role.AUDITOR, valid_from=SINCE)
    with django_capture_on_commit_callbacks(execute=True):
        enc = encumber(amount=300_000, title="消耗品の購入について")
        submit(enc)
        order = decided_order(amounts=(110_000,), title="消耗品の代金の支払について")
        target = services.budget_line_create(
            actor=budget.staff, account=budget.account, fiscal_year=FY, moku=budget.moku, setsu=budget.setsu["11"]
        )
        transfer = services.transfer_draft(
            actor=city.zaisei_kacho, title="消耗品費の流用", source=budget.line, target=target,
            amount=100_000, reason="通信運搬費の不足",
        )  # fmt: skip
        submit(transfer)
        secret = draft(title="消耗品の秘密の検討", is_confidential=True)
    viewers = {name: getattr(city, name) for name in VIEWERS} | {"treasurer": treasurer, "auditor": auditor}
    return SimpleNamespace(enc=enc, order=order, transfer=transfer, secret=secret, viewers=viewers)


def _typed_ids(money) -> dict[int, str]:
    return {money.enc.document_id: "enc", money.order.document_id: "order", money.transfer.document_id: "transfer"}


def _finance_visible(user, money) -> set[int]:
    """The typed documents ``user`` may open in finance: its API, its pages, its selectors."""
    seen: set[int] = set()
    client = client_for(user)
    if finance_api(user, "get", f"/encumbrances/{money.enc.pk}").status_code == 200:
        assert client.get(reverse("finance:encumbrance", args=[money.enc.pk])).status_code == 200
        seen.add(money.enc.document_id)
    else:
        assert client.get(reverse("finance:encumbrance", args=[money.enc.pk])).status_code == 404
    if finance_api(user, "get", f"/payment-orders/{money.order.pk}").status_code == 200:
        assert client.get(reverse("finance:payment_order", args=[money.order.pk])).status_code == 200
        seen.add(money.order.document_id)
    else:
        assert client.get(reverse("finance:payment_order", args=[money.order.pk])).status_code == 404
    moves = BudgetTransfer.objects.filter(rows_rule(user, timezone.localdate(), section="document__section"))
    if moves.filter(pk=money.transfer.pk).exists():
        seen.add(money.transfer.document_id)
    return seen


def _documents_visible(user, ids: set[int]) -> set[int]:
    """The documents among ``ids`` that ``user`` may open through the documents API and pages."""
    client = client_for(user)
    seen: set[int] = set()
    for pk in ids:
        api = documents_api(user, "get", f"/{pk}").status_code
        page = client.get(reverse("documents:detail", args=[pk])).status_code
        assert api in (200, 404) and page in (200, 404) and (api == 200) == (page == 200), (user, pk, api, page)
        if api == 200:
            seen.add(pk)
    return seen


def _listed(user, query: str = "") -> set[int]:
    body = documents_api(user, "get", f"/?q={query}&page_size=100").json()
    return {item["id"] for item in body["items"]}


def _inbox(user) -> set[int]:
    ids: set[int] = set()
    for bucket in doc_selectors.Bucket:
        ids |= {item["id"] for item in documents_api(user, "get", f"/inbox/{bucket.value}").json()["items"]}
    return ids


def test_the_documents_side_shows_a_financial_document_to_exactly_whom_finance_does(money):
    typed = set(_typed_ids(money))
    for name, user in money.viewers.items():
        expected = _finance_visible(user, money)
        assert _documents_visible(user, typed) == expected, name
        assert _listed(user) & typed == expected, name
        assert _listed(user, "消耗品") & typed == expected, name
        assert _inbox(user) & typed <= expected, name
    # the rule is not everything or nothing: the route sees, other sections do not, 会計 and 監査 see all
    assert _finance_visible(money.viewers["outsider"], money) == set()
    assert _finance_visible(money.viewers["auditor"], money) == typed  # 監査 reads every section (法199条)
    assert _finance_visible(money.viewers["treasurer"], money) == typed
    assert _finance_visible(money.viewers["kakaricho"], money) >= {money.enc.document_id, money.order.document_id}


def test_plain_documents_keep_the_documents_rule(money):
    """A confidential plain document stays with its section and the 文書主管; an open one is open to all."""
    outsider, docmgr = money.viewers["outsider"], money.viewers["docmgr"]
    assert documents_api(outsider, "get", f"/{money.secret.pk}").status_code == 404
    assert documents_api(docmgr, "get", f"/{money.secret.pk}").status_code == 200


def test_a_drafter_who_moved_still_sees_their_financial_document_in_both_apps(city, money):
    """The drafter (関与する者) keeps the record after a transfer to 人事課, in finance and in documents."""
    moved = city.drafter
    org_services.assignment_create(
        actor=SETUP, user=moved, unit=city.units.jinji, post=city.posts["shuji"], valid_from=timezone.localdate()
    )
    expected = _finance_visible(moved, money)
    assert {money.enc.document_id, money.order.document_id} <= expected
    assert _documents_visible(moved, set(_typed_ids(money))) == expected


def test_decided_documents_follow_the_rule_too(city, budget, encumber, money):
    enc = encumber(amount=50_000)
    decide(enc)
    outsider, kacho = money.viewers["outsider"], money.viewers["kacho"]
    assert documents_api(outsider, "get", f"/{enc.document_id}").status_code == 404
    assert documents_api(kacho, "get", f"/{enc.document_id}").status_code == 200


def test_every_financial_document_type_registers_the_one_rule():
    """流用, 予備費充用, 繰越 and 変更契約 share the hook tested above with the encumbrance and the payment order."""
    finance_types = [t for t in registered_types() if t.key.startswith("finance.")]
    assert {t.key for t in finance_types} >= {
        "finance.encumbrance", "finance.payment_order", "finance.budget_transfer", "finance.encumbrance_change",
    }  # fmt: skip
    assert len(finance_types) == 6 and all(t.visibility is document_rule for t in finance_types)
