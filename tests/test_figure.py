"""The static figure: readable labels, the style table's marks, positions shared with views."""

from __future__ import annotations

import itertools
from pathlib import Path

import matplotlib
import pytest
from matplotlib.patches import ArrowStyle, FancyArrowPatch

import explorer
from explorer.graph import FilterSpec, build_graph, filter_graph
from explorer.load import load_dataset
from explorer.render.figure import DEFAULT_SIZE, label_boxes, network_figure
from explorer.render.layout import layout_positions
from explorer.render.style import NEUTRAL_FILL, SIGN_STYLES

FIXTURES = Path(__file__).resolve().parent / "fixtures"

Box = tuple[float, float, float, float]


def overlapping(boxes: list[tuple[str, Box]]) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes overlap by more than a hair."""
    out = []
    for (a, p), (b, q) in itertools.combinations(boxes, 2):
        if min(p[2], q[2]) - max(p[0], q[0]) > 0.5 and min(p[3], q[3]) - max(p[1], q[1]) > 0.5:
            out.append((a, b))
    return out


def crossing(labels: list[tuple[str, Box]], discs: list[tuple[str, Box]]) -> list[tuple[str, str]]:
    """Labels that lie over an actor's disc."""
    return [
        pair
        for pair in overlapping(labels + discs)
        if pair[0] in dict(labels) and pair[1] in dict(discs)
    ]


def outside(boxes: list[tuple[str, Box]], width: float, height: float) -> list[str]:
    """Labels that reach past the figure's edges."""
    return [t for t, (x0, y0, x1, y1) in boxes if x0 < 0 or y0 < 0 or x1 > width or y1 > height]


def actors_of(fig: object) -> object:
    """The collection that draws the actors' discs."""
    return next(c for c in fig.axes[0].collections if c.get_gid() == "actors")


def disc_boxes(fig: object) -> list[tuple[str, Box]]:
    """The box around each actor's disc, in pixels at the figure's current density."""
    ax = fig.axes[0]
    discs = actors_of(fig)
    centres = ax.transData.transform(discs.get_offsets())
    radii = [(s**0.5) / 2 * fig.dpi / 72 for s in discs.get_sizes()]
    return [
        (f"disc {i}", (x - r, y - r, x + r, y + r))
        for i, ((x, y), r) in enumerate(zip(centres, radii, strict=True))
    ]


@pytest.fixture(scope="module")
def bundled() -> tuple:
    path = explorer.bundled_map()
    if not path.exists():
        pytest.skip("the bundled map is not there yet")
    G = build_graph(load_dataset(path))
    return G, layout_positions(G, seed=7)


@pytest.mark.parametrize(
    "spec", [FilterSpec(), FilterSpec(as_of="all"), FilterSpec(statuses=("observed",))]
)
def test_no_label_overlaps_or_cut_labels_on_the_bundled_map(bundled: tuple, spec) -> None:
    G, positions = bundled
    view = filter_graph(G, spec)
    fig = network_figure(view, positions, title=G.graph["title"], caption="A caption.")
    for dpi in (100, 200):  # on screen, and as the PNG export writes it
        fig.set_dpi(dpi)
        scale = dpi / 100
        boxes = label_boxes(fig)
        names = sorted(d["name"] for _, d in view.nodes(data=True))
        assert sorted(t for t, _ in boxes) == names
        assert overlapping(boxes) == []
        assert crossing(boxes, disc_boxes(fig)) == []
        assert outside(boxes, DEFAULT_SIZE[0] * scale, DEFAULT_SIZE[1] * scale) == []


