"""Weighted balance, swing actors and the camps of a map.

Hand-made cases: weights that change the optimal split, a swing actor, a swing actor that is
its component's most connected actor, and the published Gahuku-Gama split, which is unique.
Swing actors are also checked against their definition by brute force on small random maps.
"""

from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.analysis import camps
from explorer.analysis.balance import frustration_index, frustration_of_partition, swing_actors
from explorer.graph import build_graph
from explorer.model import Dataset
from tests.test_balance import GAMA_EDGES, TRIBES


def signed(edges: list[tuple[str, str, int, float]]) -> nx.Graph:
    S = nx.Graph()
    for u, v, s, w in edges:
        S.add_edge(u, v, sign=s, weight=w)
    return S


def test_weights_change_the_optimal_split() -> None:
    # x is lightly friendly with a and b (weight 1 each) and strongly with c (18); a and b
    # are strong enemies of c. Counting pairs puts x with a and b (one pair broken: x-c);
    # weighing them puts x with c (two light pairs broken, total weight 2).
    S = signed(
        [("x", "a", 1, 1), ("x", "b", 1, 1), ("x", "c", 1, 18),
         ("a", "b", 1, 8), ("a", "c", -1, 18), ("b", "c", -1, 18)]
    )  # fmt: skip
    count = frustration_index(S)
    weighted = frustration_index(S, weight="weight")
    assert (count.index, count.frustrated, count.exact) == (1, (("c", "x"),), True)
    assert (weighted.index, weighted.cost, weighted.exact) == (2, 2, True)
    assert weighted.frustrated == (("a", "x"), ("b", "x"))
    assert weighted.side["x"] == weighted.side["c"] != weighted.side["a"]


def brute_force_swing(S: nx.Graph, weight: str | None = None) -> tuple[float, set]:
    """Every actor some optimal split, aligned per component (ties both ways), moves."""
    nodes = [n for n in S if S.degree(n)]
    parts = [set(p) for p in nx.connected_components(S.subgraph(nodes))]

    def cost(side: dict) -> float:
        return sum(
            1 if weight is None else S.edges[p][weight] for p in frustration_of_partition(S, side)
        )

    splits = [
        dict(zip(nodes, bits, strict=True)) for bits in itertools.product((0, 1), repeat=len(nodes))
    ]
    best = min(cost(s) for s in splits)
    reported = frustration_index(S, weight=weight).side
    moved: set = set()
    for side in (s for s in splits if cost(s) == best):
        for part in parts:
            kept = sum(side[a] == reported[a] for a in part)
            if kept * 2 >= len(part):
                moved |= {a for a in part if side[a] != reported[a]}
            if kept * 2 <= len(part):
                moved |= {a for a in part if side[a] == reported[a]}
    return best, moved


def test_an_actor_friendly_with_both_camps_is_swing_and_nobody_else() -> None:
    S = signed(
        [("a", "b", 1, 1), ("a", "c", -1, 1), ("d", "b", 1, 1), ("d", "c", -1, 1),
         ("e", "b", 1, 1), ("e", "c", 1, 1)]
    )  # fmt: skip
    found = swing_actors(S, frustration_index(S))
    assert found.actors == {"e"} and found.exact
    # The witness is an optimal split with e in the other camp.
    witness = found.witness["e"]
    assert len(frustration_of_partition(S, witness)) == 1


def test_the_swing_actor_can_be_its_components_most_connected_actor() -> None:
    # h is friendly with both camps {a, c, g} and {b, d, k} and has the most pairs (6):
    # a solver that anchors on the most connected actor would report everyone else moving.
    S = signed(
        [("a", "c", 1, 1), ("b", "d", 1, 1), ("a", "b", -1, 1), ("a", "d", -1, 1),
         ("c", "b", -1, 1), ("c", "d", -1, 1), ("g", "a", 1, 1), ("k", "b", 1, 1)]
        + [("h", x, 1, 1) for x in "abcdgk"]
    )  # fmt: skip
    assert max(S, key=S.degree) == "h"
    found = swing_actors(S, frustration_index(S))
    best, expected = brute_force_swing(S)
    assert found.exact and found.actors == expected
    assert "h" in found.actors and not {"a", "b", "c", "d"} & found.actors


def test_the_gahuku_gama_split_is_unique() -> None:
    S = nx.Graph()
    for u, v, s in GAMA_EDGES:
        S.add_edge(TRIBES[u - 1], TRIBES[v - 1], sign=s)
    found = swing_actors(S, frustration_index(S))
    assert found.actors == frozenset() and found.exact


