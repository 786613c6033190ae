"""A type registered lazily (``registry.register_lazily``) loads its module on first use, and a module that
does not register the type it was named for is a configuration error, not a plain document."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from cityhall.documents import registry


def test_a_module_that_does_not_register_its_type_is_refused_at_first_use():
    registry.register_lazily("cityhall.documents.disposal", "test.never_registered")
    try:
        with pytest.raises(ImproperlyConfigured, match=r"test\.never_registered"):
            registry.get_type("test.never_registered")
    finally:
        registry.unregister_type("test.never_registered")
    assert registry.get_type("test.never_registered") is None
    assert registry.get_type("documents.disposal_list") is not None  # what the module does register


def test_a_type_registered_with_its_hooks_is_not_replaced_by_a_lazy_registration():
    entry = registry.register_type("test.eager", "即時に登録した型")
    try:
        registry.register_lazily("cityhall.documents.disposal", "test.eager")
        assert registry.get_type("test.eager") is entry
    finally:
        registry.unregister_type("test.eager")
