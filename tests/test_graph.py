"""The graph, the filter specification, ego networks and the signed collapse."""

from __future__ import annotations

import networkx as nx
import pytest

from explorer.graph import (
    ALL_PERIODS,
    FilterSpec,
    build_graph,
    ego_network,
    filter_graph,
    signed_graph,
    view_summary,
)
from explorer.model import Dataset


def make(relations: list[dict], actors: list[tuple[str, str]] | None = None) -> nx.MultiDiGraph:
    """A graph from relation dicts; actors default to a..f, all states."""
    actors = actors or [(x, "state") for x in "abcdef"]
    ds = Dataset.model_validate(
        {
            "format": "stakeholder-explorer/1",
            "title": "t",
            "sources": [{"id": "s1", "title": "One"}, {"id": "s2", "title": "Two"}],
            "actors": [
                {"id": i, "name": i.upper() + "land", "kind": k, "aliases": [f"the {i}"]}
                for i, k in actors
            ],
            "relations": relations,
        }
    )
    return build_graph(ds)


def rel(source: str, target: str, type_: str, **extra: object) -> dict:
    return {"source": source, "target": target, "type": type_, **extra}


def test_one_edge_per_relation_keyed_by_id_with_every_field() -> None:
    G = make(
        [
            rel("a", "b", "negotiates_with", since="2021-08", confidence="high"),
            rel("a", "b", "rival_of", status="projected"),
            rel("b", "a", "depends_on", sign="negative"),
        ]
    )
    assert G.number_of_edges() == 3
    talks = G.edges["a", "b", "a__negotiates_with__b"]
    assert talks["sign"] == 1 and talks["directed"] is False and talks["since"] == "2021-08"
    assert str(talks["start"]) == "2021-08-01" and talks["end"] is None
    assert G.edges["a", "b", "a__rival_of__b"]["sign"] == -1
    assert G.edges["b", "a", "b__depends_on__a"]["sign"] == -1  # the curator's sign wins
    assert G.nodes["a"]["label"] == "Aland"


def test_conflicting_relations_on_one_pair_collapse_to_a_contested_net_sign() -> None:
    G = make(
        [
            rel("a", "b", "ally_of", strength=3),
            rel("b", "a", "hostile_to", strength=1),
            rel("a", "c", "rival_of", strength=3),  # 3 x medium 2 x observed 2 = 12
            rel("c", "a", "supports", strength=2, confidence="high"),  # 2 x 3 x 2 = 12
            rel("b", "c", "rival_of", strength=2),
            rel("c", "b", "cooperates_with", strength=2),
            rel("a", "d", "influences"),  # neutral: left out
            rel("d", "e", "member_of"),  # structural: left out
        ]
    )
    S = signed_graph(G)
    assert isinstance(S, nx.Graph) and not S.is_directed() and not S.is_multigraph()
    assert set(map(frozenset, S.edges)) == {frozenset("ab"), frozenset("ac"), frozenset("bc")}
    ab = S.edges["a", "b"]
    # strength x confidence x status: 3 x 2 x 2 = 12 against 1 x 2 x 2 = 4, a margin of 8.
    assert (ab["sign"], ab["weight"], ab["contested"]) == (1, 8, True)
    assert (ab["positive"], ab["negative"]) == (12, 4)
    # A tie is settled by the most confident relation ...
    assert S.edges["a", "c"]["sign"] == 1 and S.edges["a", "c"]["contested"]
    assert S.edges["a", "c"]["weight"] == 0  # a tie costs nothing to frustrate either way
    # ... and where confidence ties too, hostility wins.
    assert S.edges["b", "c"]["sign"] == -1
    assert sorted(ab["relations"]) == ["a__ally_of__b", "b__hostile_to__a"]


def test_signed_graph_of_agreeing_relations_is_not_contested() -> None:
    S = signed_graph(make([rel("a", "b", "ally_of"), rel("b", "a", "supports")]))
    # Two relations of strength 2 (the default), medium confidence, observed: 8 each.
    assert S.edges["a", "b"]["contested"] is False and S.edges["a", "b"]["weight"] == 16


def test_a_weak_forecast_is_cheap_and_a_strong_observation_expensive() -> None:
    S = signed_graph(
        make(
            [
                rel("a", "b", "ally_of", strength=1, confidence="low", status="projected"),
                rel("b", "c", "rival_of", strength=3, confidence="high"),
            ]
        )
    )
    assert S.edges["a", "b"]["weight"] == 1 and S.edges["a", "b"]["all_projected"]
    assert S.edges["b", "c"]["weight"] == 18 and not S.edges["b", "c"]["all_projected"]


