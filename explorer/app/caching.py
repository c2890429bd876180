"""One memory budget, in bytes, for everything the dashboard keeps between runs.

A server is shared by every session and lives for days; each map opened (the started file,
every upload) leaves a checked dataset, a graph, a layout, the graph page's encoded parts and
analysis results behind. Counting entries does not bound that: one 60 MB upload alone takes
hundreds of megabytes. So the heavy caches are ``budgeted`` functions sharing one process-wide
``Budget`` that counts the bytes each kept value holds and drops the least recently used
values when the total passes the limit (``$STAKEHOLDER_EXPLORER_CACHE_BYTES``, default 1 GiB).

Sizes are measured, not guessed: ``retained_bytes`` walks the value's objects (as
``gc.get_referents`` sees them) and adds up ``sys.getsizeof``, the way tracemalloc would count
their allocations (a test compares the two). A walk stops at a value another kept entry owns
(the graph keeps the dataset it was built from): that bytes are counted once, and the entry
that reached it depends on its owner, so dropping the owner drops it too; otherwise a dropped
value could live on, uncounted, inside another.

The most recently used entry of each function is never dropped: it is what the screen shows
now, and dropping it would recompute it on every click. So the caches hold at most the budget
or the newest map's parts, whichever is more.
"""

from __future__ import annotations

import gc
import inspect
import os
import sys
import threading
import types
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, ParamSpec, TypeVar

__all__ = [
    "BUDGET_ENV",
    "DEFAULT_BUDGET",
    "Budget",
    "BudgetedFunction",
    "budget",
    "budget_limit",
    "budgeted",
    "retained_bytes",
]

#: Environment variable setting the budget: bytes or a size with a unit (``500MB``, ``2GiB``).
BUDGET_ENV = "STAKEHOLDER_EXPLORER_CACHE_BYTES"
#: Default budget. The largest upload (64 MB, 20,000 actors) keeps several hundred megabytes
#: of dataset, graph and page parts; 1 GiB keeps it, or a few middling maps, at once.
DEFAULT_BUDGET = 1024**3

P = ParamSpec("P")
R = TypeVar("R")
Key = tuple[str, Hashable]

# Shared by all values, not held by them: never walked into or counted.
_NOT_HELD = (
    type,
    types.ModuleType,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.CodeType,
    types.FrameType,
)


def budget_limit() -> tuple[int, str]:
    """The budget from ``$STAKEHOLDER_EXPLORER_CACHE_BYTES`` (else 1 GiB), and a problem line.

    A malformed value gives the default and a line naming the variable, for the page to show.
    """
    from explorer.reading import ReadRefused, parse_size

    text = os.environ.get(BUDGET_ENV)
    if text is None or not text.strip():
        return DEFAULT_BUDGET, ""
    try:
        return parse_size(text, BUDGET_ENV), ""
    except ReadRefused as exc:
        return DEFAULT_BUDGET, f"{exc.reason}; using {DEFAULT_BUDGET:,} bytes"


def retained_bytes(value: object, stops: dict[int, Key] | None = None) -> tuple[int, set[Key]]:
    """Bytes held by ``value``'s objects, and the owners of the ``stops`` it reached.

    ``stops`` maps ``id(obj)`` of objects counted elsewhere to their owner; the walk does not
    enter them. Types, modules and functions are shared, not held, and are not counted.

    >>> retained_bytes("x" * 1000)[0] >= 1000
    True
    """
    stops = stops or {}
    seen: set[int] = set()
    owners: set[Key] = set()
    total = 0
    frontier: list[Any] = [value]
    with_stops = bool(stops)
    first = True
    while frontier:
        batch = {id(obj): obj for obj in frontier}
        fresh = batch.keys() - seen
        if with_stops and not first:
            reached = fresh & stops.keys()
            if reached:
                owners.update(stops[i] for i in reached)
                fresh -= reached
        first = False
        seen |= fresh
        objects = [batch[i] for i in fresh if not isinstance(batch[i], _NOT_HELD)]
        total += sum(map(sys.getsizeof, objects))
        frontier = gc.get_referents(*objects)
    return total, owners


# Immutable values Python shares freely (None, small numbers, interned text): never owned by
# one entry, or every value holding a 0 would depend on it.
_SHARED = (type(None), bool, int, float, complex, str, bytes, tuple, frozenset, range)


def _parts_of(value: object) -> Iterable[object]:
    """The value and the objects it holds directly: what another value may point into."""
    parts = [value]
    attributes = getattr(value, "__dict__", None)
    if isinstance(attributes, dict) and not isinstance(value, type):
        parts.extend(attributes.values())
    parts.extend(getattr(value, name, None) for name in getattr(type(value), "__slots__", ()))
    return [part for part in parts if not isinstance(part, _SHARED)]


@dataclass
class _Entry:
    value: Any
    size: int
    owns: list[int]
    depends_on: set[Key] = field(default_factory=set)


