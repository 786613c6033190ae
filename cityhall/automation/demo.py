"""The demo city's invoice imports: three suppliers' default lines and a folder of sample invoices.

The folder ``var/demo-invoices`` (``CITYHALL_VAR_DIR``) holds what the browser journey uploads: JP PINT
invoices of those suppliers for 企画政策課 (demo-drafter's section), one of them twice (a duplicate)
and one with a wrong total. Idempotent: the defaults are set once and the files written again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.automation.einvoice.samples import Item, jp_pint_xml
from cityhall.automation.models import SupplierDefault
from cityhall.automation.services.defaults import supplier_default_set
from cityhall.finance.models import Allotment, Creditor
from cityhall.org.models import Role
from cityhall.org.selectors import has_role

SECTION = "企画政策課"
SAMPLES = (
    ("INV-2026-0101", (Item("コピー用紙（A4）100箱", 280_000), Item("会議用茶菓", 12_000, 8)), 0),
    ("INV-2026-0102", (Item("トナーカートリッジ", 96_000),), 0),
    ("INV-2026-0103", (Item("事務用品一式", 45_300),), 0),
    ("INV-2026-0104", (Item("封筒（長3）", 18_000),), 100),  # a wrong total
)


def _line_and_suppliers() -> tuple[Any, list[Creditor]] | None:
    allotment = (
        Allotment.objects.filter(section__name=SECTION, line__setsu__code="10", line__moku__name="企画費")
        .select_related("line")
        .order_by("-line__fiscal_year")
        .first()
    )
    suppliers = list(
        Creditor.objects.filter(code__startswith="D", is_active=True, bank_accounts__is_default=True)
        .exclude(invoice_registration_number="")
        .order_by("code")
        .distinct()[:3]
    )
    return (allotment.line, suppliers) if allotment is not None and len(suppliers) == 3 else None


def _write_folder(suppliers: list[Creditor], today: dt.date) -> Path:
    folder = Path(settings.VAR_DIR) / "demo-invoices"
    folder.mkdir(parents=True, exist_ok=True)
    for n, (number, items, delta) in enumerate(SAMPLES):
        creditor = suppliers[n % len(suppliers)]
        account = creditor.bank_accounts.filter(is_default=True).first()
        assert account is not None
        data = jp_pint_xml(
            number=number,
            registration_number=creditor.invoice_registration_number,
            seller=creditor.name,
            items=items,
            issue_date=today - dt.timedelta(days=3),
            payee_account=f"{account.bank_code}:{account.branch_code}:{account.account_type}:{account.account_number}",
            payable_delta=delta,
        )
        (folder / f"{number}.xml").write_bytes(data)
        if n == 0:
            (folder / f"{number}_再送.xml").write_bytes(data)  # the same invoice sent twice
    return folder


def seed_invoices(options: dict[str, Any]) -> str:
    """Set the suppliers' defaults (once) and write the sample folder; a one-line summary."""
    day = options.get("today") or timezone.localdate()
    keeper = next(
        (
            u
            for u in User.objects.filter(role_grants__role=Role.ACCOUNTING).order_by("pk")
            if has_role(u, Role.ACCOUNTING, on=day)
        ),
        None,
    )
    found = _line_and_suppliers()
    if keeper is None or found is None:
        return "請求書取込のデモデータは投入しません（財政課の職員または企画政策課の予算がありません）。"
    line, suppliers = found
    for creditor in suppliers:
        if not SupplierDefault.objects.filter(creditor=creditor).exists():
            supplier_default_set(actor=keeper, creditor=creditor, line=line)
    folder = _write_folder(suppliers, day)
    return f"請求書取込: 取引先{len(suppliers)}件の既定の予算科目、サンプル請求書 {folder}"
