"""Who sides with whom: blocs found among the positive ties of a signed graph."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import networkx as nx

__all__ = ["blocs", "bloc_of"]


def blocs(
    S: nx.Graph[Any],
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
    nodes = list(S)
    if not nodes:
        return []
    index = {node: i for i, node in enumerate(nodes)}
    # The positive pairs in the order networkx would list the edges of a graph built from
    # them (each actor's pairs in the order they were added), so the seeded shuffles and
    # ties resolve as in networkx's own Louvain.
    adjacent: list[dict[int, float]] = [{} for _ in nodes]
    for u, v, d in S.edges(data=True):
        if u != v and d.get(sign, 1) > 0:
            w = d.get(weight, 1) if weight is not None else 1
            i, j = index[u], index[v]
            adjacent[i][j] = w if w else 1
            adjacent[j][i] = w if w else 1
    edges: list[tuple[int, int, float]] = []
    seen: set[int] = set()
    for i, nbrs in enumerate(adjacent):
        edges.extend((i, j, w) for j, w in nbrs.items() if j not in seen)
        seen.add(i)
    found = _louvain(len(nodes), edges, resolution, seed)
    groups = [frozenset(nodes[i] for i in c) for c in found]
    return sorted(groups, key=lambda c: (-len(c), min(str(n) for n in c)))


def _louvain(
    n: int, edges: list[tuple[int, int, float]], resolution: float, seed: int | None
) -> list[set[int]]:
    """networkx's ``louvain_communities`` on actors ``0..n-1``, without its graph objects.

    The same steps in the same order (node shuffles from one ``random.Random(seed)``, the
    first best community in neighbour order, a stop when a level gains at most 1e-7
    modularity), so the blocs are networkx's; ``tests/test_paths.py`` compares them. Lists
    and dicts of numbers instead of networkx graphs make it about twice as fast.
    """
    import random

    rng = random if seed is None else random.Random(seed)
    # Adjacency in networkx's order: edges inserted as listed, a self-loop once.
    adj: list[dict[int, float]] = [{} for _ in range(n)]
    for u, v, w in edges:
        adj[u][v] = w
        adj[v][u] = w
    partition = [{u} for u in range(n)]
    if not edges:
        return partition
    members = [{u} for u in range(n)]

    def degrees(adj: list[dict[int, float]]) -> list[float]:
        return [sum(nb.values()) + nb.get(u, 0.0) for u, nb in enumerate(adj)]

    m = sum(degrees(adj)) / 2
    two_m2 = 2 * m**2

    def modularity(adj: list[dict[int, float]], communities: list[set[int]]) -> float:
        deg = degrees(adj)
        total = sum(deg)
        half = total / 2
        q = 0.0
        for comm in communities:
            inside = 0.0
            for u in comm:
                for v, w in adj[u].items():
                    if v == u:
                        inside += 2 * w
                    elif v in comm:
                        inside += w
            degree_sum = sum(deg[u] for u in comm)
            q += inside / 2 / half - resolution * degree_sum * degree_sum / total**2
        return q

    def one_level(
        adj: list[dict[int, float]], partition: list[set[int]], members: list[set[int]]
    ) -> tuple[list[set[int]], list[set[int]], bool]:
        size = len(adj)
        node2com = list(range(size))
        inner = [{u} for u in range(size)]
        deg = degrees(adj)
        stot = deg[:]
        nbrs = [{v: w for v, w in nb.items() if v != u} for u, nb in enumerate(adj)]
        order = list(range(size))
        rng.shuffle(order)
        moves = 1
        improvement = False
        while moves > 0:
            moves = 0
            for u in order:
                best_gain = 0.0
                best = here = node2com[u]
                weights: dict[int, float] = {}
                for v, w in nbrs[u].items():
                    c = node2com[v]
                    weights[c] = weights.get(c, 0.0) + w
                if here not in weights:
                    weights[here] = 0.0
                degree = deg[u]
                stot[here] -= degree
                # networkx's expressions, operand for operand, so rounding matches too.
                remove_cost = -weights[here] / m + resolution * (stot[here] * degree) / two_m2
                for c, w in weights.items():
                    gain = remove_cost + w / m - resolution * (stot[c] * degree) / two_m2
                    if gain > best_gain:
                        best_gain = gain
                        best = c
                stot[best] += degree
                if best != here:
                    partition[here].difference_update(members[u])
                    inner[here].remove(u)
                    partition[best].update(members[u])
                    inner[best].add(u)
                    improvement = True
                    moves += 1
                    node2com[u] = best
        return [p for p in partition if p], [p for p in inner if p], improvement

    def next_level(
        adj: list[dict[int, float]], inner: list[set[int]], members: list[set[int]]
    ) -> tuple[list[dict[int, float]], list[set[int]]]:
        node2com = [0] * len(adj)
        merged: list[set[int]] = []
        for i, part in enumerate(inner):
            together: set[int] = set()
            for u in part:
                node2com[u] = i
                together.update(members[u])
            merged.append(together)
        out: list[dict[int, float]] = [{} for _ in inner]
        seen: set[int] = set()
        for u, nb in enumerate(adj):
            cu = node2com[u]
            for v, w in nb.items():
                if v in seen:
                    continue
                cv = node2com[v]
                if cv in out[cu]:
                    out[cu][cv] += w
                    if cu != cv:
                        out[cv][cu] += w
                else:
                    out[cu][cv] = w
                    out[cv][cu] = w
            seen.add(u)
        return out, merged

    mod = modularity(adj, [{u} for u in range(n)])
    partition, inner, improvement = one_level(adj, partition, members)
    improvement = True
    best = [set(p) for p in partition]
    while improvement:
        best = [set(p) for p in partition]
        new_mod = modularity(adj, inner)
        if new_mod - mod <= 1e-7:
            break
        mod = new_mod
        adj, members = next_level(adj, inner, members)
        partition, inner, improvement = one_level(adj, partition, members)
    return best


def bloc_of(groups: list[frozenset[Hashable]]) -> dict[Hashable, int]:
    """Map each actor to the number of its bloc (0 for the largest).

    Examples
    --------
    >>> bloc_of([frozenset({"a", "b"}), frozenset({"c"})]) == {"a": 0, "b": 0, "c": 1}
    True
    """
    return {actor: i for i, group in enumerate(groups) for actor in group}
