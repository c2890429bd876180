"""The built-in vocabulary (actor kinds and relation types), read once from package data."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Any

__all__ = ["builtin_vocabulary_data"]


@lru_cache(maxsize=1)
def builtin_vocabulary_data() -> dict[str, Any]:
    """Return the raw mapping of ``vocabulary.yaml`` shipped with the package."""
    import yaml

    text = files("explorer").joinpath("vocabulary.yaml").read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, Any] = yaml.load(text, Loader=loader)  # noqa: S506 - safe loader
    return data