class Budget:
    """Kept values of many functions under one limit in bytes, least recently used out first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: OrderedDict[Key, _Entry] = OrderedDict()
        self._owner: dict[int, Key] = {}
        self._newest: dict[str, Hashable] = {}
        self._lock = threading.RLock()

    @property
    def total(self) -> int:
        """Bytes counted for the values kept now."""
        with self._lock:
            return sum(e.size for e in self._entries.values())

    def sizes(self) -> dict[Key, int]:
        """Each kept value's bytes, least recently used first."""
        with self._lock:
            return {key: e.size for key, e in self._entries.items()}

    def get(self, key: Key) -> tuple[bool, Any]:
        """``(True, value)`` if ``key`` is kept (it becomes the most recently used)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return False, None
            self._entries.move_to_end(key)
            self._newest[key[0]] = key[1]
            return True, entry.value

    def put(self, key: Key, value: Any) -> None:
        """Keep ``value`` under ``key``, then drop old values until the total fits."""
        with self._lock:
            self._drop(key)
            stops = dict(self._owner)
        size, owners = retained_bytes(value, stops)  # walked outside the lock
        with self._lock:
            owners = {o for o in owners if o in self._entries and o != key}
            owns = [id(part) for part in _parts_of(value) if id(part) not in self._owner]
            for i in owns:
                self._owner[i] = key
            self._entries[key] = _Entry(value, size, owns, owners)
            self._newest[key[0]] = key[1]
            self._fit()

    def clear(self, function: str | None = None) -> None:
        """Drop every kept value, or those of one function."""
        with self._lock:
            for key in list(self._entries):
                if function is None or key[0] == function:
                    self._drop(key)
            if function is None:
                self._newest.clear()
            else:
                self._newest.pop(function, None)

    def _dependents(self, key: Key) -> set[Key]:
        found = {key}
        grew = True
        while grew:
            more = {k for k, e in self._entries.items() if e.depends_on & found} - found
            grew = bool(more)
            found |= more
        return found

    def _drop(self, key: Key) -> None:
        for k in self._dependents(key) if key in self._entries else ():
            entry = self._entries.pop(k)
            for i in entry.owns:
                if self._owner.get(i) == k:
                    del self._owner[i]

    def _fit(self) -> None:
        protected = {(name, args) for name, args in self._newest.items()}
        total = sum(e.size for e in self._entries.values())
        for key in list(self._entries):
            if total <= self.limit:
                return
            if key not in self._entries or key in protected:
                continue
            group = self._dependents(key)
            if group & protected:
                continue
            total -= sum(self._entries[k].size for k in group)
            self._drop(key)


_budget: Budget | None = None
_budget_lock = threading.Lock()


def budget() -> Budget:
    """The process's budget (its limit read from the environment once)."""
    global _budget
    with _budget_lock:
        if _budget is None:
            _budget = Budget(budget_limit()[0])
        return _budget


class BudgetedFunction(Generic[P, R]):
    """A function whose results are kept in the process's budget, by its plain arguments.

    As with ``st.cache_resource``, parameters whose names start with ``_`` are not part of
    the key (the caller names their content in another argument, such as a content hash).
    """

    def __init__(self, function: Callable[P, R], spinner: str) -> None:
        self._function = function
        self._name = f"{function.__module__}.{function.__qualname__}"
        self._signature = inspect.signature(function)
        self._spinner = spinner
        self._computing: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        self.__doc__ = function.__doc__
        self.__wrapped__ = function

    def _key(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Hashable:
        bound = self._signature.bind(*args, **kwargs)
        return tuple(
            (name, value) for name, value in bound.arguments.items() if not name.startswith("_")
        )

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        key = self._key(args, kwargs)
        kept = budget()
        found, value = kept.get((self._name, key))
        if found:
            return value  # type: ignore[no-any-return]
        with self._lock:
            lock = self._computing.setdefault(key, threading.Lock())
        try:
            with lock:  # two sessions asking for the same value compute it once
                found, value = kept.get((self._name, key))
                if not found:
                    value = self._compute(*args, **kwargs)
                    kept.put((self._name, key), value)
        finally:
            with self._lock:
                self._computing.pop(key, None)
        return value  # type: ignore[no-any-return]

    def _compute(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if self._spinner:
            from streamlit.runtime.scriptrunner import get_script_run_ctx

            if get_script_run_ctx(suppress_warning=True) is not None:
                import streamlit as st

                with st.spinner(self._spinner):
                    return self._function(*args, **kwargs)
        return self._function(*args, **kwargs)

    def clear(self) -> None:
        """Drop every value this function kept."""
        budget().clear(self._name)


def budgeted(spinner: str = "") -> Callable[[Callable[P, R]], BudgetedFunction[P, R]]:
    """Decorate a function to keep its results in the process's byte budget.

    ``spinner`` is shown in the page while a value is computed.
    """

    def decorate(function: Callable[P, R]) -> BudgetedFunction[P, R]:
        return BudgetedFunction(function, spinner)

    return decorate
