"""How one actor reaches another: paths on a signed graph, each with its net sign.

Paths run on ``signed_graph`` (one net sign per pair, direction ignored). The net sign of a
path is the product of its signs: friend of a friend is friendly (+), enemy of a friend or
friend of an enemy hostile (-), enemy of an enemy friendly (+).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from itertools import islice

import networkx as nx

__all__ = ["SignedPath", "shortest_signed_paths", "signed_paths"]


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


def _path(S: nx.Graph, actors: list[Hashable], sign: str) -> SignedPath:
    signs = tuple(
        1 if S.edges[u, v][sign] > 0 else -1 for u, v in zip(actors[:-1], actors[1:], strict=True)
    )
    return SignedPath(tuple(actors), signs)


def _check(S: nx.Graph, *actors: Hashable) -> None:
    for actor in actors:
        if actor not in S:
            raise nx.NodeNotFound(f"actor {actor!r} is not in the graph")


def shortest_signed_paths(
    S: nx.Graph, source: Hashable, target: Hashable, *, sign: str = "sign", limit: int = 50
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


def signed_paths(
    S: nx.Graph,
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
    _check(S, source, target)
    found = nx.all_simple_paths(S, source, target, cutoff=cutoff)
    paths = [_path(S, p, sign) for p in islice(found, limit)]
    return sorted(paths, key=lambda p: (p.steps, [str(a) for a in p.actors]))
