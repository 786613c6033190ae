"""The installed apps' menus (各アプリのメニュー), found the way the admin finds ``admin.py`` modules.

``discover`` runs on first use (the first page, or the start-up check of
``runserver`` and ``check``), not in ``WebConfig.ready``: a menu imports its
app's home panels and selectors, which a management command such as
``export_zengin`` never needs and should not wait for. It imports ``<app>.menu``
for every installed app that has one, in ``INSTALLED_APPS`` order, and keeps its
``MENU`` (a :class:`cityhall.core.menus.Menu`). The main menu and the header's
count read them through ``entries`` and ``inbox_counters``; no app imports the
shell to add itself.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule

from cityhall.core.menus import Counter, Menu, MenuEntry, ModuleCard, PanelProvider

MODULE = "menu"
_menus: list[Menu] = []
_read: list[bool] = []  # set once ``discover`` has run


def discover() -> None:
    """Read every installed app's ``menu`` module, in ``INSTALLED_APPS`` order (replaces what was read before)."""
    found: list[Menu] = []
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, MODULE):
            continue
        module = import_module(f"{config.name}.{MODULE}")
        menu = getattr(module, "MENU", None)
        if not isinstance(menu, Menu):
            raise ImproperlyConfigured(f"{config.name}.{MODULE} must define MENU = Menu(...)")
        found.append(menu)
    _menus[:] = found
    _read[:] = [True]


def _all() -> list[Menu]:
    if not _read:
        discover()
    return _menus


def entries() -> list[MenuEntry]:
    """Every app's menu entries, apps in ``INSTALLED_APPS`` order and each app's entries in its own order."""
    return [entry for menu in _all() for entry in menu.entries]


def inbox_counters() -> list[Counter]:
    """Every app's counters of items waiting for a user (未処理件数)."""
    return [counter for menu in _all() for counter in menu.inbox_counters]


def modules() -> list[ModuleCard]:
    """Every app's business modules (業務メニュー), apps in ``INSTALLED_APPS`` order."""
    return [module for menu in _all() for module in menu.modules]


def panel_providers() -> list[PanelProvider]:
    """Every app's home panel providers (ホームのパネル)."""
    return [provider for menu in _all() for provider in menu.home_panels]


def inbox_url_name() -> str:
    """The URL name of the page listing what the header counts (the first app that declares one), or ""."""
    return next((menu.inbox_url_name for menu in _all() if menu.inbox_url_name), "")
