"""Who sides with whom: blocs found among the positive ties of a signed graph."""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx

__all__ = ["blocs", "bloc_of"]


def blocs(
    S: nx.Graph,
    *,
    sign: str = "sign",
    weight: str | None = "weight",
    resolution: float = 1.0,
    seed: int | None = 0,
) -> list[frozenset[Hashable]]:
    """Split the actors into blocs by Louvain community detection on the positive pairs.

    Hostile pairs are ignored here (balance analysis reads them); an actor with no positive
    pair is a bloc of its own. ``weight`` is read from each positive pair (``signed_graph``
    stores the net strength there); a missing or zero weight counts as 1, so a pair settled
    by confidence alone still binds. Blocs are listed largest first, then by their first
    actor.

    Examples
    --------
    >>> S = nx.Graph()
    >>> S.add_edge("a", "b", sign=1, weight=2); S.add_edge("c", "d", sign=1, weight=2)
    >>> S.add_edge("b", "c", sign=-1, weight=3)
    >>> [sorted(b) for b in blocs(S)]
    [['a', 'b'], ['c', 'd']]
    """
    P = nx.Graph()
    P.add_nodes_from(S)
    for u, v, d in S.edges(data=True):
        if u != v and d.get(sign, 1) > 0:
            w = d.get(weight, 1) if weight is not None else 1
            P.add_edge(u, v, weight=w if w else 1)
    if P.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(P, weight="weight", resolution=resolution, seed=seed)
    groups = [frozenset(c) for c in found]
    return sorted(groups, key=lambda c: (-len(c), min(str(n) for n in c)))


def bloc_of(groups: list[frozenset[Hashable]]) -> dict[Hashable, int]:
    """Map each actor to the number of its bloc (0 for the largest).

    Examples
    --------
    >>> bloc_of([frozenset({"a", "b"}), frozenset({"c"})]) == {"a": 0, "b": 0, "c": 1}
    True
    """
    return {actor: i for i, group in enumerate(groups) for actor in group}
