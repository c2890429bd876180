"""Paths between two actors on the signed graph, with their net sign; blocs on positive ties."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from conftest import RunCli

from explorer.analysis.communities import bloc_of, blocs
from explorer.analysis.paths import (
    PathSearch,
    search_signed_paths,
    shortest_signed_paths,
    signed_paths,
)
from explorer.graph import build_graph, signed_graph
from explorer.load import load_dataset

MAP = """
format: stakeholder-explorer/1
title: paths
actors:
  - {id: india, name: India, kind: state}
  - {id: pakistan, name: Pakistan, kind: state}
  - {id: taliban, name: Taliban, kind: armed_group}
  - {id: us, name: United States, kind: state}
  - {id: iskp, name: ISKP, kind: armed_group}
relations:
  - {source: india, target: pakistan, type: rival_of}
  - {source: pakistan, target: taliban, type: supports}
  - {source: india, target: us, type: cooperates_with}
  - {source: us, target: taliban, type: negotiates_with}
  - {source: us, target: taliban, type: cooperates_with}
  - {source: iskp, target: taliban, type: attacks}
"""


@pytest.fixture
def S(write_yaml) -> nx.Graph:
    return signed_graph(build_graph(load_dataset(write_yaml(MAP))))


def test_shortest_paths_carry_their_net_sign(S: nx.Graph) -> None:
    paths = shortest_signed_paths(S, "india", "taliban")
    # Two routes of two steps: through Pakistan (hostile) and through the US (friendly).
    assert [(p.actors, p.net) for p in paths] == [
        (("india", "pakistan", "taliban"), -1),
        (("india", "us", "taliban"), 1),
    ]
    assert paths[0].describe() == "india -(-)- pakistan -(+)- taliban: hostile"


def test_enemy_of_my_enemy_path_is_friendly(S: nx.Graph) -> None:
    (path,) = shortest_signed_paths(S, "iskp", "pakistan")
    assert path.signs == (-1, 1) and path.net == -1
    longer = signed_paths(S, "iskp", "india", cutoff=3)
    assert [p.actors for p in longer] == [
        ("iskp", "taliban", "pakistan", "india"),
        ("iskp", "taliban", "us", "india"),
    ]
    # iskp -(-)- taliban -(+)- pakistan -(-)- india: two hostile steps make a friendly path.
    assert [p.net for p in longer] == [1, -1]


def test_cutoff_limits_path_length(S: nx.Graph) -> None:
    assert signed_paths(S, "iskp", "india", cutoff=2) == []
    assert all(p.steps <= 4 for p in signed_paths(S, "iskp", "india", cutoff=4))


def test_unconnected_and_unknown_actors(S: nx.Graph) -> None:
    S.add_node("loner")
    assert shortest_signed_paths(S, "india", "loner") == []
    with pytest.raises(nx.NodeNotFound, match="'nobody'"):
        shortest_signed_paths(S, "india", "nobody")


def test_blocs_follow_positive_ties_and_are_seeded(S: nx.Graph) -> None:
    found = blocs(S, seed=1)
    where = bloc_of(found)
    assert set(where) == set(S)
    # ISKP has no friend: it stands alone.
    assert frozenset({"iskp"}) in found
    assert blocs(S, seed=1) == found


def _networkx_blocs(S: nx.Graph, seed: int) -> list[frozenset]:
    """The blocs networkx's own Louvain finds on the positive pairs (zero weight counts 1)."""
    P = nx.Graph()
    P.add_nodes_from(S)
    P.add_edges_from(
        (u, v, {"weight": d["weight"] or 1})
        for u, v, d in S.edges(data=True)
        if u != v and d["sign"] > 0
    )
    found = nx.community.louvain_communities(P, weight="weight", seed=seed)
    return sorted((frozenset(c) for c in found), key=lambda c: (-len(c), min(map(str, c))))


@pytest.mark.parametrize("trial", range(40))
def test_blocs_are_networkx_louvain_blocs(trial: int) -> None:
    # Our Louvain replays networkx's step for step (seeded shuffles, ties, levels), so a
    # seed gives the blocs networkx gives: multi-level merges, zero weights, self-loops,
    # hostile pairs and lone actors included.
    import random

    rng = random.Random(trial)
    n = rng.randint(2, 70)
    S = nx.Graph()
    S.add_nodes_from(f"a{i}" for i in rng.sample(range(n), n))
    for _ in range(rng.randint(0, 4 * n)):
        u, v = rng.randrange(n), rng.randrange(n)
        S.add_edge(f"a{u}", f"a{v}", sign=rng.choice([1, 1, -1]), weight=rng.choice([0, 1, 2, 5]))
    for seed in (0, trial + 1):
        assert blocs(S, seed=seed) == _networkx_blocs(S, seed)


def test_a_listing_that_cannot_reach_its_target_stops_at_once_in_a_dense_map() -> None:
    # 120 actors all tied to each other, and the target in a pair of its own: a plain search
    # of simple paths would walk every path of 4 steps (about 2 * 10**8) before giving up.
    S = nx.complete_graph(120)
    nx.set_edge_attributes(S, 1, "sign")
    S.add_edge("x", "y", sign=-1)
    found = search_signed_paths(S, 0, "y", cutoff=4, time_limit=5.0)
    assert found == PathSearch(paths=(), stopped=None)


def test_a_listing_says_when_the_time_limit_or_the_most_paths_stopped_it() -> None:
    S = nx.complete_graph(60)
    nx.set_edge_attributes(S, 1, "sign")
    by_time = search_signed_paths(S, 0, 1, cutoff=4, limit=10**9, time_limit=0.05)
    assert by_time.stopped == "time"
    by_limit = search_signed_paths(S, 0, 1, cutoff=3, limit=100)
    assert by_limit.stopped == "limit" and len(by_limit.paths) == 100
    # shortest first: the direct tie, then the 58 two-step paths, then three-step ones
    assert [p.steps for p in by_limit.paths[:60]] == [1] + [2] * 58 + [3]
    complete = search_signed_paths(S, 0, 1, cutoff=2)
    assert complete.stopped is None and len(complete.paths) == 59


def test_analyze_says_when_the_path_listing_stopped(cli_runner: RunCli, tmp_path: Path) -> None:
    lines = ["format: stakeholder-explorer/1", "title: Dense", "actors:"]
    lines += [f"  - {{id: a{i}, name: Actor {i}, kind: state}}" for i in range(40)]
    lines.append("relations:")
    lines += [
        f"  - {{source: a{i}, target: a{j}, type: ally_of}}"
        for i in range(40)
        for j in range(i + 1, 40)
    ]
    path = tmp_path / "dense.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = cli_runner("analyze", str(path), "--path", "a0", "a1", "--max-steps", "3")
    assert code == 0, err
    assert "(the first 200 paths, shortest first; there are more)" in out
