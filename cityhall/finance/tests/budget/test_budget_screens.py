"""Budget screens of finance staff (予算管理): lines, allotments, versions, 流用・予備費充用・繰越 drafts."""

from __future__ import annotations

import re
import secrets

import pytest
from django.urls import reverse

from cityhall.finance import services
from cityhall.finance.models import Allotment, BudgetLine, BudgetTransfer, BudgetVersion, Level, TransferKind
from cityhall.testing.finance import FY, make_carry_allowance, make_reserve_line, make_setsu_line
from cityhall.testing.web import field_error

pytestmark = pytest.mark.django_db


def token() -> str:
    return secrets.token_urlsafe(16)


@pytest.fixture
def staff_client(client, budget):
    """A client signed in as 財政課長, who holds the 会計 role."""
    client.force_login(budget.staff)
    return client


@pytest.fixture
def second_line(budget):
    """11節役務費 in the same 目 as the fixture's line, with ¥1,000,000 of 当初予算."""
    return make_setsu_line(budget, "11", 1_000_000)


@pytest.fixture
def reserve_line(budget):
    """The 予備費 line (no 節) with ¥2,000,000."""
    return make_reserve_line(budget, 2_000_000, "補正予算（予備費）")


# --- who may use the pages ---------------------------------------------------------


def test_a_clerk_without_the_accounting_role_gets_404_and_no_menu_entry(client, city, budget):
    client.force_login(city.drafter)
    pages = [
        reverse("finance:budget"),
        reverse("finance:budget_line", args=[budget.line.pk]),
        reverse("finance:budget_line_new"),
        reverse("finance:budget_version_new"),
        reverse("finance:budget_version_row"),
        reverse("finance:movement_transfer_new"),
        reverse("finance:movement_reserve_new"),
        reverse("finance:movement_carry_new"),
        reverse("finance:budget_setsu"),
        f"{reverse('finance:budget_line_figures')}?source={budget.line.pk}",
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
    allot = reverse("finance:budget_allot", args=[budget.line.pk])
    response = client.post(allot, {"allot-section": city.units.jinji.pk, "allot-amount": "100"})
    assert response.status_code == 404
    assert not Allotment.objects.filter(section=city.units.jinji).exists()
    lock = reverse("finance:budget_setsu_lock", args=[budget.setsu["10"].pk])
    assert client.post(lock, {"locked": "1"}).status_code == 404
    home = client.get(reverse("web:home")).content.decode()
    assert reverse("finance:budget") not in home and reverse("finance:creditors") not in home

    client.force_login(budget.staff)
    home = client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("finance:budget")}"' in home and f'href="{reverse("finance:creditors")}"' in home


# --- lines and allotments ----------------------------------------------------------


def test_the_lines_list_shows_budget_allotted_and_unallotted_and_filters_by_kan(staff_client, budget):
    page = staff_client.get(reverse("finance:budget")).content.decode()
    for label in ("予算現額", "配当済", "未配当", "年度", "会計", "款"):
        assert label in page
    assert "一般管理費" in page and "10節 需用費" in page
    assert "5,000,000円" in page and "3,000,000円" in page and "2,000,000円" in page

    other = services.heading_create(
        actor=budget.staff, level=Level.KAN, code="3", name="民生費", account=budget.account
    )
    page = staff_client.get(reverse("finance:budget"), {"fiscal_year": FY, "kan": other.pk}).content.decode()
    assert "該当する予算明細はありません" in page and "10節 需用費" not in page
    page = staff_client.get(reverse("finance:budget"), {"fiscal_year": FY, "kan": budget.kan.pk}).content.decode()
    assert "10節 需用費" in page


def test_setting_an_allotment_saves_it_and_over_budget_is_refused_at_the_field(staff_client, city, budget):
    url = reverse("finance:budget_line", args=[budget.line.pk])
    page = staff_client.get(url).content.decode()
    assert "総務課" in page and "配当額の設定" in page and "執行可能額" in page

    allot = reverse("finance:budget_allot", args=[budget.line.pk])
    response = staff_client.post(allot, {"allot-section": city.units.jinji.pk, "allot-amount": "1,500,000"})
    assert response.status_code == 302 and response["Location"] == url
    assert Allotment.objects.get(line=budget.line, section=city.units.jinji).amount == 1_500_000
    assert "人事課への配当額を1,500,000円にしました" in staff_client.get(url).content.decode()

    response = staff_client.post(allot, {"allot-section": city.units.zaisei.pk, "allot-amount": "600000"})
    assert response.status_code == 400
    message = field_error(response.content.decode(), "id_allot-amount")
    assert "配当額の合計が予算額を超えます" in message and "5,000,000円" in message
    assert not Allotment.objects.filter(section=city.units.zaisei).exists()

    response = staff_client.post(allot, {"allot-section": city.units.zaisei.pk, "allot-amount": "100.5"})
    assert response.status_code == 400 and "円単位の整数" in field_error(response.content.decode(), "id_allot-amount")