def test_swing_is_not_computed_on_a_heuristic_split() -> None:
    S = signed([("a", "b", 1, 1), ("b", "c", 1, 1), ("a", "c", -1, 1)])
    found = swing_actors(S, frustration_index(S, exact=False))
    assert found.actors is None and not found.exact


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), weighted=st.booleans())
def test_swing_actors_match_their_definition(seed: int, weighted: bool) -> None:
    rng = random.Random(seed)
    G = nx.gnp_random_graph(8, 0.45, seed=seed)
    S = signed(
        [(u, v, -1 if rng.random() < 0.4 else 1, rng.choice((0, 1, 2, 8))) for u, v in G.edges]
    )
    weight = "weight" if weighted else None
    result = frustration_index(S, weight=weight)
    best, expected = brute_force_swing(S, weight)
    assert result.cost == best
    found = swing_actors(S, result)
    assert found.exact and set(found.actors) == expected


# --- the camps of a map --------------------------------------------------------------------


def dataset(relations: list[dict], actors: str = "abcdefg") -> nx.MultiDiGraph:
    ds = Dataset.model_validate(
        {
            "format": "stakeholder-explorer/1",
            "title": "t",
            "actors": [{"id": a, "name": a.upper() + "land", "kind": "state"} for a in actors],
            "relations": relations,
        }
    )
    return build_graph(ds)


def rel(s: str, t: str, type_: str, **extra: object) -> dict:
    return {"source": s, "target": t, "type": type_, **extra}


def test_camps_read_observed_and_projected_and_anchor_the_most_central_actor() -> None:
    G = dataset(
        [rel("a", "b", "ally_of"), rel("b", "c", "rival_of"), rel("a", "c", "rival_of"),
         rel("c", "d", "ally_of", status="projected"), rel("f", "g", "rival_of"),
         rel("e", "b", "ally_of"), rel("e", "c", "ally_of")]
    )  # fmt: skip
    split = camps(G)
    assert split.exact
    assert split.components == (frozenset("abcde"), frozenset("fg"))
    # c has the most signed pairs in its component (4): its camp is camp 0.
    assert split.side["c"] == split.side["d"] == 0  # d is in only through a forecast
    assert split.side["b"] == split.side["a"] == 1
    assert split.side["f"] != split.side["g"]
    assert split.swing == {"e"}
    assert split.view.startswith("observed and projected relations")


def test_camps_of_a_map_with_no_signed_pair_are_empty() -> None:
    split = camps(dataset([rel("a", "b", "influences")]))
    assert dict(split.side) == {} and split.components == () and split.swing == frozenset()


@pytest.mark.parametrize("actors", [2, 3])
def test_a_pair_of_friends_is_one_camp(actors: int) -> None:
    split = camps(dataset([rel("a", "b", "ally_of")], actors="abc"[:actors]))
    assert split.side == {"a": 0, "b": 0} and split.swing == frozenset()


def test_robustness_shows_a_conclusion_that_falls_with_low_confidence_relations() -> None:
    from explorer.analysis.report import analyze

    G = dataset(
        [rel("a", "b", "ally_of"), rel("b", "c", "rival_of"), rel("c", "d", "ally_of"),
         rel("a", "d", "rival_of"),
         # The only thing straining the split: one low-confidence forecast.
         rel("a", "c", "ally_of", status="projected", confidence="low")]
    )  # fmt: skip
    report = analyze(G, include_projected=True)
    rows = {r.view: r for r in report.balance.robustness}
    assert [r.frustration_index for r in report.balance.robustness] == [0, 1, 0]
    # Of the three pairs that could take the strain, the split picks the one weighing least.
    assert rows["observed + projected"].frustrated == [["a", "c"]]
    holds = report.balance.holds_in_all
    assert holds is not None
    assert holds.frustration_index is False and holds.frustrated == []
    assert holds.camps is True  # the camps themselves do not depend on the forecast
    basis = report.balance.rests_on[0]
    relations = [report.evidence[r] for r in basis.relations]
    assert report.balance.frustration_index == 1
    assert basis.pair == ["a", "c"]
    assert [(r.status, r.confidence) for r in relations] == [("projected", "low")]


def test_a_tree_hanging_by_a_pair_that_costs_nothing_can_swing() -> None:
    # c-d is a contested tie (weight 0): d and e, hanging from it, may sit on either side.
    S = signed(
        [("a", "b", 1, 2), ("b", "c", 1, 2), ("a", "c", 1, 2), ("c", "d", 1, 0),
         ("d", "e", 1, 2)]
    )  # fmt: skip
    weighted = frustration_index(S, weight="weight")
    found = swing_actors(S, weighted)
    best, expected = brute_force_swing(S, "weight")
    assert found.exact and found.actors == expected == {"d", "e"}
