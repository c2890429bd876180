"""Pausing Python's cyclic garbage collector around bulk work on big maps.

Reading, building and filtering a map allocate hundreds of thousands of small objects that
all stay alive. With the collector running, each burst of allocation triggers full
collections that walk the whole map again: measured on a 20,000-actor map, a filter took
0.2-1.2 s with the collector on and a steady 0.2 s with it paused. Nothing these functions
build is cyclic garbage, so pausing loses nothing.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

__all__ = ["collector_paused", "collector_paused_during"]

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block; restore its state afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def collector_paused_during(function: Callable[P, R]) -> Callable[P, R]:
    """Decorate ``function`` to run with the cyclic garbage collector paused."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with collector_paused():
            return function(*args, **kwargs)

    return run
