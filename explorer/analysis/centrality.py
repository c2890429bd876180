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
    "BETWEENNESS_SAMPLES",
    "MEASURES",
    "TIES",
    "Measure",
    "betweenness",
    "centrality",
    "degree",
    "in_degree",
    "out_degree",
    "pagerank",
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
#: Source actors sampled for approximate betweenness above that size ...
BETWEENNESS_SAMPLES = 100
#: ... fewer on maps with many ties, so that samples x arcs stays under this budget (each
#: sample is one breadth-first search over every arc), but never fewer than 20.
BETWEENNESS_ARC_BUDGET = 2_000_000


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
    G: nx.Graph, ties: str, sign: str
) -> Iterable[tuple[Any, Any, dict[str, Any], bool]]:
    """Yield ``(u, v, data, directed)`` for each relation kept, self-loops left out."""
    default_directed = G.is_directed()
    for u, v, d in G.edges(data=True):
        if u == v or not _kept(d, ties, sign):
            continue
        yield u, v, d, bool(d.get("directed", default_directed))


def tie_digraph(
    G: nx.Graph, *, ties: Ties = "all", weight: str = "strength", sign: str = "sign"
) -> nx.DiGraph:
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
    D = nx.DiGraph()
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


def degree(G: nx.Graph, *, ties: Ties = "all", sign: str = "sign", **_: Any) -> dict[Any, float]:
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
    out = dict.fromkeys(G, 0.0)
    for u, v, _d, _directed in _relations(G, ties, sign):
        out[u] += 1
        out[v] += 1
    return out


def in_degree(G: nx.Graph, *, ties: Ties = "all", sign: str = "sign", **_: Any) -> dict[Any, float]:
    """Count the relations that point at each actor; an undirected one points at both ends.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", sign=1, directed=True)
    0
    >>> in_degree(G)
    {'a': 0.0, 'b': 1.0}
    """
    out = dict.fromkeys(G, 0.0)
    for u, v, _d, directed in _relations(G, ties, sign):
        out[v] += 1
        if not directed:
            out[u] += 1
    return out


def out_degree(
    G: nx.Graph, *, ties: Ties = "all", sign: str = "sign", **_: Any
) -> dict[Any, float]:
    """Count the relations that start at each actor; an undirected one starts at both ends.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", sign=1, directed=True)
    0
    >>> out_degree(G)
    {'a': 1.0, 'b': 0.0}
    """
    out = dict.fromkeys(G, 0.0)
    for u, v, _d, directed in _relations(G, ties, sign):
        out[u] += 1
        if not directed:
            out[v] += 1
    return out


def weighted_degree(
    G: nx.Graph, *, ties: Ties = "all", weight: str = "strength", sign: str = "sign", **_: Any
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
    out = dict.fromkeys(G, 0.0)
    for u, v, d, _directed in _relations(G, ties, sign):
        w = d.get(weight, 1)
        w = 1 if w is None else w
        out[u] += w
        out[v] += w
    return out


def betweenness(
    G: nx.Graph,
    *,
    ties: Ties = "all",
    sign: str = "sign",
    seed: int | None = 0,
    digraph: nx.DiGraph | None = None,
    **_: Any,
) -> dict[Any, float]:
    """Share of shortest paths between other actors that pass through each actor (0 to 1).

    Paths follow the direction of directed relations and go both ways along undirected
    ones; every step counts the same. Above ``BETWEENNESS_EXACT_MAX_NODES`` actors the
    value is estimated from at most ``BETWEENNESS_SAMPLES`` source actors drawn with
    ``seed`` (fewer on maps with many ties, see ``BETWEENNESS_ARC_BUDGET``). ``digraph``
    may pass the ``tie_digraph`` of ``G`` when it is already built.

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
    D = tie_digraph(G, ties=ties, sign=sign) if digraph is None else digraph
    n = D.number_of_nodes()
    k = None
    if n > BETWEENNESS_EXACT_MAX_NODES:
        by_budget = BETWEENNESS_ARC_BUDGET // max(1, D.number_of_edges())
        k = min(n, BETWEENNESS_SAMPLES, max(20, by_budget))
    values = nx.betweenness_centrality(D, k=k, normalized=True, weight=None, seed=seed)
    return {node: float(values[node]) for node in G}


def pagerank(
    G: nx.Graph,
    *,
    ties: Ties = "all",
    weight: str = "strength",
    sign: str = "sign",
    alpha: float = 0.85,
    digraph: nx.DiGraph | None = None,
    **_: Any,
) -> dict[Any, float]:
    """PageRank along the relations, weighted by ``weight``; the values add up to 1.

    An actor ranks high when strong relations point at it from actors that rank high.
    Actors with no tie share the rank evenly with everyone (networkx's teleport rule).
    ``digraph`` may pass the ``tie_digraph`` of ``G`` (with strength weights) when built.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", sign=1, strength=1, directed=True)
    0
    >>> ranks = pagerank(G)
    >>> ranks["b"] > ranks["a"]
    True
    """
    D = tie_digraph(G, ties=ties, weight=weight, sign=sign) if digraph is None else digraph
    if D.number_of_nodes() == 0:
        return {}
    values = nx.pagerank(D, alpha=alpha, weight="weight")
    return {node: float(values[node]) for node in G}


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

    def __call__(self, G: nx.Graph, *, ties: Ties = "all", **kwargs: Any) -> dict[Any, float]:
        """Return ``{actor: value}`` for every actor of ``G``."""
        return self.fn(G, ties=ties, **kwargs)

    def is_approximate(self, G: nx.Graph) -> bool:
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
        ),
        Measure(
            "pagerank",
            "PageRank",
            "Importance from strong relations pointing at the actor from important actors.",
            pagerank,
        ),
    )
}


def centrality(
    G: nx.Graph,
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
    # Betweenness and PageRank walk the same collapsed graph: build it once.
    D = tie_digraph(G, ties=ties) if {"betweenness", "pagerank"} & set(names) else None
    for name in names:
        if name not in MEASURES:
            raise ValueError(f"unknown measure {name!r}: choose from {', '.join(MEASURES)}")
        measure = MEASURES[name]
        out[name] = {
            "values": measure(G, ties=ties, seed=seed, digraph=D),
            "approximate": measure.is_approximate(G),
        }
    return out
