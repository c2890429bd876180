"""One line per pair: the net sign, contested pairs, dashes, arrows, width and count."""

from __future__ import annotations

from typing import Any

import pytest

import explorer
from explorer.graph import build_graph, signed_graph
from explorer.load import load_dataset
from explorer.model import Dataset
from explorer.render.pairs import pair_lines
from explorer.render.style import line_width


def graph(relations: list[dict[str, Any]], actors: str = "abc") -> Any:
    ds = Dataset.model_validate(
        {
            "format": "stakeholder-explorer/1",
            "title": "t",
            "actors": [{"id": a, "name": a.upper(), "kind": "state"} for a in actors],
            "relations": relations,
        }
    )
    return build_graph(ds)


def rel(source: str, target: str, type_: str, **extra: Any) -> dict[str, Any]:
    return {"source": source, "target": target, "type": type_, **extra}


def test_relations_of_one_pair_in_both_directions_become_one_line() -> None:
    G = graph(
        [
            rel("a", "b", "supports", strength=2),
            rel("b", "a", "supports", strength=3),
            rel("a", "c", "rival_of"),
        ]
    )
    lines = pair_lines(G)
    assert [(x.a, x.b, x.count) for x in lines] == [("a", "b", 2), ("a", "c", 1)]
    ab = lines[0]
    assert ab.sign == 1 and not ab.contested
    assert ab.directions == "both"
    assert ab.strength == 5 and ab.width == line_width(5)
    assert set(ab.relations) == {"a__supports__b", "b__supports__a"}


def test_a_pair_whose_relations_disagree_is_contested_with_the_pair_rules_net_sign() -> None:
    G = graph([rel("a", "b", "supports", strength=1), rel("a", "b", "hostile_to", strength=3)])
    [line] = pair_lines(G)
    assert line.contested
    assert line.sign == -1 == signed_graph(G).edges["a", "b"]["sign"]


def test_dashed_only_when_every_relation_of_the_pair_is_projected() -> None:
    mixed = graph([rel("a", "b", "supports", status="projected"), rel("a", "b", "cooperates_with")])
    assert not pair_lines(mixed)[0].all_projected
    projected = graph(
        [
            rel("a", "b", "supports", status="projected"),
            rel("a", "b", "cooperates_with", status="projected"),
        ]
    )
    assert pair_lines(projected)[0].all_projected


def test_a_pair_of_only_neutral_or_structural_relations_is_neutral() -> None:
    G = graph([rel("a", "b", "influences"), rel("b", "a", "member_of")])
    [line] = pair_lines(G)
    assert line.sign == 0 and not line.contested and line.count == 2


def test_arrowheads_follow_the_directions_some_directed_relation_takes() -> None:
    one_way = graph([rel("a", "b", "supports"), rel("a", "b", "ally_of")])
    assert pair_lines(one_way)[0].directions == "a->b"
    backwards = graph([rel("a", "b", "ally_of"), rel("b", "a", "supports")])
    assert pair_lines(backwards)[0].directions == "b->a"
    undirected = graph([rel("a", "b", "ally_of")])
    assert pair_lines(undirected)[0].directions == "none"


def test_width_grows_with_total_strength() -> None:
    widths = [line_width(total) for total in range(1, 13)]
    assert widths == sorted(widths) and len(set(widths)) == len(widths)


def test_each_relation_gives_one_line_per_relation_with_its_own_sign() -> None:
    G = graph([rel("a", "b", "supports", strength=1), rel("a", "b", "hostile_to", strength=3)])
    lines = pair_lines(G, each_relation=True)
    assert [(x.sign, x.count, x.contested, x.directions) for x in lines] == [
        (1, 1, False, "a->b"),
        (-1, 1, False, "a->b"),
    ]
    assert lines[1].width == line_width(3)


def test_every_relation_of_the_bundled_map_is_on_exactly_one_line() -> None:
    G = build_graph(load_dataset(explorer.bundled_map()))
    lines = pair_lines(G)
    ids = [k for line in lines for k in line.relations]
    assert sorted(ids) == sorted(k for *_, k in G.edges(keys=True))
    pairs = {frozenset((x.a, x.b)) for x in lines}
    assert len(pairs) == len(lines) < G.number_of_edges()
    signed = signed_graph(G)
    for line in lines:
        if signed.has_edge(line.a, line.b):
            assert line.sign == signed.edges[line.a, line.b]["sign"]
        else:
            assert line.sign == 0


@pytest.mark.parametrize("each", [False, True])
def test_an_empty_view_has_no_lines(each: bool) -> None:
    assert pair_lines(graph([]), each_relation=each) == []
