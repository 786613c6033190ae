"""Start-up check of the apps' menus: ``runserver`` and ``manage.py check`` read them before the first page.

The menus are read on first use (``menus.discover``), so a broken ``menu`` module would otherwise show
only on the first page; other management commands skip this check and the import of every home panel.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

TAG = "cityhall_menus"


@register(TAG)
def menus_readable(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Every installed app's ``menu`` module defines ``MENU``."""
    from cityhall.web import menus

    try:
        menus.discover()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="web.E001")]
    return []
