"""The institution master (照会先マスタ): register, change and stop institutions asked about assets.

A bank (銀行・信用金庫等) is registered by its 銀行コード, read from zengin-code
(``cityhall.core.banks``): its name and kana default to zengin-code's, and the branch that answers
(照会先の支店) must exist there too. Others (ゆうちょ銀行, insurers, securities firms) are typed in.
Any holder of the 徴税 role keeps the master (it is the city's, not a section's); a stopped
institution stays for the letters already sent to it and is never chosen again.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from cityhall.core import banks
from cityhall.core.audit import record, snapshot
from cityhall.core.errors import Conflict, PermissionDenied, ValidationFailed, clean
from cityhall.core.japanese import to_katakana
from cityhall.inquiries.access import NOT_FOUND
from cityhall.inquiries.models import Channel, Institution, InstitutionKind, MatchOn
from cityhall.inquiries.services._common import collector


@dataclass(frozen=True)
class InstitutionInput:
    """An institution as entered (照会先の入力); a bank's name and kana may be left for zengin-code."""

    kind: str
    address: str
    name: str = ""
    kana: str = ""
    bank_code: str = ""
    branch_code: str = ""
    postal_code: str = ""
    addressee: str = ""
    region: str = ""
    channel: str = Channel.PAPER
    match_on: str = MatchOn.KANA_BIRTH


def _postal_code(value: str) -> str:
    digits = unicodedata.normalize("NFKC", value or "").replace("-", "").replace("〒", "").strip()
    if not digits:
        return ""
    if len(digits) != 7 or not digits.isascii() or not digits.isdigit():
        raise ValidationFailed("郵便番号は7桁の数字で入力してください（例: 100-0001）。", field="postal_code")
    return f"{digits[:3]}-{digits[3:]}"


def _fill(institution: Institution, data: InstitutionInput) -> None:
    """Set the fields from ``data``; a bank's code (and branch) checked against zengin-code."""
    if data.kind not in InstitutionKind.values:
        raise ValidationFailed("照会先の種類を選んでください。", field="kind")
    institution.kind = data.kind
    name, kana = " ".join(str(data.name or "").split()), str(data.kana or "")
    institution.bank_code = institution.branch_code = institution.branch_name = ""
    if data.kind == InstitutionKind.BANK:
        bank = banks.bank(data.bank_code)
        institution.bank_code = bank.code
        name, kana = name or bank.name, kana or bank.kana
        if str(data.branch_code or "").strip():
            branch = banks.branch(bank.code, data.branch_code)
            institution.branch_code, institution.branch_name = branch.code, branch.name
    elif str(data.bank_code or "").strip():
        raise ValidationFailed("銀行コードは「銀行・信用金庫等」の照会先にだけ入力します。", field="bank_code")
    if not name:
        raise ValidationFailed("名称を入力してください。", field="name")
    institution.name = name
    institution.kana = " ".join(to_katakana(kana).replace("－", "ー").split())
    institution.postal_code = _postal_code(data.postal_code)
    institution.address = str(data.address or "").strip()
    if not institution.address:
        raise ValidationFailed("送付先住所を入力してください。", field="address")
    institution.addressee = str(data.addressee or "").strip()
    institution.region = str(data.region or "").strip()
    institution.channel = data.channel
    institution.match_on = data.match_on


def institution_create(*, actor: Any, data: InstitutionInput) -> Institution:
    """Register an institution (照会先の登録)."""
    scope = collector(actor)
    institution = Institution()
    _fill(institution, data)
    clean(institution)
    with transaction.atomic(durable=True):
        institution.save()
        record(actor=scope.user, action="inquiries.institution.create", obj=institution, after=snapshot(institution))
    return institution


def _locked(institution: Institution) -> Institution:
    found = Institution.objects.select_for_update().filter(pk=institution.pk).first()
    if found is None:
        raise PermissionDenied(NOT_FOUND)
    return found


def institution_update(*, actor: Any, institution: Institution, data: InstitutionInput) -> Institution:
    """Change an institution (照会先の変更): name, address, channel, what it matches on …"""
    scope = collector(actor)
    with transaction.atomic(durable=True):
        locked = _locked(institution)
        before = snapshot(locked)
        _fill(locked, data)
        clean(locked)
        locked.save()
        record(
            actor=scope.user, action="inquiries.institution.update", obj=locked, before=before, after=snapshot(locked)
        )
    return locked


def institution_deactivate(*, actor: Any, institution: Institution) -> Institution:
    """Stop an institution (照会先の停止): kept for the letters sent, never chosen again."""
    scope = collector(actor)
    with transaction.atomic(durable=True):
        locked = _locked(institution)
        if not locked.is_active:
            raise Conflict(f"照会先「{locked.name}」は既に停止しています。")
        locked.is_active = False
        locked.save(update_fields=["is_active", "updated_at"])
        record(actor=scope.user, action="inquiries.institution.deactivate", obj=locked, after={"is_active": False})
    return locked
