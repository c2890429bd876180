"""Centrality measures: who matters, counted over all, positive or negative ties."""

from __future__ import annotations

import networkx as nx
import pytest

from explorer.analysis.centrality import (
    BETWEENNESS_EXACT_MAX_NODES,
    MEASURES,
    TIES,
    betweenness,
    betweenness_samples,
    centrality,
    degree,
    in_degree,
    out_degree,
    pagerank,
    tie_digraph,
    weighted_degree,
)
from explorer.graph import build_graph, filter_graph
from explorer.load import load_dataset

MAP = """
format: stakeholder-explorer/1
title: small
actors:
  - {id: us, name: US, kind: state}
  - {id: taliban, name: Taliban, kind: armed_group}
  - {id: pakistan, name: Pakistan, kind: state}
  - {id: ttp, name: TTP, kind: armed_group}
relations:
  - {source: us, target: taliban, type: cooperates_with, strength: 2}
  - {source: pakistan, target: taliban, type: supports, strength: 3}
  - {source: ttp, target: pakistan, type: attacks, strength: 3}
  - {source: taliban, target: ttp, type: supports, strength: 1}
"""


@pytest.fixture
def small(write_yaml) -> nx.MultiDiGraph:
    return filter_graph(build_graph(load_dataset(write_yaml(MAP))))


def test_undirected_relation_counts_both_ways(small: nx.MultiDiGraph) -> None:
    # cooperates_with is undirected: it is an in-tie and an out-tie of both the US and Taliban.
    assert in_degree(small)["us"] == 1 and out_degree(small)["us"] == 1
    # supports is directed: Pakistan -> Taliban is out for Pakistan, in for the Taliban.
    assert out_degree(small)["pakistan"] == 1 + 0  # supports out; attacks comes in
    assert in_degree(small)["pakistan"] == 1
    assert in_degree(small)["taliban"] == 2 and out_degree(small)["taliban"] == 2


def test_ties_select_by_sign(small: nx.MultiDiGraph) -> None:
    assert degree(small) == {"us": 1, "taliban": 3, "pakistan": 2, "ttp": 2}
    assert degree(small, ties="negative") == {"us": 0, "taliban": 0, "pakistan": 1, "ttp": 1}
    assert degree(small, ties="positive")["ttp"] == 1
    assert weighted_degree(small)["taliban"] == 2 + 3 + 1
    with pytest.raises(ValueError, match="ties must be one of"):
        degree(small, ties="hostile")  # type: ignore[arg-type]


def test_betweenness_of_a_star_centre_is_one() -> None:
    G = nx.MultiDiGraph()
    for leaf in "abcd":
        G.add_edge("hub", leaf, sign=1, directed=False)
    values = betweenness(G)
    assert values["hub"] == pytest.approx(1.0)
    assert all(values[leaf] == 0 for leaf in "abcd")


def test_pagerank_favours_the_actor_pointed_at_and_sums_to_one(small: nx.MultiDiGraph) -> None:
    ranks = pagerank(small)
    assert sum(ranks.values()) == pytest.approx(1.0)
    assert max(ranks, key=ranks.__getitem__) == "taliban"


def test_registry_measures_cover_every_actor_for_every_ties(small: nx.MultiDiGraph) -> None:
    for measure in MEASURES.values():
        for ties in TIES:
            values = measure(small, ties=ties)
            assert set(values) == set(small), (measure.name, ties)


def test_betweenness_is_sampled_and_labelled_above_threshold() -> None:
    big = nx.gnm_random_graph(BETWEENNESS_EXACT_MAX_NODES + 50, 2000, seed=1)
    G = nx.MultiDiGraph()
    G.add_nodes_from(big)
    G.add_edges_from((u, v, {"sign": 1, "directed": False}) for u, v in big.edges)
    small_g = nx.MultiDiGraph(nx.path_graph(5))
    assert MEASURES["betweenness"].is_approximate(G)
    assert not MEASURES["betweenness"].is_approximate(small_g)
    assert not MEASURES["pagerank"].is_approximate(G)
    report = centrality(G, ["betweenness", "degree"], seed=3)
    assert report["betweenness"]["approximate"] is True
    assert report["degree"]["approximate"] is False
    # Seeded: the same seed gives the same estimate.
    assert betweenness(G, seed=3) == report["betweenness"]["values"]


def test_unknown_measure_is_refused(small: nx.MultiDiGraph) -> None:
    with pytest.raises(ValueError, match="unknown measure 'fame'"):
        centrality(small, ["fame"])


def test_centrality_report_equals_each_measure_alone(small: nx.MultiDiGraph) -> None:
    for ties in TIES:
        report = centrality(small, ties=ties)
        for name, measure in MEASURES.items():
            assert report[name]["values"] == pytest.approx(measure(small, ties=ties)), name


def _random_map(n: int, m: int, seed: int) -> nx.MultiDiGraph:
    """A multigraph of relations with mixed signs, strengths and directions, loops included."""
    import random

    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    G.add_nodes_from(range(n))
    for _ in range(m):
        u, v = rng.randrange(n), rng.randrange(n)
        G.add_edge(
            u,
            v,
            sign=rng.choice([1, -1, 0]),
            strength=rng.randint(1, 3),
            directed=rng.random() < 0.6,
        )
    return G


@pytest.mark.parametrize("ties", TIES)
def test_betweenness_equals_networkx_on_the_collapsed_ties(ties: str) -> None:
    # Our level-by-level matrix version must give networkx's exact numbers: parallel
    # relations, both directions, self-loops, unreached and isolated actors included.
    G = _random_map(80, 260, seed=5)
    expected = nx.betweenness_centrality(tie_digraph(G, ties=ties), normalized=True)
    assert betweenness(G, ties=ties) == pytest.approx(expected, abs=1e-12)


def test_sampled_betweenness_equals_networkx_with_the_same_seed() -> None:
    G = _random_map(BETWEENNESS_EXACT_MAX_NODES + 200, 2500, seed=2)
    D = tie_digraph(G)
    k = betweenness_samples(D.number_of_nodes(), D.number_of_edges())
    assert k is not None and k < D.number_of_nodes()
    expected = nx.betweenness_centrality(D, k=k, normalized=True, seed=7)
    assert betweenness(G, seed=7) == pytest.approx(expected, abs=1e-12)
    assert betweenness(G, seed=8) != betweenness(G, seed=7)


def test_betweenness_sample_is_bounded_by_work() -> None:
    # A map with many ties gets fewer sources, so a large view stays within its budget.
    sparse = betweenness_samples(5000, 10_000)
    dense = betweenness_samples(5000, 100_000)
    assert sparse is not None and dense is not None
    assert dense < sparse
    assert betweenness_samples(BETWEENNESS_EXACT_MAX_NODES, 10**6) is None


@pytest.mark.parametrize("ties", TIES)
def test_pagerank_equals_networkx_on_the_collapsed_ties(ties: str) -> None:
    G = _random_map(60, 150, seed=3)
    expected = nx.pagerank(tie_digraph(G, ties=ties), weight="weight")
    assert pagerank(G, ties=ties) == pytest.approx(expected, abs=1e-12)
