"""Japanese names of audit actions and object types, declared by each app as data (監査ログの表示名).

An app that writes audit entries declares how they read in a module named
``audit_labels`` (``cityhall/<app>/audit_labels.py``) holding one ``LABELS``::

    LABELS = AuditLabels(
        actions={"finance.creditor.create": _("債権者の登録")},
        object_types={"finance.creditor": _("債権者")},
        links={"finance.creditor": creditor_links},
    )

``links`` maps an object type to a function ``(user, ids) -> {id: url}`` that
returns a URL only for the objects that user may open. ``erased`` maps an object type to the snapshot
keys that held its content and a function ``(ids) -> ids`` naming the objects whose content was erased
for good (a record disposed of, 廃棄): their entries show those keys as erased, as the record does. ``compose`` names a
whole family of actions (e.g. ``admin.<model>.<verb>``) at once.

The modules are found the first time a label is asked for, in
``INSTALLED_APPS`` order, the way ``web`` finds the ``menu`` modules; core
imports no app, so the apps register themselves through this module only. An
object type without a declared name falls back to its model's verbose name.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.module_loading import module_has_submodule

MODULE = "audit_labels"

Label = str | Promise
Linker = Callable[[Any, Sequence[str]], dict[str, str]]
ERASED = "（廃棄により消去）"
"""What an erased key of a snapshot shows instead of its value."""


@dataclass(frozen=True)
class ErasedContent:
    """The snapshot keys holding an object's content, and which objects had their content erased."""

    keys: tuple[str, ...]
    erased_ids: Callable[[Sequence[str]], set[str]]


@dataclass(frozen=True)
class AuditLabels:
    """One app's names for its audit actions and object types, and links to its objects."""

    actions: Mapping[str, Label] = field(default_factory=dict)
    object_types: Mapping[str, Label] = field(default_factory=dict)
    links: Mapping[str, Linker] = field(default_factory=dict)
    compose: Callable[[str], Label | None] | None = None
    erased: Mapping[str, ErasedContent] = field(default_factory=dict)


@dataclass
class _Registry:
    actions: dict[str, Label] = field(default_factory=dict)
    object_types: dict[str, Label] = field(default_factory=dict)
    links: dict[str, Linker] = field(default_factory=dict)
    composers: list[Callable[[str], Label | None]] = field(default_factory=list)
    erased: dict[str, ErasedContent] = field(default_factory=dict)


_found: list[_Registry] = []


def discover() -> None:
    """Read every installed app's ``audit_labels`` module (replaces what was read before)."""
    registry = _Registry()
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, MODULE):
            continue
        labels = getattr(import_module(f"{config.name}.{MODULE}"), "LABELS", None)
        if not isinstance(labels, AuditLabels):
            raise ImproperlyConfigured(f"{config.name}.{MODULE} must define LABELS = AuditLabels(...)")
        registry.actions.update(labels.actions)
        registry.object_types.update(labels.object_types)
        registry.links.update(labels.links)
        registry.erased.update(labels.erased)
        if labels.compose is not None:
            registry.composers.append(labels.compose)
    _found[:] = [registry]


def _registry() -> _Registry:
    if not _found:
        discover()
    return _found[0]


def known_action(name: str) -> Label | None:
    """The declared Japanese name of an action, or None when no app declares it."""
    registry = _registry()
    if name in registry.actions:
        return registry.actions[name]
    for compose in registry.composers:
        label = compose(name)
        if label is not None:
            return label
    return None


def action_label(name: str) -> str:
    """The Japanese name of an action; an undeclared one shows as its code."""
    label = known_action(name)
    return str(label) if label is not None else name


def object_type_label(name: str) -> str:
    """The Japanese name of an object type: declared, else the model's verbose name, else the code."""
    registry = _registry()
    if name in registry.object_types:
        return str(registry.object_types[name])
    try:
        return str(apps.get_model(name)._meta.verbose_name)
    except (LookupError, ValueError):
        return name


def action_choices() -> list[tuple[str, str]]:
    """Every declared action with its name, sorted by name (for a filter's choices)."""
    return sorted(((code, str(label)) for code, label in _registry().actions.items()), key=lambda c: c[1])


def object_type_choices(extra: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Every declared object type, every model of the project's apps (and ``extra``), sorted by name."""
    models = {m._meta.label_lower for m in apps.get_models() if m.__module__.startswith("cityhall.")}
    codes = set(_registry().object_types) | models | set(extra)
    return sorted(((code, object_type_label(code)) for code in codes), key=lambda c: c[1])


def object_links(user: Any, objects: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """URLs of the (type, id) pairs that ``user`` may open, asked of each type's app once."""
    wanted: dict[str, set[str]] = {}
    for object_type, object_id in objects:
        if object_id and object_type in _registry().links:
            wanted.setdefault(object_type, set()).add(object_id)
    found: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        for object_id, url in _registry().links[object_type](user, sorted(ids)).items():
            found[(object_type, object_id)] = url
    return found


def int_ids(ids: Sequence[str]) -> list[int]:
    """The ids that are whole numbers (a linker's helper: object ids are stored as text)."""
    return [int(i) for i in ids if i.isascii() and i.isdigit() and len(i) < 19]


def without_erased_content(object_type: str, object_id: str, snapshot: str) -> str:
    """A stored snapshot (JSON text) as it may be shown: the content keys of an erased object replaced.

    The stored entry is never changed (its hash covers it); what is shown of it follows the record.
    """
    erased = _registry().erased.get(object_type)
    if erased is None or not snapshot or object_id not in erased.erased_ids([object_id]):
        return snapshot
    try:
        values = json.loads(snapshot)
    except ValueError:
        return snapshot
    if not isinstance(values, dict):
        return snapshot
    shown = {key: ERASED if key in erased.keys else value for key, value in values.items()}
    return json.dumps(shown, ensure_ascii=False, sort_keys=True)