def test_crowded_labels_are_pushed_apart_and_kept_inside(tmp_path: Path) -> None:
    # Twelve actors with long names squeezed into one corner of the map, a worst case.
    actors = "\n".join(
        f"  - {{id: a{i}, name: Actor with a long name {i}, kind: state}}" for i in range(12)
    )
    path = tmp_path / "crowd.yaml"
    path.write_text(f"format: stakeholder-explorer/1\ntitle: Crowd\nactors:\n{actors}\n")
    G = build_graph(load_dataset(path))
    positions = {f"a{i}": (0.9 + 0.01 * (i % 3), -0.95 + 0.01 * (i // 3)) for i in range(12)}
    fig = network_figure(G, positions, size=(900, 700))
    boxes = label_boxes(fig)
    assert len(boxes) == 12
    assert overlapping(boxes) == []
    assert outside(boxes, 900, 700) == []


@pytest.fixture
def small() -> tuple:
    G = build_graph(load_dataset(FIXTURES / "every-field.yaml"))
    return G, layout_positions(G, seed=3)


def test_sign_shows_as_a_round_or_bar_marker_not_only_as_colour(small: tuple) -> None:
    G, positions = small
    fig = network_figure(filter_graph(G, FilterSpec(as_of="all")), positions)
    marks = {
        (line.get_marker(), matplotlib.colors.to_hex(line.get_markerfacecolor()))
        for line in fig.axes[0].lines
    }
    # every-field.yaml has positive relations (funds, cooperates_with) and a negative rival_of.
    assert marks == {("o", SIGN_STYLES[1].colour.lower()), ("|", SIGN_STYLES[-1].colour.lower())}


def test_arrows_for_directed_types_and_dashes_for_projected(small: tuple) -> None:
    G, positions = small
    fig = network_figure(filter_graph(G, FilterSpec(as_of="all")), positions)
    patches = {p.get_gid(): p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)}
    funds = patches["relation-north_funds_guards"]  # directed, observed
    rival = patches["relation-north__rival_of__south"]  # undirected, projected
    assert type(funds.get_arrowstyle()) is ArrowStyle.CurveFilledB  # an arrow head at B
    assert type(rival.get_arrowstyle()) is ArrowStyle.Curve  # a plain line
    assert funds.get_linestyle() == "solid"
    assert isinstance(rival.get_linestyle(), tuple)  # (offset, dash pattern)


def test_legend_names_the_kinds_signs_and_statuses_shown(small: tuple) -> None:
    G, positions = small
    fig = network_figure(filter_graph(G, FilterSpec(as_of="all")), positions)
    texts = [t.get_text() for t in fig.legends[0].get_texts()]
    assert {
        "State",
        "Militia",
        "positive (+)",
        "negative (\u2212)",
        "observed",
        "projected",
    } <= set(texts)
    assert "Person" not in texts  # only kinds that are drawn


def test_actors_keep_their_full_map_positions_in_a_filtered_view(small: tuple) -> None:
    G, positions = small
    view = filter_graph(G, FilterSpec(kinds=("state",)))
    fig = network_figure(view, positions)
    drawn = actors_of(fig).get_offsets().tolist()
    assert drawn == [list(positions[n]) for n in view]


def test_actor_colours_come_from_the_style_table(small: tuple) -> None:
    G, positions = small
    fig = network_figure(G, positions)
    colours = [matplotlib.colors.to_hex(c) for c in actors_of(fig).get_facecolors()]
    # Colour means sign alone: no actor is filled in a sign's colour.
    assert colours[list(G).index("north")] == NEUTRAL_FILL.lower()


def test_a_view_without_positions_for_every_actor_is_refused(small: tuple) -> None:
    G, positions = small
    with pytest.raises(ValueError, match="no position for actor 'south'"):
        network_figure(G, {k: v for k, v in positions.items() if k != "south"})


def test_an_empty_view_still_makes_a_figure(small: tuple) -> None:
    G, positions = small
    fig = network_figure(filter_graph(G, FilterSpec(search="nobody")), positions, title="Empty")
    assert label_boxes(fig) == []


def test_sizes_scale_the_discs_like_the_dashboards_node_sizes(small: tuple) -> None:
    G, positions = small
    fig = network_figure(G, positions, sizes={"north": 32, "south": 8, "guards": 16})
    areas = dict(zip(G, actors_of(fig).get_sizes(), strict=True))
    # Marker areas go with the square of the radius the dashboard gives.
    assert areas["north"] == pytest.approx(16 * areas["south"])
    assert areas["guards"] == pytest.approx(4 * areas["south"])


def test_a_long_caption_of_wide_letters_wraps_inside_the_figure(small: tuple) -> None:
    G, positions = small
    caption = "WIDE " * 80 + "https://example.org/" + "x" * 300
    fig = network_figure(G, positions, caption=caption, size=(800, 600))
    renderer = fig.canvas.get_renderer()
    note = next(t for t in fig.texts if t.get_text().startswith("WIDE"))
    box = note.get_window_extent(renderer)
    assert box.x0 >= 0 and box.x1 <= 800
    assert note.get_text().replace("\n", "").replace(" ", "") == caption.replace(" ", "")


def test_a_long_title_shrinks_then_wraps_inside_the_figure(small: tuple) -> None:
    G, positions = small
    title = "A very long title about who stands with whom " * 6
    fig = network_figure(G, positions, title=title, size=(800, 600))
    heading = next(t for t in fig.texts if t.get_text().startswith("A very"))
    box = heading.get_window_extent(fig.canvas.get_renderer())
    assert box.x0 >= 0 and box.x1 <= 800
    assert heading.get_fontsize() >= 11
    assert " ".join(heading.get_text().split()) == " ".join(title.split())
