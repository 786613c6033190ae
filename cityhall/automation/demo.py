"""The demo city's invoice imports: suppliers' lines and layouts, a folder of mixed invoices, a month of
recurring payments (請求書取込・定例支払のデモデータ).

The folder ``var/demo-invoices`` (``CITYHALL_VAR_DIR``) holds what the browser journey uploads, for
企画政策課 (demo-drafter's section): JP PINT invoices of three suppliers, one of them twice (a
duplicate) and one with a wrong total; a Shift_JIS CSV of みどり野通信's phone bills (two invoices,
their 登録番号 in a column) and an Excel sheet of みどり野印刷's printing (two invoices, the 登録番号
in the title above the header). Both have a layout (``SupplierMapping``), so the folder imports in one
go without choosing one. 企画政策課 has three recurring payments (rent, a copier lease, gas with a
variable part) and this month's orders drafted from them. Idempotent: what exists is kept, the files
are written again, and a second run drafts nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook

from cityhall.accounts.models import User
from cityhall.automation.einvoice.samples import Item, jp_pint_xml
from cityhall.automation.models import ImportedInvoice, RecurringPayment, SupplierDefault, SupplierMapping
from cityhall.automation.services.defaults import supplier_default_set, supplier_mapping_set
from cityhall.automation.services.recurring import key_of, recurring_create, recurring_month
from cityhall.documents.rules import section_of
from cityhall.finance.models import Allotment, BudgetLine, Creditor
from cityhall.org.models import Role
from cityhall.org.selectors import has_role

SECTION = "企画政策課"
XML_SAMPLES = (
    ("INV-2026-0101", (Item("コピー用紙（A4）100箱", 280_000), Item("会議用茶菓", 12_000, 8)), 0),
    ("INV-2026-0102", (Item("トナーカートリッジ", 96_000),), 0),
    ("INV-2026-0103", (Item("事務用品一式", 45_300),), 0),
    ("INV-2026-0104", (Item("封筒（長3）", 18_000),), 100),  # a wrong total
)
DUPLICATE = "INV-2026-0101_再送.xml"  # the first invoice sent again
WRONG_TOTAL = "INV-2026-0104.xml"
CSV_FILE = "みどり野通信_請求明細.csv"
EXCEL_FILE = "みどり野印刷_御請求明細書.xlsx"
XML_SUPPLIERS = ("D0001", "D0002", "D0003")
PHONE, PRINTER = "D0006", "D0014"  # みどり野通信 (役務費), みどり野印刷 (需用費)
PHONE_LAYOUT = {
    "invoice_number": "請求書番号",
    "issue_date": "請求日",
    "due_date": "お支払期限",
    "description": "ご利用内容",
    "net_amount": "金額（税抜）",
    "tax_rate": "税率",
    "payee_account": "お振込先",
    "group_by_invoice_number": True,
}
PRINTER_LAYOUT = {
    "invoice_number": "伝票番号",
    "issue_date": "発行日",
    "due_date": "支払期日",
    "description": "品目",
    "gross_amount": "税込金額",
    "payee_account": "振込先",
    "header_row": 3,
}
# name, creditor, 節, fixed amount, variable part this month (None: none), pay day
RECURRING = (
    ("書庫の賃借料", "D0023", "13", 132_000, None, 31),
    ("複合機のリース料", "D0017", "13", 27_500, None, 20),
    ("分室のガス料金", "D0004", "10", 3_300, 18_420, 25),
)


@dataclass(frozen=True)
class Suppliers:
    """Who sends the folder's invoices: JP PINT from ``xml``, a CSV from ``phone``, an Excel sheet from ``printer``."""

    xml: Sequence[Creditor]
    phone: Creditor
    printer: Creditor


def _account(creditor: Creditor) -> str:
    account = creditor.bank_accounts.filter(is_default=True).first() or creditor.bank_accounts.first()
    assert account is not None, creditor
    return f"{account.bank_code}:{account.branch_code}:{account.account_type}:{account.account_number}"


def suppliers_set_up(*, keeper: Any, suppliers: Suppliers, lines: Mapping[Creditor, BudgetLine]) -> None:
    """Each supplier's default line (``lines``) and the CSV and Excel suppliers' layouts, each set once."""
    for creditor, line in lines.items():
        if not SupplierDefault.objects.filter(creditor=creditor).exists():
            supplier_default_set(actor=keeper, creditor=creditor, line=line)
    for creditor, layout in ((suppliers.phone, PHONE_LAYOUT), (suppliers.printer, PRINTER_LAYOUT)):
        if not SupplierMapping.objects.filter(creditor=creditor).exists():
            supplier_mapping_set(actor=keeper, creditor=creditor, mapping=layout)


def _phone_csv(creditor: Creditor, day: dt.date) -> bytes:
    issued, due, account = f"{day:%Y/%m/%d}", f"{day + dt.timedelta(days=14):%Y/%m/%d}", _account(creditor)
    number = creditor.invoice_registration_number
    rows = [
        ["請求書番号", "請求日", "お支払期限", "登録番号", "ご利用内容", "金額（税抜）", "税率", "お振込先"],
        ["MT-2611-0001", issued, due, number, "電話基本料（企画政策課 4回線）", "6,400", "10%", account],
        ["MT-2611-0001", issued, due, number, "通話料", "3,125", "10%", account],
        ["MT-2611-0002", issued, due, number, "インターネット回線（光）", "5,200", "10%", account],
    ]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("cp932")  # Shift_JIS as Windows writes it