def test_registering_lines_and_the_reserve_line_and_a_duplicate_is_refused(staff_client, budget):
    url = reverse("finance:budget_line_new")
    page = staff_client.get(url).content.decode()
    assert (
        '<optgroup label="2款 総務費 1項 総務管理費（一般会計）">' in page
        and "1目 一般管理費" in page
        and "27節 繰出金" in page
        and "予備費" in page
    )

    data = {"account": budget.account.pk, "fiscal_year": FY, "moku": budget.moku.pk, "setsu": budget.setsu["12"].pk}
    response = staff_client.post(url, data)
    line = BudgetLine.objects.get(setsu=budget.setsu["12"])
    assert response.status_code == 302 and response["Location"] == reverse("finance:budget_line", args=[line.pk])

    count = BudgetLine.objects.count()
    response = staff_client.post(url, data | {"setsu": budget.setsu["10"].pk})
    assert response.status_code == 400
    assert "既にあります" in field_error(response.content.decode(), "id_setsu")
    response = staff_client.post(url, data | {"setsu": ""})
    assert "節を選んでください" in field_error(response.content.decode(), "id_setsu")
    assert BudgetLine.objects.count() == count

    response = staff_client.post(url, data | {"setsu": "", "reserve": "on"})
    assert response.status_code == 302 and BudgetLine.objects.get(moku=budget.moku, setsu__isnull=True).is_reserve


# --- 当初・補正予算 -----------------------------------------------------------------


def version_post(budget, rows: list[tuple[object, str]], **head) -> dict[str, object]:
    data: dict[str, object] = {
        "account": budget.account.pk,
        "fiscal_year": FY,
        "name": "補正予算（第2号）",
        "form_token": token(),
        "rows-TOTAL_FORMS": len(rows) + 1,
        "rows-INITIAL_FORMS": 0,
    }
    for i, (line, amount) in enumerate(rows):
        data[f"rows-{i}-line"] = getattr(line, "pk", line)
        data[f"rows-{i}-amount"] = amount
    return data | head


def test_a_supplementary_budget_adds_and_takes_per_line_once(staff_client, budget, second_line):
    url = reverse("finance:budget_version_new")
    page = staff_client.get(url, {"account": budget.account.pk, "fiscal_year": FY}).content.decode()
    assert 'value="補正予算（第2号）"' in page  # 当初 and 第1号 exist
    assert "当初・補正予算の登録" in page and budget.line.label in page and "行を追加" in page

    data = version_post(budget, [(budget.line, "1,000,000"), (second_line, "▲200,000")])
    response = staff_client.post(url, data)
    assert response.status_code == 302
    version = BudgetVersion.objects.get(name="補正予算（第2号）")
    assert version.number == 2 and {a.line_id: a.amount for a in version.amounts.all()} == {
        budget.line.pk: 1_000_000,
        second_line.pk: -200_000,
    }
    assert "6,000,000円" in staff_client.get(response["Location"]).content.decode()
    again = staff_client.post(url, data)  # the same form sent twice
    assert again.status_code == 302 and BudgetVersion.objects.filter(name="補正予算（第2号）").count() == 1

    row = staff_client.get(reverse("finance:budget_version_row"), {"rows-TOTAL_FORMS": "6"})
    assert 'name="rows-6-line"' in row.content.decode() and 'value="7"' in row.content.decode()


def test_a_supplementary_budget_below_the_allotted_amount_saves_nothing(staff_client, budget):
    url = reverse("finance:budget_version_new")
    response = staff_client.post(url, version_post(budget, [(budget.line, "-2,500,000")]))
    assert response.status_code == 400
    assert "配当済額（3,000,000円）を下回ります" in response.content.decode()
    response = staff_client.post(url, version_post(budget, [(budget.line, "")]))
    assert response.status_code == 400 and "金額を入力してください" in response.content.decode()
    response = staff_client.post(url, version_post(budget, []))
    assert "金額を1行以上入力してください" in response.content.decode()
    assert BudgetVersion.objects.count() == 1  # the fixture's 当初予算


# --- 流用・予備費充用・繰越 ---------------------------------------------------------


def movement_post(source, target, amount: str, **extra) -> dict[str, object]:
    data = {
        "title": "予算の流用について",
        "source": source.pk,
        "target": getattr(target, "pk", ""),
        "amount": amount,
        "reason": "電気料金の値上がりのため",
        "form_token": token(),
    }
    return data | extra


