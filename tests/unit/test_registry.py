"""The one registry lookup: known names give their entry, an unknown name a clear error."""

from __future__ import annotations

import pytest

from contractbook.registry import lookup, unknown


def test_lookup_returns_the_entry():
    assert lookup({"a": 1, "b": 2}, "b", "thing") == 2


def test_unknown_name_lists_the_known_ones_in_order():
    with pytest.raises(ValueError, match=r"^unknown thing 'z'; choose one of b, a$"):
        lookup({"b": 1, "a": 2}, "z", "thing")


def test_the_error_class_is_the_registrys_own():
    class OwnError(ValueError):
        pass

    with pytest.raises(OwnError):
        lookup({}, "z", "thing", OwnError)
    assert isinstance(unknown(("x", "y"), "z", "engine", KeyError), KeyError)
