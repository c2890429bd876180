"""The examples in the library's docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import explorer.analysis

MODULES = ["explorer.model", "explorer.graph", "explorer.load", "explorer.render.layout"] + [
    f"explorer.analysis.{m.name}" for m in pkgutil.iter_modules(explorer.analysis.__path__)
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
