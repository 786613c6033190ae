"""The 事務決裁規程 screens and API: everyone reads, the 文書主管 previews and saves edits, others find no editing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.documents.models import DelegationRule
from cityhall.testing.web import documents_api, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.CITYHALL_MFA_REQUIRED = "never"


def _row(city, **extra):
    """A change of the 支出 課長専決 band to 1,500,000円, as the form posts it."""
    return {
        "matter_kind": city.kinds["spending"].pk,
        "amount_below": "1,500,000",
        "decider_post": city.posts["kacho"].pk,
        "label": "課長専決",
        "valid_from": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "unit": city.units.soumubu.pk,
        "sample_section": city.units.soumu.pk,
        "sample_amount": "1,200,000",
        **extra,
    }


def test_the_document_manager_previews_then_saves_a_row_others_only_read(client, city):
    client.force_login(city.drafter)
    listing = visible_text(client.get(reverse("documents:delegation_rules")).content.decode())
    assert "1,000,000円以上5,000,000円未満" in listing and "改正・廃止" not in listing
    assert client.get(reverse("documents:delegation_rule_new")).status_code == 404

    client.force_login(city.docmgr)
    url = reverse("documents:delegation_rule_new")
    blank = client.get(url).content.decode()
    assert "選んでください" in blank and "---------" not in blank  # the project's empty choice, not Django's
    preview = client.post(url, {**_row(city), "preview": "1"})
    assert preview.status_code == 200
    text = visible_text(preview.content.decode())
    assert "現行" in text and "改正後" in text
    assert "部長専決" in text and "課長専決" in text  # ¥1,200,000: 部長 today, the 総務部's 課長 from the 施行日
    assert not DelegationRule.objects.filter(unit=city.units.soumubu).exists()  # a preview saves nothing

    missing = client.post(url, {**_row(city, sample_section=""), "preview": "1"})
    assert missing.status_code == 400 and "プレビューする例の課を選んでください" in missing.content.decode()
    today = client.post(url, {**_row(city, valid_from=timezone.localdate().isoformat()), "save": "1"})
    assert today.status_code == 400 and "明日以降" in today.content.decode()

    saved = client.post(url, {**_row(city), "save": "1"})
    assert saved.status_code == 302
    rule = DelegationRule.objects.get(unit=city.units.soumubu)
    listing = visible_text(client.get(reverse("documents:delegation_rules")).content.decode())
    assert "施行予定" in listing and "総務部" in listing
    page = client.get(reverse("documents:delegation_rule", args=[rule.pk]))
    assert page.status_code == 200 and "この行を取り消す" in page.content.decode()
    assert client.post(reverse("documents:delegation_rule_cancel", args=[rule.pk])).status_code == 302
    assert not DelegationRule.objects.filter(pk=rule.pk).exists()


def test_the_api_lists_adds_changes_ends_cancels_and_previews(city):
    soon = timezone.localdate() + dt.timedelta(days=10)
    listed = documents_api(city.drafter, "get", "/delegation-rules")
    assert listed.status_code == 200
    kacho = next(r for r in listed.json() if r["label"] == "課長専決" and r["amount_below"] == 1_000_000)
    assert (kacho["decider_post"], kacho["status"], kacho["unit_id"]) == ("kacho", "current", None)

    body = {"decider_post": "bucho", "label": "部長専決", "amount_below": 1_000_000, "valid_from": soon.isoformat()}
    assert documents_api(city.drafter, "post", f"/delegation-rules/{kacho['id']}/change", body).status_code == 404
    changed = documents_api(city.docmgr, "post", f"/delegation-rules/{kacho['id']}/change", body)
    assert changed.status_code == 201, changed.json()
    assert (changed.json()["replaces_id"], changed.json()["status"]) == (kacho["id"], "scheduled")

    sample = {"matter_kind_id": city.kinds["spending"].pk, "amount": 800_000, "section_id": city.units.soumu.pk}
    compared = documents_api(city.drafter, "post", "/delegation-rules/preview", {**sample, "later": soon.isoformat()})
    assert compared.status_code == 200, compared.json()
    assert (compared.json()["current"]["decision_label"], compared.json()["later"]["decision_label"]) == (
        "課長専決",
        "部長専決",
    )
    proposed = {**body, "matter_kind_id": city.kinds["spending"].pk, "consult_unit_ids": [city.units.zaisei.pk]}
    unsaved = documents_api(
        city.docmgr,
        "post",
        "/delegation-rules/preview",
        {**sample, "proposed": proposed, "replaces_id": changed.json()["id"]},
    )
    assert [s["kind"] for s in unsaved.json()["later"]["steps"]] == ["review", "review", "consult", "decide"]

    assert documents_api(city.docmgr, "delete", f"/delegation-rules/{changed.json()['id']}").status_code == 204
    bad = documents_api(city.docmgr, "post", f"/delegation-rules/{kacho['id']}/end", {"last_day": "2020-01-01"})
    assert bad.status_code == 400 and bad.json()["field"] == "last_day"
    ended = documents_api(city.docmgr, "post", f"/delegation-rules/{kacho['id']}/end", {"last_day": soon.isoformat()})
    assert ended.status_code == 200 and ended.json()["valid_to"] == soon.isoformat()
    added = documents_api(
        city.docmgr,
        "post",
        "/delegation-rules",
        {**body, "matter_kind_id": city.kinds["spending"].pk, "valid_from": (soon + dt.timedelta(days=1)).isoformat()},
    )
    assert added.status_code == 201, added.json()
