"""``manage.py ensure_city_certificate``: make the city's self-signed signing certificate once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.signing.certs import ensure_city_certificate
from cityhall.signing.dates import long_date


class Command(BaseCommand):
    help = "市の署名用証明書（自己署名）を作成します。既にある場合は何もしません。"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--common-name", help="証明書の CN（既定: CITYHALL_SIGNING_COMMON_NAME）")
        parser.add_argument("--organization", help="証明書の O（既定: CITYHALL_SIGNING_ORGANIZATION）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = ensure_city_certificate(common_name=options["common_name"], organization=options["organization"])
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        state = "署名用証明書を作成しました" if result.created else "署名用証明書は既に設定されています"
        self.stdout.write(f"{state}（{'PKCS#12' if result.source == 'pkcs12' else 'PEM'}）。")
        self.stdout.write(f"  主体: {result.subject}")
        self.stdout.write(f"  有効期限: {long_date(result.not_after.date())}")
        self.stdout.write(f"  SHA-256 指紋: {result.sha256_fingerprint}")
