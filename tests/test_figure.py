"""The static figure: the style table's marks, and a picture where nothing collides.

The geometric tests read the figure's own coordinates (the drawn markers, label texts and
line paths, in pixels), not the layout's: zero overlapping actor boxes, no line through an
actor that is not one of its ends, every label nearest its own actor, labels of 7 pt or
more when the figure is printed 7 inches wide.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pytest
from matplotlib.patches import ArrowStyle, FancyArrowPatch

import explorer
from explorer.graph import FilterSpec, build_graph, filter_graph
from explorer.load import load_dataset
from explorer.model import Dataset
from explorer.render.figure import (
    DEFAULT_SIZE,
    actor_boxes,
    actor_labels,
    label_boxes,
    line_paths,
    network_figure,
)
from explorer.render.layout import layout_positions
from explorer.render.style import NEUTRAL_FILL, SIGN_STYLES, kind_styles

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"

Box = tuple[float, float, float, float]


def overlap(p: Box, q: Box, hair: float = 0.5) -> bool:
    return min(p[2], q[2]) - max(p[0], q[0]) > hair and min(p[3], q[3]) - max(p[1], q[1]) > hair


def collisions(fig: Any) -> dict[str, list[Any]]:
    """What collides in a drawn figure, read from its markers, labels and line paths."""
    shapes = actor_boxes(fig)
    labels = actor_labels(fig)
    pieces = [(a, "shape", b) for a, b in shapes.items()] + [
        (a, "label", b) for a, b in labels.items()
    ]
    boxes = [
        (a, b, kind_a, kind_b)
        for (a, kind_a, p), (b, kind_b, q) in itertools.combinations(pieces, 2)
        if a != b and overlap(p, q)
    ]
    through = []
    for (u, v), points in line_paths(fig):
        for actor, (x0, y0, x1, y1) in shapes.items():
            if actor in (u, v):
                continue
            inside = (
                (points[:, 0] > x0)
                & (points[:, 0] < x1)
                & (points[:, 1] > y0)
                & (points[:, 1] < y1)
            )
            if inside.any():
                through.append((u, v, actor))
    centres = {a: ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for a, b in shapes.items()}
    names = list(centres)
    xy = np.array([centres[a] for a in names])
    astray = []
    for actor, (x0, y0, x1, y1) in labels.items():
        mid = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
        nearest = names[int(np.argmin(np.hypot(*(xy - mid).T)))]
        if nearest != actor:
            astray.append((actor, nearest))
    return {"boxes": boxes, "lines": through, "labels": astray}


def map_graph(path: Path) -> Any:
    return build_graph(load_dataset(path))


@pytest.fixture(scope="module")
def bundled() -> tuple:
    G = map_graph(explorer.bundled_map())
    return G, layout_positions(G, seed=7)


@pytest.fixture(scope="module")
def example() -> tuple:
    G = map_graph(ROOT / "data" / "examples" / "small-example.yaml")
    return G, layout_positions(G, seed=7)


def generated_map(n: int = 34, seed: int = 5) -> Any:
    """A map like the bundled one in size: two hostile camps, hubs, long names, loners."""
    rng = random.Random(seed)
    kinds = ["state", "armed_group", "person", "organization", "media", "place", "faction"]
    words = "northern southern alliance council front ministry movement republic".split()
    actors = [
        {
            "id": f"a{i}",
            "name": " ".join(rng.choice(words).title() for _ in range(rng.randint(1, 4))) + f" {i}",
            "kind": rng.choice(kinds),
        }
        for i in range(n)
    ]
    relations = []
    seen = set()
    for _ in range(int(n * 1.8)):
        u, v = rng.sample(range(n - 4), 2)  # the last four actors stay alone
        hub = rng.random() < 0.4
        if hub:
            u = rng.choice([0, 1])
        if (u, v) in seen or u == v:
            continue
        seen.add((u, v))
        same = (u % 2) == (v % 2)
        relations.append(
            {
                "source": f"a{u}",
                "target": f"a{v}",
                "type": rng.choice(["ally_of", "supports"] if same else ["hostile_to", "rival_of"]),
                "status": rng.choice(["observed", "observed", "projected"]),
            }
        )
    ds = Dataset.model_validate(
        {
            "format": "stakeholder-explorer/1",
            "title": "Generated",
            "actors": actors,
            "relations": relations,
        }
    )
    G = build_graph(ds)
    return G, layout_positions(G, seed=7)


VIEWS = {
    "default": FilterSpec(),
    "ally_of": FilterSpec(types=("ally_of",)),
    "projected": FilterSpec(statuses=("projected",)),
    "observed": FilterSpec(statuses=("observed",)),
}


@pytest.mark.parametrize("view_name", sorted(VIEWS))
@pytest.mark.parametrize("which", ["bundled", "example", "generated"])
def test_nothing_collides_in_the_figure(which: str, view_name: str, request: Any) -> None:
    G, positions = generated_map() if which == "generated" else request.getfixturevalue(which)
    view = filter_graph(G, VIEWS[view_name])
    fig = network_figure(view, positions, title=G.graph["title"], caption="A caption.")
    found = collisions(fig)
    assert found == {"boxes": [], "lines": [], "labels": []}
    # Every actor in view is drawn and labelled.
    assert set(actor_boxes(fig)) == set(view.nodes)
    assert set(actor_labels(fig)) == set(view.nodes)


@pytest.mark.parametrize("view_name", sorted(VIEWS))
@pytest.mark.parametrize("which", ["bundled", "example"])
def test_no_line_crosses_another_actors_label_in_the_figure(
    which: str, view_name: str, request: Any
) -> None:
    G, positions = request.getfixturevalue(which)
    view = filter_graph(G, VIEWS[view_name])
    fig = network_figure(view, positions, title=G.graph["title"], caption="A caption.")
    labels = actor_labels(fig)
    crossing = [
        (u, v, actor)
        for (u, v), points in line_paths(fig)
        for actor, (x0, y0, x1, y1) in labels.items()
        if actor not in (u, v)
        and (
            (points[:, 0] > x0) & (points[:, 0] < x1) & (points[:, 1] > y0) & (points[:, 1] < y1)
        ).any()
    ]
    assert labels and crossing == []


def test_labels_print_at_seven_points_or_more_at_seven_inches(bundled: tuple) -> None:
    G, positions = bundled
    fig = network_figure(G, positions, title=G.graph["title"])
    width_in = fig.get_figwidth()
    sizes = [
        t.get_fontsize()
        for ax in fig.axes
        for t in ax.texts
        if (t.get_gid() or "").startswith("actor-label")
    ]
    assert sizes and min(sizes) * 7 / width_in >= 7
    legend_sizes = [t.get_fontsize() for legend in fig.legends for t in legend.get_texts()]
    assert min(legend_sizes) * 7 / width_in >= 7


def test_labels_stay_inside_the_figure_at_both_densities(bundled: tuple) -> None:
    G, positions = bundled
    fig = network_figure(G, positions, title=G.graph["title"], caption="A caption.")
    inches = fig.get_size_inches()
    assert inches[0] * 100 == DEFAULT_SIZE[0] and 1 <= inches[1] / inches[0] <= 1.4
    for dpi in (100, 200):  # on screen, and as the PNG export writes it
        fig.set_dpi(dpi)
        for text, (x0, y0, x1, y1) in label_boxes(fig):
            assert x0 >= 0 and y0 >= 0, text
            assert x1 <= inches[0] * dpi and y1 <= inches[1] * dpi, text


def test_crowded_actors_get_leader_lines_and_labels_never_overlap(tmp_path: Path) -> None:
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
    assert all(not overlap(p, q) for (_, p), (_, q) in itertools.combinations(boxes, 2))
    assert all(x0 >= 0 and y0 >= 0 and x1 <= 900 and y1 <= 700 for _, (x0, y0, x1, y1) in boxes)


@pytest.fixture
def small() -> tuple:
    G = build_graph(load_dataset(FIXTURES / "every-field.yaml"))
    return G, layout_positions(G, seed=3)


def test_sign_shows_as_a_round_or_bar_marker_not_only_as_colour(small: tuple) -> None:
    G, positions = small
    fig = network_figure(filter_graph(G, FilterSpec(as_of="all")), positions, each_relation=True)
    marks = {
        (line.get_marker(), matplotlib.colors.to_hex(line.get_markerfacecolor()))
        for line in fig.axes[0].lines
    }
    # every-field.yaml has positive relations (funds, cooperates_with) and a negative rival_of.
    assert marks == {("o", SIGN_STYLES[1].colour.lower()), ("|", SIGN_STYLES[-1].colour.lower())}


def test_one_line_per_pair_with_arrows_for_directions_and_dashes_when_all_projected(
    small: tuple,
) -> None:
    G, positions = small

    def lines(spec: FilterSpec) -> dict[str, FancyArrowPatch]:
        fig = network_figure(filter_graph(G, spec), positions)
        return {p.get_gid(): p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)}

    every = lines(FilterSpec(as_of="all"))
    funds = every["line-north_funds_guards"]  # directed, observed
    assert type(funds.get_arrowstyle()) is ArrowStyle.CurveFilledB  # an arrow head at B
    assert funds.get_linestyle() == "solid"
    # north and south: a projected rival_of and an observed cooperates_with, one line.
    pair = every["line-north\u2194south"]
    assert type(pair.get_arrowstyle()) is ArrowStyle.Curve  # undirected types: no head
    assert pair.get_linestyle() == "solid"  # not every relation is projected
    projected = lines(FilterSpec(as_of="all", statuses=("projected",)))
    assert isinstance(projected["line-north__rival_of__south"].get_linestyle(), tuple)


def test_each_relation_draws_every_relation_of_a_pair(example: tuple) -> None:
    G, positions = example
    view = filter_graph(G, FilterSpec(as_of="all"))
    pairs = network_figure(view, positions)
    each = network_figure(view, positions, each_relation=True)
    assert len(line_paths(each)) == view.number_of_edges() > len(line_paths(pairs))


def test_a_contested_pair_shows_a_badge_and_the_legend_says_so(example: tuple) -> None:
    G, positions = example
    view = filter_graph(G, FilterSpec(as_of="all"))
    fig = network_figure(view, positions)
    badges = [t for t in fig.axes[0].texts if (t.get_gid() or "").startswith("contested-")]
    assert badges and all(t.get_text() == "\u00b1" for t in badges)
    words = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert "contested: both signs" in words


def test_legend_names_the_kinds_with_their_shapes_and_the_signs_shown(small: tuple) -> None:
    G, positions = small
    view = filter_graph(G, FilterSpec(as_of="all"))
    fig = network_figure(view, positions)
    texts = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert {"State", "Militia", "net positive", "contested: both signs", "observed"} <= set(texts)
    assert "Person" not in texts  # only kinds that are drawn
    styles = kind_styles(G)
    markers = {
        t.get_text(): h.get_marker()
        for legend in fig.legends
        for t, h in zip(legend.get_texts(), legend.legend_handles, strict=True)
    }
    assert markers["State"] == styles["state"].marker
    assert markers["Militia"] == styles["militia"].marker != markers["State"]


def test_actors_keep_their_full_map_positions_in_a_filtered_view(small: tuple) -> None:
    G, positions = small
    whole = actor_boxes(network_figure(G, positions))
    view = filter_graph(G, FilterSpec(kinds=("state",)))
    part = actor_boxes(network_figure(view, positions))
    # The map's scale may change with what is in view, the arrangement may not.
    (a, b) = sorted(part)
    centre = {n: ((x0 + x1) / 2, (y0 + y1) / 2) for n, (x0, y0, x1, y1) in part.items()}
    before = {n: ((x0 + x1) / 2, (y0 + y1) / 2) for n, (x0, y0, x1, y1) in whole.items()}
    direction = np.subtract(centre[b], centre[a])
    assert np.allclose(
        direction / np.linalg.norm(direction),
        np.subtract(before[b], before[a]) / np.linalg.norm(np.subtract(before[b], before[a])),
    )
    assert positions[a] != positions[b]


def test_colour_means_sign_alone_actors_are_told_by_shape(small: tuple) -> None:
    G, positions = small
    fig = network_figure(G, positions)
    fills = {
        matplotlib.colors.to_hex(c)
        for collection in fig.axes[0].collections
        if getattr(collection, "actor_ids", None)
        for c in collection.get_facecolors()
    }
    assert fills == {NEUTRAL_FILL.lower()}
    sign_colours = {s.colour.lower() for s in SIGN_STYLES.values()}
    assert not fills & sign_colours


def test_a_view_without_positions_for_every_actor_is_refused(small: tuple) -> None:
    G, positions = small
    with pytest.raises(ValueError, match="no position for actor 'south'"):
        network_figure(G, {k: v for k, v in positions.items() if k != "south"})


def test_an_empty_view_still_makes_a_figure(small: tuple) -> None:
    G, positions = small
    fig = network_figure(filter_graph(G, FilterSpec(search="nobody")), positions, title="Empty")
    assert label_boxes(fig) == []


def test_sizes_scale_the_shapes_like_the_dashboards_node_sizes(small: tuple) -> None:
    G, positions = small
    fig = network_figure(G, positions, sizes={"north": 32, "south": 8, "guards": 16})
    boxes = actor_boxes(fig)
    width = {n: x1 - x0 for n, (x0, _, x1, _) in boxes.items()}
    assert width["north"] == pytest.approx(4 * width["south"], rel=0.01)


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


# --- every script, every picture format ------------------------------------------------------

SCRIPTS = {
    "ru": "Российская Федерация",
    "ar": "طالبان",
    "fa": "جمهوری اسلامی ایران",
    "zh": "中华人民共和国",
    "ja": "日本国",
    "ko": "대한민국",
}


@pytest.fixture
def scripts() -> tuple:
    actors = [{"id": k, "name": v, "kind": "state"} for k, v in SCRIPTS.items()]
    actors.append({"id": "bom", "name": "\ufeffHidden\u200b marks", "kind": "person"})
    ds = Dataset.model_validate(
        {
            "format": "stakeholder-explorer/1",
            "title": "\ufeffNames in every script: Кабул, كابل, 喀布尔, 카불",
            "actors": actors,
            "relations": [
                {"source": "ru", "target": "ar", "type": "supports"},
                {"source": "zh", "target": "ar", "type": "cooperates_with"},
                {"source": "fa", "target": "ar", "type": "rival_of"},
                {"source": "ja", "target": "ko", "type": "ally_of"},
                {"source": "bom", "target": "ru", "type": "hostile_to"},
            ],
        }
    )
    G = build_graph(ds)
    return G, layout_positions(G)


def test_every_script_has_a_font_that_draws_it() -> None:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    from explorer.render.figure import GENERIC_FAMILY, _installed_fonts

    fonts = []
    for family in _installed_fonts():
        if family == GENERIC_FAMILY:
            continue
        path = font_manager.findfont(
            font_manager.FontProperties(family=family), fallback_to_default=False
        )
        fonts.append(FT2Font(path))
    missing = [
        (lang, char)
        for lang, name in SCRIPTS.items()
        for char in name.replace(" ", "")
        if not any(font.get_char_index(ord(char)) for font in fonts)
    ]
    assert missing == []


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_every_script_exports_without_raw_warnings(
    scripts: tuple, fmt: str, capfd: Any, recwarn: Any
) -> None:
    from explorer.render.figure import image_bytes

    G, positions = scripts
    fig = network_figure(G, positions, title=G.graph["title"])
    data = image_bytes(fig, fmt, dpi=100, title=G.graph["title"])
    assert data
    out, err = capfd.readouterr()
    assert "Glyph" not in out + err and "findfont" not in out + err
    assert not [w for w in recwarn if "Glyph" in str(w.message)]
    drawn = [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]
    assert not any("\ufeff" in t or "\u200b" in t for t in drawn)
    assert "Hidden marks" in " ".join(drawn)


def test_the_pdf_embeds_its_fonts_and_renders_every_page(scripts: tuple, tmp_path: Path) -> None:
    import os
    import shutil
    import subprocess

    from explorer.render.figure import image_bytes

    if not shutil.which("pdffonts") or not shutil.which("pdftoppm"):
        if os.environ.get("CI") == "true":
            pytest.fail("poppler-utils must be installed in CI")
        pytest.skip("poppler-utils (pdffonts, pdftoppm) is not installed")
    G, positions = scripts
    pdf = tmp_path / "scripts.pdf"
    pdf.write_bytes(image_bytes(network_figure(G, positions), "pdf", dpi=100))
    report = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    rows = report.stdout.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows)  # every font embedded
    assert not any("LastResort" in row for row in rows)  # no glyph left without a font
    assert report.stderr == ""
    names = " ".join(rows)
    assert "NotoSansArabic" in names and "DroidSansFallback" in names and "Nanum" in names
    page = subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert page.stderr == "" and (tmp_path / "page-1.png").stat().st_size > 1000


def test_svg_fonts_end_in_a_generic_family_and_pdf_and_svg_carry_the_title(
    scripts: tuple,
) -> None:
    import re

    from explorer.render.figure import image_bytes

    G, positions = scripts
    title = "Who stands with whom \ufeff"
    fig = network_figure(G, positions, title=title)
    svg = image_bytes(fig, "svg", dpi=100, title=title).decode("utf-8")
    families = re.findall(r"font-family: ([^;\"]+)", svg)
    assert families and all(f.strip().endswith("sans-serif") for f in families)
    assert "<dc:title>Who stands with whom </dc:title>" in svg
    pdf = image_bytes(fig, "pdf", dpi=100, title=title)
    assert b"/Title" in pdf


def test_a_camps_figure_heads_each_camp_and_names_the_view(bundled: tuple) -> None:
    from explorer.analysis.camps import camps

    G, positions = bundled
    split = camps(G)
    fig = network_figure(G, positions, title=G.graph["title"], camps=split)
    texts = {t.get_gid(): t for t in fig.axes[0].texts if t.get_gid()}
    left, right = texts["camp-heading-left"], texts["camp-heading-right"]
    assert left.get_text().startswith("\u25c0 camp of ")
    assert right.get_text().startswith("camp of ")
    # Each heading names an actor of its own camp, and sits on that camp's side.
    names = {d["name"]: n for n, d in G.nodes(data=True)}
    assert split.side[names[left.get_text()[len("\u25c0 camp of ") :]]] == 0
    assert split.side[names[right.get_text()[len("camp of ") : -2]]] == 1
    assert left.get_position()[0] < right.get_position()[0]
    assert texts["camp-view"].get_text() == f"camps: {split.view}"
    # The headings take a row of their own: nothing drawn collides still.
    assert collisions(fig) == {"boxes": [], "lines": [], "labels": []}


def _line_across_a_label() -> Any:
    """Three actors: Left and Right joined by a line, Middle just above it with its label
    (drawn under its shape) lying across the straight line between them."""
    return build_graph(load_dataset(FIXTURES / "across.yaml"))


def test_a_line_keeps_off_another_actors_label_by_moving_it_or_bending() -> None:
    G = _line_across_a_label()
    positions = {"left": (-1.0, 0.0), "right": (1.0, 0.0), "middle": (0.0, 0.045)}
    fig = network_figure(G, positions, size=(900, 500), legend=False)
    shapes = actor_boxes(fig)
    label = actor_labels(fig)["middle"]
    centre = {a: ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for a, b in shapes.items()}
    # The premise: the straight line between the two passes where the middle actor's label
    # would sit by default, under its shape.
    width, height = label[2] - label[0], label[3] - label[1]
    under = shapes["middle"][1]
    assert under - height < centre["left"][1] < under
    # The drawn line crosses neither the label, wherever it went, nor the shape.
    [(ends, points)] = line_paths(fig)
    assert set(ends) == {"left", "right"}
    for box in (label, shapes["middle"]):
        assert not (
            (points[:, 0] > box[0])
            & (points[:, 0] < box[2])
            & (points[:, 1] > box[1])
            & (points[:, 1] < box[3])
        ).any()
    assert width > 0 and collisions(fig) == {"boxes": [], "lines": [], "labels": []}


def test_a_bent_lines_sign_marker_sits_on_the_drawn_curve() -> None:
    G = _line_across_a_label()
    positions = {"left": (-1.0, 0.0), "right": (1.0, 0.0), "middle": (0.0, 0.0)}
    fig = network_figure(G, positions, size=(900, 500), legend=False)
    [(_, points)] = line_paths(fig)
    ax = fig.axes[0]
    # The line bends round the middle actor's shape, which sits on the straight line.
    chord_y = points[0, 1]
    assert np.abs(points[:, 1] - chord_y).max() > 10
    [marker] = [line for line in ax.lines if len(line.get_xdata()) == 1]
    at = ax.transData.transform((marker.get_xdata()[0], marker.get_ydata()[0]))
    start, step = points[:-1], np.diff(points, axis=0)
    t = np.clip(((at - start) * step).sum(axis=1) / np.maximum((step**2).sum(axis=1), 1e-9), 0, 1)
    assert np.hypot(*(start + t[:, None] * step - at).T).min() < 1.0


def test_svg_clip_ids_do_not_hang_on_the_last_bit_of_a_float(small: tuple) -> None:
    # matplotlib names clip paths by a hash of their rectangle's floats: the same view drawn
    # in the dashboard and by `export` could differ in every id. They are numbered instead.
    import re

    from explorer.render.figure import image_bytes

    G, positions = small
    svg = image_bytes(network_figure(G, positions), "svg", dpi=100).decode()
    assert re.findall(r'<clipPath id="([^"]+)"', svg) == ["clip1"]
    assert not re.search(r'id="p[0-9a-f]{10}"|url\(#p[0-9a-f]{10}\)', svg)
