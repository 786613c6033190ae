"""Delinquent persons (滞納者): entered by hand or in bulk, changed, and every view recorded.

These services are the one way persons are written: one at a time (small corrections, tests), or
in bulk for the import of the tax system's list (``persons_insert`` for new 宛名番号,
``persons_refresh`` for known ones, ``services.person_imports``). A person belongs to one tax
collection section (担当課), chosen among the actor's sections; their kana is stored in full-width
katakana (``katakana_name``); their former addresses and tax items are replaced as a whole on each
change (a refresh keeps the former addresses known); the amount owed is the sum of the tax items
when there are any. Views of person data (一覧・詳細・照会の画面、API) are audited one entry per
person shown (``persons_viewed``), as 地方税法第22条 asks of every look at a secret.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from cityhall.core import banks
from cityhall.core.audit import record, record_many, snapshot
from cityhall.core.errors import PermissionDenied, ValidationFailed, check_line, clean
from cityhall.core.japanese.money import parse_yen
from cityhall.documents.rules import section_of
from cityhall.inquiries.access import NOT_FOUND, Scope
from cityhall.inquiries.models import DelinquentPerson, FormerAddress, TaxItem
from cityhall.inquiries.services._common import birth_date, collector, katakana_name, today
from cityhall.org.models import OrgUnit

MAX_FORMER_ADDRESSES = 20
MAX_TAX_ITEMS = 100
MAX_PAYMENT_BANKS = 10


@dataclass(frozen=True)
class FormerAddressInput:
    """A former address (旧住所) and the day the person moved out, if known."""

    address: str
    moved_out_on: dt.date | None = None


@dataclass(frozen=True)
class TaxItemInput:
    """A delinquent item (滞納税目): 税目, 年度, 金額 and 納期限."""

    tax: str
    fiscal_year: int
    amount: Any
    due_on: dt.date | None = None


@dataclass(frozen=True)
class PersonInput:
    """What a person is entered with (滞納者の入力); ``amount`` None: the sum of ``tax_items``."""

    resident_number: str
    name: str
    kana: str
    birth_date: dt.date | None
    address: str
    delinquent_since: dt.date | None
    amount: Any = None
    area: str = ""
    former_addresses: Sequence[FormerAddressInput] = field(default_factory=tuple)
    payment_banks: Sequence[str] = ()  # 銀行コード where the tax system saw the person pay (口座振替・納付)
    tax_items: Sequence[TaxItemInput] = field(default_factory=tuple)


def _section(scope: Scope, section: OrgUnit | None, day: dt.date) -> OrgUnit:
    """The section the person is filed under: the one given, else the actor's own, within the scope."""
    if section is None:
        own = section_of(scope.user, on=day)
        if own is not None and own.pk in scope.section_ids:
            return own
        if len(scope.section_ids) != 1:
            raise ValidationFailed("担当課を選んでください。", field="section")
        return OrgUnit.objects.get(pk=scope.section_ids[0])
    if section.pk not in scope.section_ids:
        raise PermissionDenied(NOT_FOUND)
    return section


def _items(data: PersonInput) -> list[TaxItem]:
    if len(data.tax_items) > MAX_TAX_ITEMS:
        raise ValidationFailed(f"滞納税目は{MAX_TAX_ITEMS}件までです。", field="tax_items")
    items = []
    for item in data.tax_items:
        amount = parse_yen(item.amount, field="tax_items", label=f"{item.tax}の金額", minimum=0)
        items.append(
            TaxItem(tax=str(item.tax).strip(), fiscal_year=item.fiscal_year, amount=amount, due_on=item.due_on)
        )
    return items


def _amount(data: PersonInput, items: list[TaxItem]) -> int:
    """The amount owed: as given, or the items' sum; both given, they must agree."""
    total = sum(item.amount for item in items)
    if data.amount is None or data.amount == "":
        if not items:
            raise ValidationFailed("滞納額を入力してください。", field="amount")
        return total
    amount = parse_yen(data.amount, label="滞納額", minimum=0)
    if items and amount != total:
        raise ValidationFailed(f"滞納額（{amount:,}円）が滞納税目の合計（{total:,}円）と一致しません。", field="amount")
    return amount


def _one_line(text: object) -> str:
    """A name on one line, each run of spaces made one (a full-width space stays full-width)."""
    return re.sub(r"\s+", lambda m: m.group(0)[0], str(text or "").strip())


