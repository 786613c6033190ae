"""Start-up checks of the signing app: the PDF font, the city's signing certificate and its TSA."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Warning, register
from django.core.exceptions import ImproperlyConfigured

from cityhall.signing import fonts


@register()
def pdf_font_installed(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The Japanese font for approval sheets is installed (make system)."""
    try:
        fonts.font_path(fonts.GOTHIC)
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="signing.E001")]
    return []


@register(deploy=True)
def signing_certificate_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A signing certificate is in place, so decided records can be signed (check --deploy)."""
    from cityhall.signing.certs import city_certificate

    if city_certificate() is None:
        return [
            Warning(
                "市の署名用証明書がありません。決裁済み文書の PDF に署名できません。",
                hint="manage.py ensure_city_certificate を実行するか、CITYHALL_SIGNING_P12 などを設定してください。",
                id="signing.W001",
            )
        ]
    return []


@register(deploy=True)
def time_stamping_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A real time-stamping authority is configured, so signatures last the retention (check --deploy)."""
    from django.conf import settings

    url = (settings.CITYHALL_TSA_URL or "").strip()
    if url and url != "local":
        return []
    reason = (
        "タイムスタンプ局が設定されていません。署名は B-B のままで、証明書の期限後は完全性を証明できません。"
        if not url
        else "デモのタイムスタンプ局 (local) を使っています。デモ認証局は市の外では信頼されません。"
    )
    return [
        Warning(
            reason,
            hint="CITYHALL_TSA_URL に契約しているタイムスタンプ局の URL を設定してください（docs/operations.md）。",
            id="signing.W002",
        )
    ]
