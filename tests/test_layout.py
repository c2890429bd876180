"""The seeded layout: every actor placed, deterministic, stable under filters, fine when large."""

from __future__ import annotations

import json
import math
import random
import re
from pathlib import Path

import networkx as nx
import pytest

from explorer import bundled_map
from explorer.graph import FilterSpec, build_graph, filter_graph
from explorer.load import load_dataset
from explorer.render import layout as layout_module
from explorer.render.layout import (
    EM,
    EXACT_SPRING_MAX_NODES,
    LAYOUT_HELP,
    LAYOUTS,
    actor_boxes,
    clear_positions,
    layout_positions,
    positions_for,
    read_positions,
    record_path,
    record_positions,
    text_width_em,
)


def community_graph(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """A connected MultiDiGraph of ``n`` actors in communities of 20, ids as strings."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    G.add_nodes_from(f"a{i}" for i in range(n))
    for i in range(1, n):
        G.add_edge(f"a{i}", f"a{rng.randrange(i)}")
    for _ in range(2 * n):
        u = rng.randrange(n)
        v = (u // 20) * 20 + rng.randrange(20) if rng.random() < 0.8 else rng.randrange(n)
        if u != v and v < n:
            G.add_edge(f"a{u}", f"a{v}")
    return G


def reordered(G: nx.MultiDiGraph, seed: int = 3) -> nx.MultiDiGraph:
    """The same graph with its actors and relations added in another order."""
    rng = random.Random(seed)
    nodes, edges = list(G.nodes), list(G.edges)
    rng.shuffle(nodes)
    rng.shuffle(edges)
    H = nx.MultiDiGraph()
    H.add_nodes_from(nodes)
    H.add_edges_from(edges)
    return H


@pytest.fixture(scope="module")
def bundled() -> nx.MultiDiGraph:
    return build_graph(load_dataset(bundled_map()))


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_actor_is_placed_and_the_map_is_centred(
    bundled: nx.MultiDiGraph, layout: str
) -> None:
    pos = layout_positions(bundled, layout=layout)
    assert set(pos) == set(bundled.nodes)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    assert max(xs) + min(xs) == pytest.approx(0, abs=1e-9)
    assert max(ys) + min(ys) == pytest.approx(0, abs=1e-9)
    # One unit is 1 / EM ems of label text: a map this size spans a few dozen ems.
    assert 20 < (max(xs) - min(xs)) / EM < 120


@pytest.mark.parametrize("n", [40, EXACT_SPRING_MAX_NODES + 200])
def test_same_map_and_seed_give_the_same_picture_whatever_the_file_order(n: int) -> None:
    G = community_graph(n)
    first = layout_positions(G, seed=5)
    assert layout_positions(G, seed=5) == first
    assert layout_positions(reordered(G), seed=5) == first
    assert layout_positions(G, seed=6) != first


def test_a_filter_hides_actors_but_never_moves_the_ones_that_stay(
    bundled: nx.MultiDiGraph,
) -> None:
    from explorer.render.html import network_html

    positions = layout_positions(bundled)
    kinds = sorted({d["kind"] for _, d in bundled.nodes(data=True)})
    view = filter_graph(bundled, FilterSpec(kinds=tuple(kinds[: max(1, len(kinds) // 2)])))
    assert 0 < view.number_of_nodes() < bundled.number_of_nodes()

    def drawn(G: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
        page = network_html(G, positions)
        data = re.search(r'id="view-data">(.*?)</script>', page, re.S)
        assert data is not None
        return {n["id"]: (n["x"], n["y"]) for n in json.loads(data[1])["nodes"]}

    whole, part = drawn(bundled), drawn(view)
    assert set(part) == set(view.nodes)
    assert all(part[actor] == whole[actor] for actor in part)


def test_small_maps_keep_actors_apart(bundled: nx.MultiDiGraph) -> None:
    pos = layout_positions(bundled)
    points = list(pos.values())
    closest = min(math.dist(p, q) for i, p in enumerate(points) for q in points[i + 1 :])
    assert closest > 0.02  # labels of two actors never sit on top of each other


def test_large_maps_use_the_scalable_layout_and_keep_neighbours_close() -> None:
    G = community_graph(2000)
    pos = layout_positions(G)
    assert set(pos) == set(G.nodes)
    assert len({(round(x, 6), round(y, 6)) for x, y in pos.values()}) == len(pos)
    tie = sum(math.dist(pos[u], pos[v]) for u, v in G.edges()) / G.number_of_edges()
    rng = random.Random(0)
    nodes = list(G.nodes)
    pairs = [rng.sample(nodes, 2) for _ in range(5000)]
    anyone = sum(math.dist(pos[u], pos[v]) for u, v in pairs) / len(pairs)
    # Related actors sit much nearer each other than actors picked at random.
    assert tie < 0.6 * anyone


def test_an_empty_map_has_no_positions_and_one_actor_sits_in_the_middle() -> None:
    assert layout_positions(nx.MultiDiGraph()) == {}
    G = nx.MultiDiGraph()
    G.add_node("solo")
    assert layout_positions(G) == {"solo": (0.0, 0.0)}


def test_disconnected_large_maps_place_every_part() -> None:
    G = nx.disjoint_union(community_graph(400), community_graph(300, seed=2))
    G = nx.relabel_nodes(G, {n: f"n{n}" for n in G})
    pos = layout_positions(G)
    assert set(pos) == set(G.nodes)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())


def test_an_unknown_layout_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="choose from camps, spring"):
        layout_positions(nx.MultiDiGraph(), layout="force")


# --- nothing collides ------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def collisions(G: nx.MultiDiGraph, pos: dict[str, tuple[float, float]]) -> tuple[int, int, int]:
    """Overlapping boxes, lines through actors and misplaced labels, in the layout's ems."""
    em = {a: (x / EM, y / EM) for a, (x, y) in pos.items()}
    return layout_module._collisions(G, em, actor_boxes(G))


def generated(n: int = 34, seed: int = 5) -> nx.MultiDiGraph:
    from test_figure import generated_map

    return generated_map(n, seed)[0]


@pytest.mark.parametrize("layout", ["camps", "spring"])
@pytest.mark.parametrize("which", ["bundled", "example", "generated"])
def test_refined_layouts_have_no_overlaps_no_lines_through_actors_and_labels_by_their_actor(
    which: str, layout: str, bundled: nx.MultiDiGraph
) -> None:
    G = {
        "bundled": lambda: bundled,
        "example": lambda: build_graph(
            load_dataset(ROOT / "data" / "examples" / "small-example.yaml")
        ),
        "generated": generated,
    }[which]()
    pos = layout_positions(G, layout=layout)
    # Either lines keep 0.6 em off every other actor's shape, or (the layout that keeps
    # lines off labels) 0.2 em off every other actor's whole box, its shape included.
    em = {a: (x / EM, y / EM) for a, (x, y) in pos.items()}
    boxes = actor_boxes(G)
    assert collisions(G, pos) == (0, 0, 0) or (
        layout_module._collisions(G, em, boxes, labels=True) == (0, 0, 0)
    )
    # The raw layouts do collide: the refinement is what removes it.
    raw = layout_module.LAYOUTS[layout](G, 7)
    assert sum(layout_module._collisions(G, raw, actor_boxes(G))) > 0


@pytest.mark.parametrize("layout", ["camps", "spring"])
@pytest.mark.parametrize("which", ["example", "generated"])
def test_on_a_map_with_room_no_line_passes_through_another_actors_label(
    which: str, layout: str
) -> None:
    G = {
        "example": lambda: build_graph(
            load_dataset(ROOT / "data" / "examples" / "small-example.yaml")
        ),
        "generated": lambda: generated(12, 3),
    }[which]()
    em = {a: (x / EM, y / EM) for a, (x, y) in layout_positions(G, layout=layout).items()}
    boxes = actor_boxes(G)
    # Shape plus label, as the page and the figures draw them under the actor.
    assert layout_module._collisions(G, em, boxes, labels=True) == (0, 0, 0)
    assert layout_module._overflow(layout_module._extent(G, em, boxes)) <= 1.02


def test_on_a_map_of_this_size_lines_keep_off_labels_within_the_room_allowed(
    bundled: nx.MultiDiGraph,
) -> None:
    boxes = actor_boxes(bundled)
    em = {a: (x / EM, y / EM) for a, (x, y) in layout_positions(bundled).items()}
    assert layout_module._collisions(bundled, em, boxes, labels=True) == (0, 0, 0)
    extent = layout_module._extent(bundled, em, boxes)
    assert layout_module._overflow(extent) <= layout_module.CLEAR_LABELS_ROOM


def test_camps_sit_left_and_right_with_swing_actors_and_loners_between(
    bundled: nx.MultiDiGraph,
) -> None:
    from explorer.analysis.camps import camps

    split = camps(bundled)
    pos = layout_positions(bundled, layout="camps")
    first = split.components[0]
    swing = split.swing or frozenset()
    left = [pos[a][0] for a in first if split.side[a] == 0 and a not in swing]
    right = [pos[a][0] for a in first if split.side[a] == 1 and a not in swing]
    assert left and right
    # Most of each camp sits on its own side of the map (refinement may nudge a few).
    assert sorted(left)[len(left) // 2] < 0 < sorted(right)[len(right) // 2]
    assert sum(x < min(right) for x in left) >= 0.8 * len(left)
    loners = [pos[a][0] for a in bundled if a not in split.side]
    if loners:
        assert min(left) < sorted(loners)[len(loners) // 2] < max(right)


def test_the_most_central_actors_camp_is_on_the_left(bundled: nx.MultiDiGraph) -> None:
    from explorer.analysis.camps import camps

    split = camps(bundled)
    pos = layout_positions(bundled, layout="camps")
    first = split.components[0]
    side0 = [pos[a][0] for a in first if split.side[a] == 0]
    side1 = [pos[a][0] for a in first if split.side[a] == 1]
    assert sum(side0) / len(side0) < sum(side1) / len(side1)


def test_layouts_that_may_overlap_say_so_in_their_help() -> None:
    assert set(LAYOUT_HELP) == set(LAYOUTS)
    assert "may overlap" in LAYOUT_HELP["circular"]
    assert "may overlap" in LAYOUT_HELP["kamada-kawai"]
    assert "nothing overlaps" in LAYOUT_HELP["camps"]


def test_label_width_estimates_are_not_narrower_than_the_drawn_text() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from explorer.render.figure import figure_style

    names = [d["name"] for _, d in build_graph(load_dataset(bundled_map())).nodes(data=True)]
    with figure_style():
        fig = Figure(dpi=720)
        FigureCanvasAgg(fig)
        renderer = fig.canvas.get_renderer()
        for name in names:
            text = fig.text(0, 0, name, fontsize=10)
            drawn = text.get_window_extent(renderer).width / 100  # ems at 10 pt, 720 dpi
            assert drawn <= text_width_em(name) <= drawn * 1.2, name


# --- the positions record ----------------------------------------------------------------------


def small_map(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "map.yaml"
    path.write_text(
        "format: stakeholder-explorer/1\ntitle: t\nactors:\n"
        "  - {id: a, name: Alpha, kind: state}\n"
        "  - {id: b, name: Beta, kind: state}\n"
        "  - {id: c, name: Gamma, kind: state}\n" + extra + "relations:\n"
        "  - {source: a, target: b, type: ally_of}\n"
        "  - {source: b, target: c, type: rival_of}\n",
        encoding="utf-8",
    )
    return path


def test_recorded_positions_are_kept_in_a_hidden_ignored_folder_beside_the_map(
    tmp_path: Path,
) -> None:
    path = small_map(tmp_path)
    G = build_graph(load_dataset(path))
    record = record_path(path)
    assert record == tmp_path / ".stakeholder-explorer" / "positions.json"
    record_positions(record, {"a": (1.0, 2.0)}, map_name=path.name)
    assert (tmp_path / ".stakeholder-explorer" / ".gitignore").read_text() == "*\n"
    assert read_positions(record, path.name) == {"a": (1.0, 2.0)}
    pos = positions_for(G, record_path=record, map_name=path.name)
    assert pos["a"] == (1.0, 2.0)
    assert set(pos) == {"a", "b", "c"}
    # Another map of the same folder has a record of its own.
    assert read_positions(record, "other.yaml") == {}


def test_an_edit_places_only_the_new_actor_near_its_neighbours(tmp_path: Path) -> None:
    path = small_map(tmp_path)
    G = build_graph(load_dataset(path))
    record = record_path(path)
    first = positions_for(G, record_path=record, map_name=path.name, record=True)
    assert read_positions(record, path.name) == first
    edited = small_map(tmp_path, extra="  - {id: d, name: Delta, kind: person}\n")
    text = edited.read_text() + "  - {source: d, target: c, type: supports}\n"
    edited.write_text(text)
    G2 = build_graph(load_dataset(edited))
    second = positions_for(G2, record_path=record, map_name=path.name)
    assert {a: second[a] for a in first} == first  # nobody who was there moved
    others = [math.dist(second["d"], second[a]) for a in "ab"]
    assert math.dist(second["d"], second["c"]) <= max(others)  # near its neighbour
    assert collisions(G2, second) == (0, 0, 0)


def test_a_fresh_layout_starts_over_and_clearing_forgets(tmp_path: Path) -> None:
    path = small_map(tmp_path)
    G = build_graph(load_dataset(path))
    record = record_path(path)
    record_positions(record, {"a": (5.0, 5.0), "b": (5.0, -5.0), "c": (-5.0, 0.0)}, map_name="m")
    assert positions_for(G, record_path=record, map_name="m")["a"] == (5.0, 5.0)
    fresh = positions_for(G, record_path=record, map_name="m", fresh=True)
    assert fresh == layout_positions(G)
    clear_positions(record, "m")
    assert read_positions(record, "m") == {}


def test_a_broken_record_is_ignored(tmp_path: Path) -> None:
    path = small_map(tmp_path)
    record = record_path(path)
    record.parent.mkdir()
    record.write_text("{not json", encoding="utf-8")
    G = build_graph(load_dataset(path))
    assert positions_for(G, record_path=record, map_name=path.name) == layout_positions(G)


def test_the_camps_layout_falls_back_to_spring_on_a_graph_without_relation_details() -> None:
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", sign=1, structural=False)
    G.add_edge("b", "c", sign=-1, structural=False)
    assert layout_positions(G) == layout_positions(G, layout="spring")