def _payment_banks(codes: Sequence[str]) -> str:
    """The 銀行コード where payments were seen, each an existing bank (zengin-code), at most ten, space-separated."""
    found: list[str] = []
    for code in codes:
        checked = banks.bank(str(code), field="payment_banks").code  # an unknown code is refused, named
        if checked not in found:
            found.append(checked)
    if len(found) > MAX_PAYMENT_BANKS:
        raise ValidationFailed(f"納付の確認された金融機関は{MAX_PAYMENT_BANKS}件までです。", field="payment_banks")
    return " ".join(found)


def _fill(person: DelinquentPerson, data: PersonInput, day: dt.date) -> list[TaxItem]:
    """Set the person's fields from ``data`` (normalised, checked) and return the tax items to store."""
    person.resident_number = check_line(
        str(data.resident_number or "").strip(), field="resident_number", label="宛名番号", max_length=20
    )
    if not person.resident_number:
        raise ValidationFailed("宛名番号を入力してください。", field="resident_number")
    person.name = _one_line(data.name)
    person.kana = katakana_name(data.kana)
    person.birth_date = birth_date(data.birth_date, day=day)
    person.address = str(data.address or "").strip()
    person.area = str(data.area or "").strip()
    person.payment_banks = _payment_banks(data.payment_banks)
    if data.delinquent_since is None:
        raise ValidationFailed("最も古い滞納の納期限を入力してください。", field="delinquent_since")
    if data.delinquent_since > day:
        raise ValidationFailed("最も古い滞納の納期限に将来の日付は入力できません。", field="delinquent_since")
    person.delinquent_since = data.delinquent_since
    if len(data.former_addresses) > MAX_FORMER_ADDRESSES:
        raise ValidationFailed(f"旧住所は{MAX_FORMER_ADDRESSES}件までです。", field="former_addresses")
    items = _items(data)
    person.amount = _amount(data, items)
    return items


def _store_related(person: DelinquentPerson, data: PersonInput, items: list[TaxItem]) -> None:
    """Replace the former addresses (newest first) and the tax items with those of ``data``."""
    person.former_addresses.all().delete()
    person.tax_items.all().delete()
    addresses = [
        FormerAddress(person=person, position=n, address=str(a.address).strip(), moved_out_on=a.moved_out_on)
        for n, a in enumerate(data.former_addresses, start=1)
    ]
    for row in addresses:
        clean(row, exclude=["person"])
    for item in items:
        item.person = person
        clean(item, exclude=["person"])
    FormerAddress.objects.bulk_create(addresses)
    TaxItem.objects.bulk_create(items)


def _audited(person: DelinquentPerson) -> dict[str, Any]:
    values = snapshot(person)
    values["former_addresses"] = list(person.former_addresses.values_list("address", flat=True))
    values["tax_items"] = [
        {"tax": t.tax, "fiscal_year": t.fiscal_year, "amount": t.amount} for t in person.tax_items.all()
    ]
    return values


def person_create(
    *, actor: Any, data: PersonInput, section: OrgUnit | None = None, on: dt.date | None = None
) -> DelinquentPerson:
    """Enter a delinquent person (滞納者の登録) in one of the actor's sections."""
    scope = collector(actor, on=on)
    day = today(on)
    person = DelinquentPerson(section=_section(scope, section, day))
    items = _fill(person, data, day)
    clean(person)
    with transaction.atomic(durable=True):
        person.save()
        _store_related(person, data, items)
        record(actor=scope.user, action="inquiries.person.create", obj=person, after=_audited(person))
    return person


def person_update(
    *, actor: Any, person: DelinquentPerson, data: PersonInput, on: dt.date | None = None
) -> DelinquentPerson:
    """Correct a delinquent person (滞納者の修正): every field, former addresses and tax items replaced."""
    scope = collector(actor, on=on)
    day = today(on)
    with transaction.atomic(durable=True):
        locked = (
            DelinquentPerson.objects.select_for_update().filter(pk=person.pk, section_id__in=scope.section_ids).first()
        )
        if locked is None:
            raise PermissionDenied(NOT_FOUND)
        before = _audited(locked)
        items = _fill(locked, data, day)
        clean(locked)
        locked.save()
        _store_related(locked, data, items)
        record(actor=scope.user, action="inquiries.person.update", obj=locked, before=before, after=_audited(locked))
    return locked


class PersonsRefused(ValidationFailed):
    """Rows of a bulk entry that cannot be stored (登録できない行): ``problems`` names each (index, field, message)."""

    def __init__(self, problems: list[tuple[int, str | None, str]]) -> None:
        index, field, message = problems[0]
        more = f"（ほか{len(problems) - 1}件）" if len(problems) > 1 else ""
        super().__init__(f"{index + 1}件目: {message}{more}", field=field)
        self.problems = problems


Checked = list[tuple[int, DelinquentPerson, list[TaxItem], PersonInput]]


