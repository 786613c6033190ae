"""Hooks registered at start-up whose module is imported at their first call (登録は起動時、読込は初回).

Apps give other apps' registries their hooks from ``AppConfig.ready()``. Importing the module that
holds a hook there makes every process (each command, worker and test run) import that module and
all it imports, though most never call the hook. ``deferred("cityhall.automation.selectors.links")``
is a function that imports ``cityhall.automation.selectors`` the first time it is called and then
calls its ``links``: what the hook does is unchanged, only when its module is read. The same path
gives the same function, so a registry that ignores a hook registered twice still does.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import import_module
from typing import Any

__all__ = ["deferred"]


@cache
def deferred(path: str) -> Callable[..., Any]:
    """A function that calls the function at ``path`` (``package.module.name``), imported at the first call."""
    module, _, name = path.rpartition(".")
    found: list[Callable[..., Any]] = []

    def call(*args: Any, **kwargs: Any) -> Any:
        if not found:
            found.append(getattr(import_module(module), name))
        return found[0](*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"``{path}``, imported at the first call (``core.deferred``)."
    return call