def _printer_xlsx(creditor: Creditor, day: dt.date) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "御請求明細"
    account, due = _account(creditor), day + dt.timedelta(days=21)
    sheet.append(["御請求明細書", None, creditor.name, f"登録番号 {creditor.invoice_registration_number}"])
    sheet.append([])
    sheet.append(["伝票番号", "発行日", "支払期日", "品目", "税込金額", "振込先"])
    sheet.append(["MP-1101", day, due, "市報みどり野 12月号 印刷", 198_000, account])
    sheet.append(["MP-1102", day, due, "封筒（角2）印刷 3,000枚", 49_500, account])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_folder(folder: Path, suppliers: Suppliers, day: dt.date) -> list[Path]:
    """Write the sample invoices issued on ``day`` into ``folder``; the files written, in name order."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {}
    for n, (number, items, delta) in enumerate(XML_SAMPLES):
        creditor = suppliers.xml[n % len(suppliers.xml)]
        files[f"{number}.xml"] = jp_pint_xml(
            number=number,
            registration_number=creditor.invoice_registration_number,
            seller=creditor.name,
            items=items,
            issue_date=day,
            payee_account=_account(creditor),
            payable_delta=delta,
        )
    files[DUPLICATE] = files[f"{XML_SAMPLES[0][0]}.xml"]
    files[CSV_FILE] = _phone_csv(suppliers.phone, day)
    files[EXCEL_FILE] = _printer_xlsx(suppliers.printer, day)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return sorted(folder / name for name in files)


def _line(setsu: str) -> BudgetLine | None:
    allotment = (
        Allotment.objects.filter(section__name=SECTION, line__setsu__code=setsu, line__moku__name="企画費")
        .select_related("line")
        .order_by("-line__fiscal_year")
        .first()
    )
    return allotment.line if allotment is not None else None


def _recurring(drafter: User, lines: Mapping[str, BudgetLine], day: dt.date) -> tuple[int, int]:
    """The section's recurring payments (once) and this month's orders (once); (templates, orders)."""
    creditors = {c.code: c for c in Creditor.objects.filter(code__in=[r[1] for r in RECURRING])}
    section = section_of(drafter, on=day)
    templates = []
    for name, code, setsu, base, variable, pay_day in RECURRING:
        template = RecurringPayment.objects.filter(section=section, name=name).first()
        if template is None:
            template = recurring_create(
                actor=drafter, name=name, creditor=creditors[code], line=lines[setsu], base_amount=base,
                variable=variable is not None, pay_day=pay_day, on=day,
            )  # fmt: skip
        templates.append((template, variable))
    keys = [key_of(t, day) for t, _v in templates]
    done = ImportedInvoice.objects.filter(accepted=True, invoice_number__in=keys)
    if done.count() < len(keys):
        extra = {t.pk: v for t, v in templates if v is not None}
        recurring_month(actor=drafter, month=day, variable=extra, on=day)
    return len(templates), done.count()


def _people(day: dt.date) -> tuple[User | None, User | None]:
    keeper = next(
        (
            u
            for u in User.objects.filter(role_grants__role=Role.ACCOUNTING).order_by("pk")
            if has_role(u, Role.ACCOUNTING, on=day)
        ),
        None,
    )
    return keeper, User.objects.filter(username="demo-drafter", is_active=True).first()


def seed_invoices(options: dict[str, Any]) -> str:
    """Set the suppliers' lines and layouts, write the sample folder, add the recurring payments and
    draft this month's; a one-line summary."""
    day = options.get("today") or timezone.localdate()
    keeper, drafter = _people(day)
    lines = {setsu: _line(setsu) for setsu in ("10", "11", "13")}
    codes = (*XML_SUPPLIERS, PHONE, PRINTER)
    creditors = {c.code: c for c in Creditor.objects.filter(code__in=codes, is_active=True)}
    if keeper is None or drafter is None or None in lines.values() or len(creditors) < len(codes):
        return (
            "請求書取込のデモデータは投入しません"
            "（財政課の職員、demo-drafter、企画政策課の予算または債権者がありません）。"
        )
    found = {setsu: line for setsu, line in lines.items() if line is not None}
    suppliers = Suppliers(tuple(creditors[c] for c in XML_SUPPLIERS), creditors[PHONE], creditors[PRINTER])
    defaults = {c: found["10"] for c in (*suppliers.xml, suppliers.printer)} | {suppliers.phone: found["11"]}
    suppliers_set_up(keeper=keeper, suppliers=suppliers, lines=defaults)
    folder = Path(settings.VAR_DIR) / "demo-invoices"
    written = write_folder(folder, suppliers, day - dt.timedelta(days=3))
    templates, orders = _recurring(drafter, found, day)
    return (
        f"請求書取込: 取引先{len(defaults)}件の既定の予算科目（うち2件は CSV・Excel の読み取り形式）、"
        f"サンプル請求書{len(written)}件 {folder}、定例支払{templates}件（{day.month}月分 {orders}件起案済み）"
    )
