"""How one actor reaches another: paths on a signed graph, each with its net sign.

Paths run on ``signed_graph`` (one net sign per pair, direction ignored). The net sign of a
path is the product of its signs: friend of a friend is friendly (+), enemy of a friend or
friend of an enemy hostile (-), enemy of an enemy friendly (+).
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, Literal

import networkx as nx

__all__ = [
    "PathSearch",
    "SignedPath",
    "search_signed_paths",
    "shortest_signed_paths",
    "signed_paths",
]


@dataclass(frozen=True)
class SignedPath:
    """A path: its actors in order, the sign of each step and the net sign (+1 or -1)."""

    actors: tuple[Hashable, ...]
    signs: tuple[int, ...]

    @property
    def net(self) -> int:
        """Product of the step signs: +1 friendly, -1 hostile."""
        out = 1
        for s in self.signs:
            out *= s
        return out

    @property
    def steps(self) -> int:
        """Number of pairs the path crosses."""
        return len(self.signs)

    def describe(self) -> str:
        """The path as text, e.g. ``india -(-)- pakistan -(+)- taliban: hostile``."""
        parts = [str(self.actors[0])]
        for actor, s in zip(self.actors[1:], self.signs, strict=True):
            parts.append(f"-({'+' if s > 0 else '-'})- {actor}")
        return " ".join(parts) + (": friendly" if self.net > 0 else ": hostile")


def _path(S: nx.Graph[Any], actors: list[Hashable], sign: str) -> SignedPath:
    signs = tuple(
        1 if S.edges[u, v][sign] > 0 else -1 for u, v in zip(actors[:-1], actors[1:], strict=True)
    )
    return SignedPath(tuple(actors), signs)


def _check(S: nx.Graph[Any], *actors: Hashable) -> None:
    for actor in actors:
        if actor not in S:
            raise nx.NodeNotFound(f"actor {actor!r} is not in the graph")


def shortest_signed_paths(
    S: nx.Graph[Any], source: Hashable, target: Hashable, *, sign: str = "sign", limit: int = 50
) -> list[SignedPath]:
    """Every path with the fewest steps from ``source`` to ``target`` (at most ``limit``).

    An empty list when the two are not connected.

    Examples
    --------
    >>> S = nx.Graph()
    >>> S.add_edge("india", "pakistan", sign=-1); S.add_edge("pakistan", "taliban", sign=1)
    >>> [p.describe() for p in shortest_signed_paths(S, "india", "taliban")]
    ['india -(-)- pakistan -(+)- taliban: hostile']
    """
    _check(S, source, target)
    if source == target:
        return [SignedPath((source,), ())]
    try:
        found = nx.all_shortest_paths(S, source, target)
        paths = list(islice(found, limit))
    except nx.NetworkXNoPath:
        return []
    out = [_path(S, p, sign) for p in paths]
    return sorted(out, key=lambda p: [str(a) for a in p.actors])


@dataclass(frozen=True)
class PathSearch:
    """The paths a bounded search listed, and why it stopped if it did not finish.

    ``stopped`` is ``None`` when every path up to the cutoff is listed, ``"limit"`` when the
    listing reached its most paths, ``"time"`` when the time limit ran out first.
    """

    paths: tuple[SignedPath, ...]
    stopped: Literal["limit", "time"] | None = None


class _OutOfTime(Exception):
    pass


def search_signed_paths(
    S: nx.Graph[Any],
    source: Hashable,
    target: Hashable,
    *,
    cutoff: int = 3,
    sign: str = "sign",
    limit: int = 200,
    time_limit: float | None = None,
) -> PathSearch:
    """Simple paths of at most ``cutoff`` steps, shortest first, within ``limit`` and time.

    Paths of one length are all listed before any longer one. A step is taken only towards
    an actor from which ``target`` is still reachable in the steps left, so the work grows
    with the paths found, not with the size of the map; ``time_limit`` (seconds) bounds it
    all the same, and the result says when it stopped.

    Examples
    --------
    >>> S = nx.Graph()
    >>> S.add_edge("a", "b", sign=-1); S.add_edge("b", "c", sign=-1)
    >>> S.add_edge("a", "c", sign=1); S.add_edge("x", "y", sign=1)
    >>> [p.net for p in search_signed_paths(S, "a", "c").paths]
    [1, 1]
    >>> search_signed_paths(S, "a", "y")
    PathSearch(paths=(), stopped=None)
    """
    _check(S, source, target)
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    to_target = nx.single_source_shortest_path_length(S, target, cutoff=cutoff)
    found: list[SignedPath] = []
    expansions = 0

    def extend(path: list[Hashable], on_path: set[Hashable], left: int) -> Iterator[list[Hashable]]:
        nonlocal expansions
        expansions += 1
        if deadline is not None and expansions % 256 == 0 and time.perf_counter() > deadline:
            raise _OutOfTime
        if left == 0:
            yield list(path)
            return
        for v in S[path[-1]]:
            reach = to_target.get(v)
            if v in on_path or reach is None or reach > left - 1 or (v == target) != (left == 1):
                continue
            path.append(v)
            on_path.add(v)
            yield from extend(path, on_path, left - 1)
            path.pop()
            on_path.discard(v)

    stopped: Literal["limit", "time"] | None = None
    try:
        for steps in range(1, cutoff + 1):
            if source == target or to_target.get(source, cutoff + 1) > steps:
                continue
            same_length = [_path(S, p, sign) for p in extend([source], {source}, steps)]
            same_length.sort(key=lambda p: [str(a) for a in p.actors])
            found += same_length
            if len(found) >= limit:
                stopped = "limit" if len(found) > limit or steps < cutoff else None
                break
    except _OutOfTime:
        stopped = "time"
    return PathSearch(tuple(found[:limit]), stopped)


def signed_paths(
    S: nx.Graph[Any],
    source: Hashable,
    target: Hashable,
    *,
    cutoff: int = 3,
    sign: str = "sign",
    limit: int = 200,
) -> list[SignedPath]:
    """Simple paths of at most ``cutoff`` steps, shortest first (at most ``limit``).

    Examples
    --------
    >>> S = nx.Graph()
    >>> S.add_edge("a", "b", sign=-1); S.add_edge("b", "c", sign=-1)
    >>> S.add_edge("a", "c", sign=1)
    >>> [(p.actors, p.net) for p in signed_paths(S, "a", "c")]
    [(('a', 'c'), 1), (('a', 'b', 'c'), 1)]
    """
    return list(search_signed_paths(S, source, target, cutoff=cutoff, sign=sign, limit=limit).paths)