def _checked_rows(section: OrgUnit, rows: Sequence[PersonInput], day: dt.date) -> Checked:
    """Every row filled and checked; ``PersonsRefused`` naming each bad row (宛名番号 twice or known too)."""
    checked: Checked = []
    problems: list[tuple[int, str | None, str]] = []
    seen: set[str] = set()
    for index, data in enumerate(rows):
        person = DelinquentPerson(section=section)
        try:
            items = _fill(person, data, day)
            clean(person, exclude=["section"])  # the number's uniqueness is checked below, for all rows at once
            if person.resident_number in seen:
                raise ValidationFailed(f"宛名番号 {person.resident_number} が重複しています。", field="resident_number")
        except ValidationFailed as exc:
            problems.append((index, exc.field, exc.message))
            continue
        seen.add(person.resident_number)
        checked.append((index, person, items, data))
    known = DelinquentPerson.objects.filter(section=section, resident_number__in=seen)
    taken = set(known.values_list("resident_number", flat=True))
    for index, person, _items, _data in checked:
        if person.resident_number in taken:
            problems.append((index, "resident_number", f"宛名番号 {person.resident_number} は既に登録されています。"))
    if problems:
        raise PersonsRefused(sorted(problems, key=lambda p: p[0]))
    return checked


def persons_insert(
    *, actor: Any, section: OrgUnit, rows: Sequence[PersonInput], on: dt.date | None = None
) -> list[DelinquentPerson]:
    """Enter many persons in one of the actor's sections (滞納者の一括登録), all or none, in the caller's transaction.

    For imports of the tax system's list and the demo: the rows are checked as ``person_create``
    checks one (``PersonsRefused`` names every bad row, then nothing is written), stored in grouped
    queries and audited one entry per person (``record_many``).
    """
    scope = collector(actor, on=on)
    if section.pk not in scope.section_ids:
        raise PermissionDenied(NOT_FOUND)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("persons_insert must run inside the caller's transaction")
    checked = _checked_rows(section, rows, today(on))
    with transaction.atomic():
        persons = DelinquentPerson.objects.bulk_create([person for _index, person, _items, _data in checked])
        ids = dict(
            DelinquentPerson.objects.filter(
                section=section, resident_number__in=[p.resident_number for p in persons]
            ).values_list("resident_number", "pk")
        )
        addresses, items = [], []
        for _index, person, person_items, data in checked:
            person.pk = ids[person.resident_number]
            addresses += [
                FormerAddress(person=person, position=n, address=str(a.address).strip(), moved_out_on=a.moved_out_on)
                for n, a in enumerate(data.former_addresses, start=1)
            ]
            for item in person_items:
                item.person = person
                items.append(item)
        FormerAddress.objects.bulk_create(addresses, batch_size=2_000)
        TaxItem.objects.bulk_create(items, batch_size=2_000)
        record_many(
            actor=scope.user,
            action="inquiries.person.create",
            objects=persons,
            after=[{"resident_number": p.resident_number, "amount": p.amount, "bulk": True} for p in persons],
        )
    return persons


def persons_viewed(*, actor: Any, persons: Sequence[DelinquentPerson], where: str) -> None:
    """Record that ``actor`` saw these persons' data (滞納者情報の閲覧記録), one entry per person.

    ``where`` names the screen or operation (「list」「detail」「batch」「api_list」 …). The persons
    come from the selectors, already within the actor's scope.
    """
    scope = collector(actor)
    if not persons:
        return
    with transaction.atomic(durable=True):
        record_many(
            actor=scope.user,
            action="inquiries.person.view",
            objects=list(persons),
            after=[{"resident_number": p.resident_number, "where": where} for p in persons],
        )


def _kept_addresses(person: DelinquentPerson, data: PersonInput) -> list[FormerAddressInput]:
    """The former addresses after a re-export: the file's, then those known before, and the old address if it changed.

    A tax system often exports the current address only; the collector must not lose where the person
    lived before (banks may know them by it), so nothing known is dropped, newest first, at most
    ``MAX_FORMER_ADDRESSES`` (the oldest go first).
    """
    kept: list[FormerAddressInput] = []
    seen: set[str] = set()
    current = str(data.address or "").strip()
    known = [FormerAddressInput(a.address, a.moved_out_on) for a in person.former_addresses.all()]
    moved = [FormerAddressInput(person.address)] if person.address and person.address != current else []
    for entry in [*data.former_addresses, *moved, *known]:
        address = str(entry.address or "").strip()
        if address and address != current and address not in seen:
            seen.add(address)
            kept.append(FormerAddressInput(address, entry.moved_out_on))
    return kept[:MAX_FORMER_ADDRESSES]


