"""Who matters: centrality measures over a stakeholder graph, one registry for every shell.

Every measure takes the graph ``filter_graph`` returns (a ``MultiDiGraph`` with one edge per
relation; plain ``Graph`` and ``DiGraph`` work too) and returns ``{actor: value}`` for every
actor in it. ``ties`` picks the relations counted: ``"all"`` (every relation, neutral and
structural ones included), ``"positive"`` or ``"negative"`` (by the edge's ``sign``).
A relation whose type is undirected (``directed=False``) counts both ways: it is an in-tie
and an out-tie of each end.

Betweenness is exact up to ``BETWEENNESS_EXACT_MAX_NODES`` actors; above that it is
estimated from a sample of source actors drawn with ``seed``, and
``Measure.is_approximate(G)`` says so, so that every output can label it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx

__all__ = [
    "BETWEENNESS_ARC_BUDGET",
    "BETWEENNESS_EXACT_MAX_NODES",
    "BETWEENNESS_MIN_SAMPLES",
    "BETWEENNESS_SAMPLES",
    "MEASURES",
    "TIES",
    "Measure",
    "TieArcs",
    "betweenness",
    "betweenness_samples",
    "centrality",
    "degree",
    "in_degree",
    "out_degree",
    "pagerank",
    "tie_arcs",
    "tie_digraph",
    "weighted_degree",
]

Ties = Literal["all", "positive", "negative"]
#: The values of every ``ties=`` parameter, in the order shells offer them.
TIES: tuple[str, ...] = ("all", "positive", "negative")

#: Largest graph (in actors) whose betweenness is computed exactly. Exact betweenness costs
#: O(actors x ties); networkx took about 5 s for 1,000 actors and 10,000 relations on a
#: 2-core machine, far too slow for a dashboard rerun.
BETWEENNESS_EXACT_MAX_NODES = 500
#: Most source actors sampled for approximate betweenness above that size ...
BETWEENNESS_SAMPLES = 400
#: ... fewer on maps with many ties, so that samples x arcs stays under this budget (each
#: sample is one breadth-first search over every arc; 6 million took about 0.2 s on a
#: 2-core machine) ...
BETWEENNESS_ARC_BUDGET = 6_000_000
#: ... but never fewer than this.
BETWEENNESS_MIN_SAMPLES = 50


def _kept(d: dict[str, Any], ties: str, sign: str) -> bool:
    if ties == "all":
        return True
    value = d.get(sign, 1)
    if ties == "positive":
        return bool(value > 0)
    if ties == "negative":
        return bool(value < 0)
    raise ValueError(f"ties must be one of {', '.join(TIES)}, not {ties!r}")


def _relations(
    G: nx.Graph[Any], ties: str, sign: str
) -> Iterable[tuple[Any, Any, dict[str, Any], bool]]:
    """Yield ``(u, v, data, directed)`` for each relation kept, self-loops left out."""
    default_directed = G.is_directed()
    for u, v, d in G.edges(data=True):
        if u == v or not _kept(d, ties, sign):
            continue
        yield u, v, d, bool(d.get("directed", default_directed))


def tie_digraph(
    G: nx.Graph[Any], *, ties: Ties = "all", weight: str = "strength", sign: str = "sign"
) -> nx.DiGraph[Any]:
    """Collapse the kept relations to a simple ``DiGraph``: one arc per ordered pair.

    An undirected relation gives an arc each way. The arc's ``weight`` is the sum of the
    ``weight`` attribute (1 where missing) of the relations behind it; ``count`` is how many.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", sign=1, strength=2, directed=False)
    0
    >>> sorted(tie_digraph(G).edges(data="weight"))
    [('a', 'b', 2), ('b', 'a', 2)]
    """
    D: nx.DiGraph[Any] = nx.DiGraph()
    D.add_nodes_from(G)
    for u, v, d, directed in _relations(G, ties, sign):
        w = d.get(weight, 1)
        w = 1 if w is None else w
        for a, b in ((u, v),) if directed else ((u, v), (v, u)):
            if D.has_edge(a, b):
                D[a][b]["weight"] += w
                D[a][b]["count"] += 1
            else:
                D.add_edge(a, b, weight=w, count=1)
    return D


@dataclass(frozen=True)
class TieArcs:
    """The kept relations collapsed to arcs between numbered actors, as sparse matrices.

    ``nodes[i]`` is actor ``i`` (in the graph's order); ``weight[i, j]`` is the summed
    ``weight`` of the relations behind the arc ``i -> j`` and ``count[i, j]`` how many there
    are. The arcs are those of ``tie_digraph``; matrices let betweenness and PageRank run in
    scipy instead of walking Python dicts (about 20 times faster on a 5,000-actor map).
    """

    nodes: list[Any]
    weight: Any
    count: Any


def tie_arcs(
    G: nx.Graph[Any], *, ties: Ties = "all", weight: str = "strength", sign: str = "sign"
) -> TieArcs:
    """Collapse the kept relations to arcs, one per ordered pair, as scipy sparse matrices.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", sign=1, strength=2, directed=False)
    0
    >>> arcs = tie_arcs(G)
    >>> arcs.nodes, arcs.weight.toarray().tolist()
    (['a', 'b'], [[0.0, 2.0], [2.0, 0.0]])
    """
    import numpy as np
    from scipy.sparse import coo_array, csr_array

    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    rows: list[int] = []
    cols: list[int] = []
    weights: list[float] = []
    for u, v, d, directed in _relations(G, ties, sign):
        w = d.get(weight, 1)
        w = 1 if w is None else w
        i, j = index[u], index[v]
        rows.append(i)
        cols.append(j)
        weights.append(w)
        if not directed:
            rows.append(j)
            cols.append(i)
            weights.append(w)
    n = len(nodes)
    shape = (n, n)
    where = (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))
    summed = csr_array(coo_array((np.array(weights, dtype=float), where), shape=shape))
    counted = csr_array(coo_array((np.ones(len(rows)), where), shape=shape))
    summed.sum_duplicates()
    counted.sum_duplicates()
    return TieArcs(nodes, summed, counted)


_DEGREES = frozenset({"degree", "in_degree", "out_degree", "weighted_degree"})


def _degrees(G: nx.Graph[Any], ties: str, sign: str, weight: str) -> dict[str, dict[Any, float]]:
    """Degree, in-degree, out-degree and weighted degree of every actor, in one pass."""
    total = dict.fromkeys(G, 0.0)
    into = dict.fromkeys(G, 0.0)
    out = dict.fromkeys(G, 0.0)
    weighted = dict.fromkeys(G, 0.0)
    for u, v, d, directed in _relations(G, ties, sign):
        w = d.get(weight, 1)
        w = 1 if w is None else w
        total[u] += 1
        total[v] += 1
        weighted[u] += w
        weighted[v] += w
        out[u] += 1
        into[v] += 1
        if not directed:
            out[v] += 1
            into[u] += 1
    return {"degree": total, "in_degree": into, "out_degree": out, "weighted_degree": weighted}


def degree(G: nx.Graph[Any], *, ties: Ties = "all", sign: str = "sign") -> dict[Any, float]:
    """Count the relations each actor takes part in (an undirected one counts once).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", sign=1, directed=True)
    0
    >>> G.add_edge("a", "c", sign=-1, directed=False)
    0
    >>> degree(G), degree(G, ties="negative")
    ({'a': 2.0, 'b': 1.0, 'c': 1.0}, {'a': 1.0, 'b': 0.0, 'c': 1.0})
    """
    return _degrees(G, ties, sign, "strength")["degree"]


def in_degree(G: nx.Graph[Any], *, ties: Ties = "all", sign: str = "sign") -> dict[Any, float]:
    """Count the relations that point at each actor; an undirected one points at both ends.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", sign=1, directed=True)
    0
    >>> in_degree(G)
    {'a': 0.0, 'b': 1.0}
    """
    return _degrees(G, ties, sign, "strength")["in_degree"]


def out_degree(G: nx.Graph[Any], *, ties: Ties = "all", sign: str = "sign") -> dict[Any, float]:
    """Count the relations that start at each actor; an undirected one starts at both ends.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", sign=1, directed=True)
    0
    >>> out_degree(G)
    {'a': 1.0, 'b': 0.0}
    """
    return _degrees(G, ties, sign, "strength")["out_degree"]


def weighted_degree(
    G: nx.Graph[Any], *, ties: Ties = "all", weight: str = "strength", sign: str = "sign"
) -> dict[Any, float]:
    """Add up the ``weight`` (strength, 1 to 3) of the relations each actor takes part in.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", sign=1, strength=3, directed=True)
    0
    >>> weighted_degree(G)
    {'a': 3.0, 'b': 3.0}
    """
    return _degrees(G, ties, sign, weight)["weighted_degree"]


def _dependencies(arcs: Any, sources: Any) -> Any:
    """Sum over ``sources`` of Brandes's dependency of each actor, on 0/1 ``arcs`` (csr).

    Brandes (2001) level by level: breadth-first distances come from scipy's csgraph, and
    path counts and dependencies move one level at a time as sparse x dense products, for
    many sources at once. Same numbers as networkx's loop, without a Python step per arc.
    """
    import numpy as np
    from scipy.sparse.csgraph import shortest_path

    n = arcs.shape[0]
    backward = arcs.T.tocsr()
    total = np.zeros(n)
    # Dense blocks are actors x sources; keep each near 8 MB.
    chunk = max(1, 1_000_000 // max(1, n))
    for start in range(0, len(sources), chunk):
        block = np.asarray(sources[start : start + chunk])
        k = len(block)
        dist = shortest_path(arcs, directed=True, unweighted=True, indices=block)
        level = np.where(np.isinf(dist), -1, dist).astype(np.int64).T.ravel()
        # Flat positions of the entries at each distance, found once by one sort.
        order = np.argsort(level, kind="stable")
        bounds = np.concatenate(([0], np.cumsum(np.bincount(level + 1))))
        depth = len(bounds) - 3
        at = [order[bounds[d + 1] : bounds[d + 2]] for d in range(depth + 1)]
        sigma = np.zeros(n * k)
        sigma[at[0]] = 1.0
        for step in range(1, depth + 1):
            frontier = np.zeros(n * k)
            frontier[at[step - 1]] = sigma[at[step - 1]]
            reached = (backward @ frontier.reshape(n, k)).ravel()
            sigma[at[step]] = reached[at[step]]
        delta = np.zeros(n * k)
        for step in range(depth, 0, -1):
            share = np.zeros(n * k)
            here = at[step]
            share[here] = (1.0 + delta[here]) / sigma[here]
            pulled = (arcs @ share.reshape(n, k)).ravel()
            there = at[step - 1]
            delta[there] = sigma[there] * pulled[there]
        delta[at[0]] = 0.0
        total += delta.reshape(n, k).sum(axis=1)
    return total


def betweenness_samples(n_actors: int, n_arcs: int) -> int | None:
    """Source actors sampled for betweenness: None (all, exact) up to the exact size limit.

    Above ``BETWEENNESS_EXACT_MAX_NODES`` actors, as many sources as keep sources x arcs
    within ``BETWEENNESS_ARC_BUDGET`` (the work of one run), between
    ``BETWEENNESS_MIN_SAMPLES`` and ``BETWEENNESS_SAMPLES``.

    Examples
    --------
    >>> betweenness_samples(100, 400) is None
    True
    >>> betweenness_samples(5000, 45000)
    133
    """
    if n_actors <= BETWEENNESS_EXACT_MAX_NODES:
        return None
    by_budget = BETWEENNESS_ARC_BUDGET // max(1, n_arcs)
    return min(n_actors, BETWEENNESS_SAMPLES, max(BETWEENNESS_MIN_SAMPLES, by_budget))


def betweenness(
    G: nx.Graph[Any],
    *,
    ties: Ties = "all",
    sign: str = "sign",
    seed: int | None = 0,
    arcs: TieArcs | None = None,
) -> dict[Any, float]:
    """Share of shortest paths between other actors that pass through each actor (0 to 1).

    Paths follow the direction of directed relations and go both ways along undirected
    ones; every step counts the same. Above ``BETWEENNESS_EXACT_MAX_NODES`` actors the
    value is estimated from a sample of source actors drawn with ``seed`` (see
    ``betweenness_samples``), as networkx's ``betweenness_centrality(k=...)`` does with the
    same seed. ``arcs`` may pass the ``tie_arcs`` of ``G`` when they are already built.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", sign=1, directed=False)
    0
    >>> G.add_edge("b", "c", sign=1, directed=False)
    0
    >>> betweenness(G)
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    import math
    import random

    import numpy as np

    arcs = tie_arcs(G, ties=ties, sign=sign) if arcs is None else arcs
    n = len(arcs.nodes)
    if n < 3:
        # Nothing lies between two actors.
        return dict.fromkeys(G, 0.0)
    k = betweenness_samples(n, arcs.count.nnz)
    if k is None:
        sources = np.arange(n)
        scale = np.full(n, 1.0 / ((n - 1) * (n - 2)))
    else:
        # networkx's own draw, so that the estimate equals betweenness_centrality(k=k, seed=).
        rng = random if seed is None else random.Random(seed)
        picked = rng.sample(range(n), k)
        sources = np.array(picked)
        # A sampled actor is never the source of its own paths: it has k - 1 sources.
        scale = np.full(n, 1.0 / (k * (n - 2)))
        scale[sources] = 1.0 / ((k - 1) * (n - 2)) if k > 1 else math.nan
    structure = arcs.count.copy()
    structure.data[:] = 1.0
    values = _dependencies(structure, sources) * scale
    return {node: float(values[i]) for i, node in enumerate(arcs.nodes)}


def pagerank(
    G: nx.Graph[Any],
    *,
    ties: Ties = "all",
    weight: str = "strength",
    sign: str = "sign",
    alpha: float = 0.85,
    arcs: TieArcs | None = None,
) -> dict[Any, float]:
    """PageRank along the relations, weighted by ``weight``; the values add up to 1.

    An actor ranks high when strong relations point at it from actors that rank high.
    Actors with no tie share the rank evenly with everyone (networkx's teleport rule).
    ``arcs`` may pass the ``tie_arcs`` of ``G`` (with strength weights) when built. The
    power iteration is networkx's ``pagerank`` (tolerance 1e-6, at most 100 steps) run on
    the arc matrix directly, which saves converting a graph to a matrix.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", sign=1, strength=1, directed=True)
    0
    >>> ranks = pagerank(G)
    >>> ranks["b"] > ranks["a"]
    True
    """
    import numpy as np
    from scipy.sparse import diags_array

    arcs = tie_arcs(G, ties=ties, weight=weight, sign=sign) if arcs is None else arcs
    n = len(arcs.nodes)
    if n == 0:
        return {}
    A = arcs.weight
    out_weight = np.asarray(A.sum(axis=1)).ravel()
    inverse = np.zeros(n)
    inverse[out_weight != 0] = 1.0 / out_weight[out_weight != 0]
    A = diags_array(inverse) @ A
    x = np.full(n, 1.0 / n)
    p = np.full(n, 1.0 / n)
    dangling = np.where(out_weight == 0)[0]
    for _step in range(100):
        last = x
        x = alpha * (x @ A + x[dangling].sum() * p) + (1 - alpha) * p
        if np.absolute(x - last).sum() < n * 1e-6:
            return {node: float(x[i]) for i, node in enumerate(arcs.nodes)}
    raise nx.PowerIterationFailedConvergence(100)


@dataclass(frozen=True)
class Measure:
    """One centrality measure: its name, a label and help for the shells, and the function.

    Call it like the function: ``MEASURES["pagerank"](G, ties="positive")``.
    """

    name: str
    label: str
    help: str
    fn: Callable[..., dict[Any, float]]
    sampled_above: int | None = None
    #: Keyword arguments beyond ``ties`` the function takes (``seed``, ``arcs``).
    takes: frozenset[str] = frozenset()

    def __call__(self, G: nx.Graph[Any], *, ties: Ties = "all", **kwargs: Any) -> dict[Any, float]:
        """Return ``{actor: value}`` for every actor of ``G``."""
        return self.fn(G, ties=ties, **kwargs)

    def is_approximate(self, G: nx.Graph[Any]) -> bool:
        """True when this measure estimates rather than computes its values on ``G``."""
        return self.sampled_above is not None and G.number_of_nodes() > self.sampled_above


#: Every centrality measure, by name. The CLI's choices and the dashboard's select boxes
#: come from here.
MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure("degree", "Degree", "Number of relations an actor takes part in.", degree),
        Measure(
            "in_degree",
            "In-degree",
            "Relations pointing at the actor (undirected ones count).",
            in_degree,
        ),
        Measure(
            "out_degree",
            "Out-degree",
            "Relations starting at the actor (undirected ones count).",
            out_degree,
        ),
        Measure(
            "weighted_degree",
            "Weighted degree",
            "Sum of the strengths (1-3) of the actor's relations.",
            weighted_degree,
        ),
        Measure(
            "betweenness",
            "Betweenness",
            "Share of shortest paths between others that pass through the actor.",
            betweenness,
            sampled_above=BETWEENNESS_EXACT_MAX_NODES,
            takes=frozenset({"seed", "arcs"}),
        ),
        Measure(
            "pagerank",
            "PageRank",
            "Importance from strong relations pointing at the actor from important actors.",
            pagerank,
            takes=frozenset({"arcs"}),
        ),
    )
}


