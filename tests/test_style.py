"""The style table: colour means sign alone, kinds by shape, one legend feed."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

import explorer
from explorer.graph import FilterSpec, build_graph, filter_graph
from explorer.load import load_dataset
from explorer.model import Dataset
from explorer.render.style import (
    ACTOR_FILLS,
    CAMP_FILLS,
    NEUTRAL_FILL,
    SHAPES,
    SIGN_STYLES,
    kind_styles,
    legend_entries,
)

colour = pytest.importorskip("colour", reason="colour-science is in the test extra")
np = pytest.importorskip("numpy")

VISIONS = ("normal", "deuteranopia", "protanopia")


def lab(hex_colour: str, vision: str) -> Any:
    """CIELAB of an sRGB colour as seen in ``vision`` (Machado 2009 simulation, severity 1)."""
    rgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = colour.models.eotf_sRGB(rgb)
    if vision != "normal":
        deficiency = {"deuteranopia": "Deuteranomaly", "protanopia": "Protanomaly"}[vision]
        linear = np.clip(colour.blindness.matrix_cvd_Machado2009(deficiency, 1.0) @ linear, 0, 1)
    xyz = colour.RGB_to_XYZ(linear, colour.RGB_COLOURSPACES["sRGB"], apply_cctf_decoding=False)
    white = colour.CCS_ILLUMINANTS["CIE 1931 2 Degree Standard Observer"]["D65"]
    return colour.XYZ_to_Lab(xyz, white)


def delta_e(a: str, b: str, vision: str) -> float:
    return float(colour.delta_E(lab(a, vision), lab(b, vision), method="CIE 2000"))


def test_every_actor_fill_is_far_from_every_sign_colour_and_each_other() -> None:
    fills = sorted({c for c, _ in ACTOR_FILLS} | set(CAMP_FILLS) | {NEUTRAL_FILL})
    signs = [s.colour for s in SIGN_STYLES.values()]
    pairs = [(f, s) for f in fills for s in signs] + list(itertools.combinations(fills, 2))
    rows = []
    lowest = 100.0
    for a, b in pairs:
        figures = [delta_e(a, b, vision) for vision in VISIONS]
        lowest = min(lowest, *figures)
        rows.append(
            f"{a} {b} " + " ".join(f"{v}={x:5.1f}" for v, x in zip(VISIONS, figures, strict=True))
        )
    print("ΔE CIEDE2000 (normal, deuteranopia, protanopia):\n" + "\n".join(rows))
    print(f"lowest ΔE: {lowest:.1f}")
    assert lowest >= 25, "\n".join(rows)


def test_the_old_kind_colours_would_have_failed_the_rule() -> None:
    # The rule has teeth: a state filled in the positive relations' blue is 0 apart.
    assert delta_e("#0072B2", SIGN_STYLES[1].colour, "normal") < 1
    assert delta_e("#999999", SIGN_STYLES[0].colour, "deuteranopia") < 25


def test_the_seven_shapes_keep_the_label_outside_and_match_matplotlib_markers() -> None:
    assert [(s.vis, s.mpl) for s in SHAPES] == [
        ("dot", "o"),
        ("square", "s"),
        ("diamond", "D"),
        ("triangle", "^"),
        ("triangleDown", "v"),
        ("star", "*"),
        ("hexagon", "h"),
    ]


def dataset(kinds: list[str], extra_kinds: tuple[str, ...] = ()) -> Any:
    return Dataset.model_validate(
        {
            "format": "stakeholder-explorer/1",
            "title": "t",
            **(
                {
                    "vocabulary": {
                        "actor_kinds": {
                            k: {"label": "Think tank", "description": "d"} for k in extra_kinds
                        }
                    }
                }
                if extra_kinds
                else {}
            ),
            "actors": [{"id": f"x{i}", "name": f"X{i}", "kind": k} for i, k in enumerate(kinds)],
            "relations": [],
        }
    )


def test_up_to_seven_kinds_differ_by_shape_alone_with_the_neutral_fill() -> None:
    G = build_graph(dataset(["state", "person", "media", "place", "armed_group"]))
    styles = kind_styles(G)
    assert len({s.shape for s in styles.values()}) == 5
    assert {s.fill for s in styles.values()} == {NEUTRAL_FILL}
    assert not any(s.badge for s in styles.values())


def test_more_kinds_than_shapes_add_a_fill_and_a_files_kinds_come_next() -> None:
    builtin = ["state", "government", "agency", "armed_group", "faction", "person", "media"]
    G = build_graph(dataset([*builtin, "think_tank"], extra_kinds=("think_tank",)))
    styles = kind_styles(G)
    looks = {(s.shape, s.fill) for s in styles.values()}
    assert len(looks) == len(styles) == 8
    assert styles["think_tank"].shape == SHAPES[0].vis
    assert styles["think_tank"].fill == ACTOR_FILLS[1][0]
    assert styles["think_tank"].label == "Think tank"


def test_a_filter_never_changes_how_a_kind_looks() -> None:
    G = build_graph(load_dataset(explorer.bundled_map()))
    whole = kind_styles(G)
    for spec in (FilterSpec(kinds=("person",)), FilterSpec(types=("ally_of",))):
        view = filter_graph(G, spec)
        assert {k: whole[k] for k in kind_styles(view)} == kind_styles(view)


def test_the_legend_lists_each_kind_in_view_with_its_shape_and_the_signs_present() -> None:
    G = build_graph(load_dataset(explorer.bundled_map()))
    view = filter_graph(G, FilterSpec(types=("ally_of",)))
    entries = legend_entries(view)
    kinds = [e for e in entries if e.group == "kind"]
    assert {e.key for e in kinds} == {d["kind"] for _, d in view.nodes(data=True)}
    assert all(e.shape and e.marker and e.fill for e in kinds)
    assert sum(e.count for e in kinds) == view.number_of_nodes()
    signs = {e.key for e in entries if e.group == "sign"}
    assert signs == {"positive"}  # ally_of is positive
    everything = legend_entries(filter_graph(G, FilterSpec(as_of="all")))
    groups = {e.group for e in everything}
    assert {"kind", "sign", "status", "direction"} <= groups


def test_the_legend_has_a_contested_row_only_when_a_pair_is_contested() -> None:
    ds = Dataset.model_validate(
        {
            "format": "stakeholder-explorer/1",
            "title": "t",
            "actors": [{"id": a, "name": a, "kind": "state"} for a in "ab"],
            "relations": [
                {"source": "a", "target": "b", "type": "supports"},
                {"source": "a", "target": "b", "type": "hostile_to"},
            ],
        }
    )
    G = build_graph(ds)
    assert any(e.group == "contested" for e in legend_entries(G))
    assert not any(e.group == "contested" for e in legend_entries(G, each_relation=True))
    assert {e.key for e in legend_entries(G, each_relation=True) if e.group == "sign"} == {
        "positive",
        "negative",
    }
