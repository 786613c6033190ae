"""Start-up checks of the signing app: the PDF font and the city's signing certificate."""

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