def _state(person: DelinquentPerson, addresses: Sequence[object], items: Sequence[object]) -> tuple[object, ...]:
    fields = ("name", "kana", "birth_date", "address", "area", "payment_banks", "amount", "delinquent_since")
    return (*(getattr(person, f) for f in fields), tuple(addresses), tuple(items))


def _item_key(item: TaxItem) -> tuple[object, ...]:
    return (item.tax, item.fiscal_year, item.amount, item.due_on)


Refreshed = list[tuple[int, DelinquentPerson, list[TaxItem], list[FormerAddressInput], dict[str, Any]]]


def _refreshed_rows(section: OrgUnit, rows: Sequence[PersonInput], day: dt.date) -> tuple[Refreshed, int]:
    """The persons that change (locked, filled, checked) and how many rows changed nothing; ``PersonsRefused``."""
    numbers = [str(data.resident_number or "").strip() for data in rows]
    locked = {
        p.resident_number: p
        for p in DelinquentPerson.objects.select_for_update()
        .filter(section=section, resident_number__in=numbers)
        .prefetch_related("former_addresses", "tax_items")
    }
    changed: Refreshed = []
    problems: list[tuple[int, str | None, str]] = []
    unchanged = 0
    for index, (number, data) in enumerate(zip(numbers, rows, strict=True)):
        person = locked.get(number)
        if person is None:
            problems.append((index, "resident_number", f"宛名番号 {number} の滞納者は登録されていません。"))
            continue
        old_items = [_item_key(t) for t in person.tax_items.all()]
        old_addresses = [(a.address, a.moved_out_on) for a in person.former_addresses.all()]
        before = _state(person, old_addresses, old_items)
        old_amount, old_address = person.amount, person.address
        addresses = _kept_addresses(person, data)
        try:
            items = _fill(person, data, day)
            clean(person, exclude=["section", "resident_number"])
        except ValidationFailed as exc:
            problems.append((index, exc.field, exc.message))
            continue
        after = _state(person, [(a.address, a.moved_out_on) for a in addresses], [_item_key(t) for t in items])
        if after == before:
            unchanged += 1
            continue
        summary = {"resident_number": number, "amount": [old_amount, person.amount], "bulk": True}
        summary["address_changed"] = old_address != person.address
        changed.append((index, person, items, addresses, summary))
    if problems:
        raise PersonsRefused(problems)
    return changed, unchanged


def persons_refresh(
    *, actor: Any, section: OrgUnit, rows: Sequence[PersonInput], on: dt.date | None = None
) -> tuple[list[DelinquentPerson], int]:
    """Update known persons from the tax system's new list (滞納者の一括更新), all or none, in the caller's transaction.

    Each row names a person already in the section by 宛名番号 (the monthly re-export). Their fields,
    amount and tax items become the row's, checked as ``person_update`` checks them; former addresses
    are kept and the old address added when it changed (``_kept_addresses``). Persons that nothing
    changed are not written. ``PersonsRefused`` names every bad row, then nothing is written; the
    persons changed are stored in grouped queries and audited one entry each (the amount before and
    after, whether the address changed). Returns the persons changed and how many rows changed nothing.
    """
    scope = collector(actor, on=on)
    if section.pk not in scope.section_ids:
        raise PermissionDenied(NOT_FOUND)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("persons_refresh must run inside the caller's transaction")
    changed, unchanged = _refreshed_rows(section, rows, today(on))
    persons = [person for _index, person, _items, _addresses, _summary in changed]
    with transaction.atomic():
        fields = ["name", "kana", "birth_date", "address", "area", "payment_banks", "amount", "delinquent_since"]
        fields.append("updated_at")
        for person in persons:
            person.updated_at = timezone.now()
        DelinquentPerson.objects.bulk_update(persons, fields, batch_size=1_000)
        FormerAddress.objects.filter(person__in=persons).delete()
        TaxItem.objects.filter(person__in=persons).delete()
        addresses, items = [], []
        for _index, person, person_items, kept, _summary in changed:
            addresses += [
                FormerAddress(person=person, position=n, address=a.address, moved_out_on=a.moved_out_on)
                for n, a in enumerate(kept, start=1)
            ]
            for item in person_items:
                item.person = person
                items.append(item)
        FormerAddress.objects.bulk_create(addresses, batch_size=2_000)
        TaxItem.objects.bulk_create(items, batch_size=2_000)
        record_many(
            actor=scope.user,
            action="inquiries.person.update",
            objects=persons,
            after=[summary for *_rest, summary in changed],
        )
    return persons, unchanged
