"""Certificates and approval sheets for the signing tests (電子署名の試験用の証明書と起案用紙).

RSA keys take long to make: the ``city_cert_files`` fixture makes the city's once per test
session (with its demo CA and time-stamping authority, which answers in the test process:
no network), and every test that signs points the settings at it (``city_signing``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.test import override_settings

from cityhall.signing.authority import DEMO_FILE_NAMES
from cityhall.signing.certs import ensure_city_certificate
from cityhall.signing.seal import Stamp
from cityhall.signing.sheet import ApprovalSheet, AttachmentEntry, RouteEntry


@dataclass(frozen=True)
class CertFiles:
    """A certificate's key and certificate files (PEM), and the folder of the demo CA and TSA that issued it."""

    key: Path
    cert: Path
    demo_dir: Path


def demo_files(folder: Path) -> list[Path]:
    """The demo CA's and TSA's files in ``folder``, as ``CITYHALL_SIGNING_DEMO_FILES`` names them."""
    return [folder / name for name in DEMO_FILE_NAMES]


def make_cert(folder: Path, common_name: str) -> CertFiles:
    """A certificate for ``common_name`` from its own demo CA, made in ``folder`` by the city's command logic."""
    files = CertFiles(key=folder / "key.pem", cert=folder / "cert.pem", demo_dir=folder / "demo")
    with override_settings(
        CITYHALL_SIGNING_KEY_FILE=files.key,
        CITYHALL_SIGNING_CERT_FILE=files.cert,
        CITYHALL_SIGNING_DEMO_DIR=files.demo_dir,
        CITYHALL_SIGNING_P12="",
        CITYHALL_SIGNING_PASSPHRASE="",
        CITYHALL_TSA_URL="local",
    ):
        assert ensure_city_certificate(common_name=common_name).created
    return files


DECIDED = datetime.date(2026, 11, 26)


def sample_sheet(
    body: str = "会議室で使う机と椅子を購入したいので伺います。\n購入予定額は876,000円です。",
) -> ApprovalSheet:
    """A decided 課長専決 with a proxy decision (代決) and a post-review (後閲)."""
    route = (
        RouteEntry(
            "主任", "佐藤 花子", "起案", Stamp("佐藤", datetime.date(2026, 11, 20), top="総務課", action="起案")
        ),
        RouteEntry(
            "係長",
            "鈴木 一郎",
            "承認",
            Stamp("鈴木", datetime.date(2026, 11, 24), top="総務課", action="承認", post_review=True),
            "誤字を修正しました。",
        ),
        RouteEntry("課長", "田中 誠", "決裁", Stamp("渡辺", DECIDED, top="総務課", proxy=True), "課長不在のため代決。"),
    )
    consultations = (
        RouteEntry(
            "財政課長", "伊藤 明", "同意", Stamp("伊藤", datetime.date(2026, 11, 25), top="財政課", action="合議")
        ),
    )
    attachments = (AttachmentEntry("見積書_みどり事務機.pdf", 234_567, "ab" * 32),)
    return ApprovalSheet(
        municipality="みどり野市",
        number="緑総第123号",
        title="会議室用備品の購入について",
        section="総務部 総務課",
        drafter="佐藤 花子",
        drafted_on=datetime.date(2026, 11, 20),
        decided_on=DECIDED,
        decision_kind="課長専決",
        body=body,
        route=route,
        consultations=consultations,
        attachments=attachments,
        details=(("保存期間", "5年"),),
    )