def test_drafting_a_transfer_opens_the_document_and_a_shortage_saves_nothing(staff_client, budget, second_line):
    url = reverse("finance:movement_transfer_new")
    page = staff_client.get(url, {"source": budget.line.pk}).content.decode()
    assert "流用の起案" in page and "流用元" in page and "流用先" in page
    assert re.search(rf'<option value="{budget.line.pk}" selected>', page)
    figures = staff_client.get(reverse("finance:budget_line_figures"), {"source": budget.line.pk})
    assert re.search(r'data-testid="unallotted">2,000,000円<', figures.content.decode())
    reserve_page = staff_client.get(reverse("finance:movement_reserve_new")).content.decode()
    assert "今年度の予備費の明細がありません" in reserve_page  # none registered in this city

    response = staff_client.post(url, movement_post(budget.line, second_line, "2,500,000"))
    assert response.status_code == 400
    message = field_error(response.content.decode(), "id_amount")
    assert "流用元の予算残額が不足しています" in message and "2,000,000円" in message
    assert not BudgetTransfer.objects.exists()

    data = movement_post(budget.line, second_line, "1,000,000")
    response = staff_client.post(url, data)
    transfer = BudgetTransfer.objects.get()
    assert response["Location"] == reverse("documents:detail", args=[transfer.document_id])
    assert (transfer.kind, transfer.amount, transfer.target) == (TransferKind.TRANSFER, 1_000_000, second_line)
    assert staff_client.post(url, data)["Location"] == response["Location"]  # sent twice, drafted once
    assert BudgetTransfer.objects.count() == 1
    line_page = staff_client.get(reverse("finance:budget_line", args=[budget.line.pk])).content.decode()
    assert transfer.document.number_label in line_page and "5,000,000円" in line_page  # held only once submitted


def test_drafting_a_reserve_use_and_a_carry_over(staff_client, budget, reserve_line):
    url = reverse("finance:movement_reserve_new")
    page = staff_client.get(url).content.decode()
    assert "予備費充用の起案" in page and "充用元（予備費）" in page
    response = staff_client.post(url, movement_post(reserve_line, budget.line, "3,000,000"))
    assert response.status_code == 400 and "予備費の残額が不足しています" in field_error(
        response.content.decode(), "id_amount"
    )
    response = staff_client.post(url, movement_post(reserve_line, budget.line, "500,000"))
    use = BudgetTransfer.objects.get(kind=TransferKind.RESERVE)
    assert response["Location"] == reverse("documents:detail", args=[use.document_id])

    url = reverse("finance:movement_carry_new")
    page = staff_client.get(url).content.decode()
    assert "繰越明許" in page and "事故繰越" in page
    data = movement_post(budget.line, None, "2,500,000", kind=TransferKind.CARRY_EXPLICIT, title="繰越明許について")
    response = staff_client.post(url, data)
    assert response.status_code == 400 and "地方自治法第213条" in field_error(response.content.decode(), "id_allowance")
    data["allowance"] = str(make_carry_allowance(budget, amount=5_000_000).pk)
    response = staff_client.post(url, data | {"form_token": token()})
    assert response.status_code == 400 and "繰越元の未配当額が不足しています" in response.content.decode()
    assert not BudgetLine.objects.filter(fiscal_year=FY + 1).exists()  # the next year's line is not left behind
    response = staff_client.post(url, data | {"kind": ""})
    assert response.status_code == 400 and "繰越の種類を選んでください" in field_error(
        response.content.decode(), "id_kind"
    )
    response = staff_client.post(url, data | {"amount": "500,000", "form_token": token()})
    carry = BudgetTransfer.objects.get(kind=TransferKind.CARRY_EXPLICIT)
    assert response["Location"] == reverse("documents:detail", args=[carry.document_id])
    assert carry.target.fiscal_year == FY + 1 and carry.target.setsu == budget.line.setsu


def test_a_locked_setsu_refuses_a_transfer_until_it_is_unlocked(staff_client, budget, second_line):
    page = staff_client.get(reverse("finance:budget_setsu")).content.decode()
    assert "1節 報酬" in page and "27節 繰出金" in page and "役務費を流用禁止にする" in page
    lock = reverse("finance:budget_setsu_lock", args=[budget.setsu["11"].pk])
    assert staff_client.post(lock, {"locked": "1"})["Location"] == reverse("finance:budget_setsu")
    assert "役務費の流用禁止を解除" in staff_client.get(reverse("finance:budget_setsu")).content.decode()

    url = reverse("finance:movement_transfer_new")
    response = staff_client.post(url, movement_post(budget.line, second_line, "100,000"))
    assert response.status_code == 400
    assert "11節役務費は流用禁止に設定されています" in field_error(response.content.decode(), "id_target")
    assert not BudgetTransfer.objects.exists()
    staff_client.post(lock, {"locked": "0"})
    assert staff_client.post(url, movement_post(budget.line, second_line, "100,000")).status_code == 302