def centrality(
    G: nx.Graph[Any],
    measures: Iterable[str] | None = None,
    *,
    ties: Ties = "all",
    seed: int | None = 0,
) -> dict[str, dict[str, Any]]:
    """Compute several measures at once: ``{name: {"values": {...}, "approximate": bool}}``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", sign=1, directed=True)
    0
    >>> centrality(G, ["degree"])
    {'degree': {'values': {'a': 1.0, 'b': 1.0}, 'approximate': False}}
    """
    names = list(MEASURES) if measures is None else list(measures)
    out: dict[str, dict[str, Any]] = {}
    # The four counts read every relation once together rather than once each.
    counted = _degrees(G, ties, "sign", "strength") if len(_DEGREES & set(names)) > 1 else {}
    # Betweenness and PageRank walk the same collapsed arcs: build them once.
    arcs = tie_arcs(G, ties=ties) if {"betweenness", "pagerank"} & set(names) else None
    for name in names:
        if name not in MEASURES:
            raise ValueError(f"unknown measure {name!r}: choose from {', '.join(MEASURES)}")
        measure = MEASURES[name]
        values = counted.get(name)
        if values is None:
            extra = {k: v for k, v in (("seed", seed), ("arcs", arcs)) if k in measure.takes}
            values = measure(G, ties=ties, **extra)
        out[name] = {
            "values": values,
            "approximate": measure.is_approximate(G),
        }
    return out