def test_filters_by_each_relation_field() -> None:
    G = make(
        [
            rel(
                "a",
                "b",
                "ally_of",
                confidence="high",
                strength=3,
                evidence=[{"source": "s1", "quote": "q"}, {"source": "s2", "quote": "q"}],
            ),
            rel("a", "c", "rival_of", status="projected", confidence="low", strength=1),
            rel("b", "c", "influences", evidence=[{"source": "s2", "quote": "q"}]),
        ]
    )

    def kept(**spec: object) -> set[str]:
        return {k for *_, k in filter_graph(G, FilterSpec(**spec)).edges(keys=True)}

    assert kept(types=("ally_of",)) == {"a__ally_of__b"}
    assert kept(signs=("negative", "neutral")) == {"a__rival_of__c", "b__influences__c"}
    assert kept(statuses=("projected",)) == {"a__rival_of__c"}
    assert kept(min_confidence="medium") == {"a__ally_of__b", "b__influences__c"}
    assert kept(min_strength=3) == {"a__ally_of__b"}
    assert kept(sources=("s2",)) == {"a__ally_of__b", "b__influences__c"}
    assert kept(min_sources=2) == {"a__ally_of__b"}


def test_filter_by_kind_drops_actors_and_their_relations() -> None:
    G = make(
        [rel("a", "b", "ally_of"), rel("b", "c", "supports")],
        actors=[("a", "state"), ("b", "armed_group"), ("c", "state")],
    )
    H = filter_graph(G, FilterSpec(kinds=("state",)))
    assert set(H) == {"a", "c"} and H.number_of_edges() == 0
    assert set(filter_graph(G, FilterSpec(kinds=("state",), hide_isolates=True))) == set()


def test_ended_relations_are_hidden_by_default_and_shown_for_their_period() -> None:
    G = make(
        [
            rel("a", "b", "attacks", since="2001-10", until="2021-08"),
            rel("a", "b", "negotiates_with", since="2021-09"),
            rel("a", "c", "ally_of"),
        ]
    )

    def kept(as_of: str | None) -> set[str]:
        return {k for *_, k in filter_graph(G, FilterSpec(as_of=as_of)).edges(keys=True)}

    assert kept(None) == {"a__negotiates_with__b", "a__ally_of__c"}
    assert kept(ALL_PERIODS) == {"a__attacks__b", "a__negotiates_with__b", "a__ally_of__c"}
    assert kept("2010") == {"a__attacks__b", "a__ally_of__c"}
    # Periods are inclusive and a partial date covers its whole month.
    assert kept("2021-08-31") == {"a__attacks__b", "a__ally_of__c"}
    assert kept("2021") == {"a__attacks__b", "a__negotiates_with__b", "a__ally_of__c"}


def test_focus_and_search_keep_neighbourhoods() -> None:
    G = make(
        [
            rel("a", "b", "ally_of"),
            rel("c", "b", "supports"),
            rel("c", "d", "rival_of"),
            rel("e", "f", "ally_of"),
        ]
    )
    assert set(filter_graph(G, FilterSpec(focus="b"))) == {"a", "b", "c"}
    assert set(filter_graph(G, FilterSpec(focus="b", radius=2))) == {"a", "b", "c", "d"}
    assert set(filter_graph(G, FilterSpec(search="THE E"))) == {"e", "f"}
    assert set(filter_graph(G, FilterSpec(search="dla"))) == {"c", "d"}
    assert len(filter_graph(G, FilterSpec(focus="nobody"))) == 0


def test_ego_network_follows_relations_in_both_directions() -> None:
    G = make([rel("a", "b", "supports"), rel("c", "a", "attacks"), rel("c", "d", "supports")])
    assert set(ego_network(G, "a", 1)) == {"a", "b", "c"}
    assert set(ego_network(G, "b", 3)) == {"a", "b", "c", "d"}
    assert ego_network(G, "a", 1).number_of_edges() == 2
    with pytest.raises(KeyError):
        ego_network(G, "zz", 1)


def test_filter_spec_round_trips_through_url_parameters() -> None:
    spec = FilterSpec(
        kinds=("state", "armed_group"),
        min_confidence="high",
        as_of="2021-08",
        focus="a",
        radius=2,
        hide_isolates=True,
    )
    query = spec.to_query()
    assert query == {
        "kinds": "armed_group,state",
        "min_confidence": "high",
        "as_of": "2021-08",
        "focus": "a",
        "radius": "2",
        "hide_isolates": "1",
    }
    assert FilterSpec.from_query(query) == spec
    assert FilterSpec().to_query() == {}


def test_filter_spec_from_a_tampered_url_keeps_what_is_valid() -> None:
    spec = FilterSpec.from_query({"min_strength": "9", "radius": "x", "signs": "positive"})
    assert spec == FilterSpec(signs=("positive",))


def test_view_summary_says_what_is_shown() -> None:
    G = make([rel("a", "b", "ally_of"), rel("c", "d", "rival_of")])
    H = filter_graph(G, FilterSpec(signs=("positive",), hide_isolates=True))
    assert view_summary(G, H) == "2 of 6 actors, 1 of 2 relations"
