"""``cityhall.finance.services`` imports each service when first named (a command imports only what it uses):
every public name is there, as its own module's, and sub-modules are reached as before."""

from __future__ import annotations

import importlib

import pytest

from cityhall.finance import services


def test_every_public_name_is_its_modules_and_sub_modules_are_reached():
    for name in services.__all__:
        module = importlib.import_module(f"cityhall.finance.services.{services._MODULE_OF[name]}")
        assert getattr(services, name) is getattr(module, name), name
    assert set(services._MODULE_OF) == set(services.__all__)
    assert services.inspection is importlib.import_module("cityhall.finance.services.inspection")
    with pytest.raises(AttributeError):
        _ = services.no_such_service
