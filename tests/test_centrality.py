"""Centrality measures: who matters, counted over all, positive or negative ties."""

from __future__ import annotations

import networkx as nx
import pytest

from explorer.analysis.centrality import (
    BETWEENNESS_EXACT_MAX_NODES,
    MEASURES,
    TIES,
    betweenness,
    centrality,
    degree,
    in_degree,
    out_degree,
    pagerank,
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
