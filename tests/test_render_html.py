"""The vis-network page: offline, faithful to the style table, and safe with hostile text."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from explorer.graph import FilterSpec, build_graph, filter_graph
from explorer.load import load_dataset
from explorer.render.html import (
    STRAIGHT_EDGES_ABOVE,
    WhatIf,
    network_html,
    page_parts,
    page_shell,
    safe_url,
)
from explorer.render.layout import layout_positions
from explorer.render.style import SIGN_STYLES

MAP = """
format: stakeholder-explorer/1
title: Small map
sources:
  - {id: s1, title: First report, url: "https://example.org/one"}
  - {id: s2, title: Second report, url: "javascript:alert(2)"}
actors:
  - {id: a, name: Aland, kind: state, description: A country}
  - {id: b, name: Bland, kind: state}
  - {id: c, name: Cgroup, kind: armed_group}
relations:
  - source: a
    target: b
    type: ally_of
    strength: 3
    evidence: [{source: s1, quote: A and B signed a pact}]
  - {source: a, target: b, type: rival_of, status: projected, strength: 1}
  - {source: c, target: a, type: attacks, evidence: [{source: s2, quote: C struck A}]}
"""

HOSTILE = '</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2">'


def page_data(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="view-data">(.*?)</script>', page)
    assert match
    return json.loads(match.group(1))


@pytest.fixture
def graph(write_yaml: Callable[[str, str], Path]) -> nx.MultiDiGraph:
    return build_graph(load_dataset(write_yaml(MAP, "map.yaml")))


def test_page_needs_no_network(graph: nx.MultiDiGraph) -> None:
    page = network_html(graph, layout_positions(graph), standalone=True, title="t")
    assert "<script src" not in page and "<link" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "bootstrap" not in page.lower()
    assert "vis-network" in page and "@license" in page  # inlined, with its license header
    assert "default-src 'none'" in page  # and the page may not fetch anything else


def test_one_line_per_pair_by_default_and_every_relation_on_request(
    graph: nx.MultiDiGraph,
) -> None:
    data = page_data(network_html(graph, layout_positions(graph)))
    assert {n["id"] for n in data["nodes"]} == set(graph.nodes)
    assert set(data["relations"]) == {k for *_, k in graph.edges(keys=True)}
    pairs = {frozenset((line["a"], line["b"])): line for line in data["pairs"]}
    assert len(data["pairs"]) == 2  # a-b (two relations) and c-a
    ab = pairs[frozenset("ab")]
    # Ally (strength 3, observed) against a projected rivalry (strength 1): net positive,
    # contested, solid (not every relation is projected), wider than either relation alone.
    assert ab["sign"] == 1 and ab["contested"] and not ab["projected"]
    assert sorted(ab["relations"]) == ["a__ally_of__b", "a__rival_of__b"]
    each = {line["relations"][0]: line for line in data["each"]}
    assert ab["width"] > each["a__ally_of__b"]["width"] > each["a__rival_of__b"]["width"]
    ally, rival, attack = each["a__ally_of__b"], each["a__rival_of__b"], each["c__attacks__a"]
    assert ally["sign"] == 1 and rival["sign"] == -1 and rival["projected"]
    assert attack["directions"] == "a->b" and ally["directions"] == "none"
    # Two relations on one pair are fanned apart so neither hides the other.
    assert ally["smooth"] != rival["smooth"]
    # The page colours lines from the one style table.
    signs = data["style"]["signs"]
    assert signs["1"]["colour"] == SIGN_STYLES[1].colour and signs["-1"]["marker"] == "bar"


def test_positions_are_the_given_ones_scaled_and_filters_keep_them(
    graph: nx.MultiDiGraph,
) -> None:
    positions = layout_positions(graph)
    full = {n["id"]: (n["x"], n["y"]) for n in page_data(network_html(graph, positions))["nodes"]}
    view = filter_graph(graph, FilterSpec(kinds=("state",)))
    part = {n["id"]: (n["x"], n["y"]) for n in page_data(network_html(view, positions))["nodes"]}
    assert set(part) == {"a", "b"} and all(part[n] == full[n] for n in part)
    (ax, ay), (bx, by) = positions["a"], positions["b"]
    # Same scale on both axes, y flipped for the screen.
    ratio = (full["a"][0] - full["b"][0]) / (ax - bx)
    assert (full["a"][1] - full["b"][1]) == pytest.approx(-ratio * (ay - by), abs=0.05)
    assert page_data(network_html(graph, positions))["options"]["physics"] is False


def test_sizes_and_kind_shapes_are_passed_through(graph: nx.MultiDiGraph) -> None:
    data = page_data(network_html(graph, layout_positions(graph), sizes={"a": 40, "b": 12}))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["a"]["size"] > nodes["b"]["size"]
    assert nodes["a"]["shape"] != nodes["c"]["shape"]  # a state and an armed group
    assert nodes["a"]["shape"] == nodes["b"]["shape"]


def test_legend_matches_what_is_drawn(graph: nx.MultiDiGraph) -> None:
    legend = page_data(network_html(graph, layout_positions(graph)))["legends"]["pairs"]
    assert {e["key"] for e in legend if e["group"] == "kind"} == {"state", "armed_group"}
    assert {e["group"] for e in legend} >= {"kind", "sign", "contested", "status", "direction"}
    observed = filter_graph(graph, FilterSpec(statuses=("observed",), kinds=("state",)))
    legend = page_data(network_html(observed, {}))["legends"]["pairs"]
    assert {e["key"] for e in legend if e["group"] == "kind"} == {"state"}
    assert {e["key"] for e in legend if e["group"] == "status"} == {"observed"}
    assert not [e for e in legend if e["group"] in ("direction", "contested")]


def test_relations_carry_the_evidence_as_text(graph: nx.MultiDiGraph) -> None:
    data = page_data(network_html(graph, layout_positions(graph)))
    ally = data["relations"]["a__ally_of__b"]
    assert ally["evidence"] == [["s1", "A and B signed a pact"]]
    assert ally["label"] and ally["sign"] == 1 and ally["status"] == "observed"
    node = next(n for n in data["nodes"] if n["id"] == "a")
    assert node["tip"][:3] == ["Aland", "State", "A country"]


def test_only_http_urls_become_links(graph: nx.MultiDiGraph) -> None:
    page = network_html(graph, layout_positions(graph), standalone=True)
    sources = page_data(page)["sources"]
    assert sources["s1"]["url"] == "https://example.org/one"
    assert sources["s2"]["url"] is None
    assert safe_url("HTTP://x.org") == "HTTP://x.org"
    for bad in ("javascript:alert(1)", " data:text/html,x", "file:///etc/passwd", "//x.org", ""):
        assert safe_url(bad) is None


def test_hostile_text_cannot_break_out_of_the_page(
    write_yaml: Callable[[str, str], Path],
) -> None:
    text = MAP.replace("name: Aland", f"name: '{HOSTILE}'").replace(
        "title: Small map", f"title: '{HOSTILE}'"
    )
    G = build_graph(load_dataset(write_yaml(text, "map.yaml")))
    page = network_html(G, layout_positions(G), standalone=True, caption=HOSTILE)
    assert "<script>window.pwned" not in page and "<img src=x" not in page
    assert page.count("</script>") == 3  # data, vis-network, page script
    assert HOSTILE in {n["name"] for n in page_data(page)["nodes"]}


def test_standalone_page_has_title_caption_and_the_dashboard_shell_none(
    graph: nx.MultiDiGraph,
) -> None:
    page = network_html(
        graph, layout_positions(graph), title="My map", caption="Sources: X", standalone=True
    )
    assert "<h1>My map</h1>" in page and "<p>Sources: X</p>" in page
    assert 'id="details"' in page
    shell = page_shell()
    assert "<h1>" not in shell and 'id="details"' in shell
    assert re.search(r'id="view-data"></script>', shell)  # its views arrive as messages


def test_big_maps_get_straight_edges() -> None:
    G = nx.MultiDiGraph()
    for i in range(STRAIGHT_EDGES_ABOVE + 1):
        G.add_node(f"n{i}", name=f"N{i}", kind="state")
    for i in range(STRAIGHT_EDGES_ABOVE + 1):
        for key in ("x", "y"):  # parallel pairs that a small map would curve apart
            G.add_edge(
                f"n{i}",
                f"n{(i + 1) % (STRAIGHT_EDGES_ABOVE + 1)}",
                key=f"{key}{i}",
                sign=1,
                strength=2,
                status="observed",
                confidence="medium",
                directed=False,
                structural=False,
                n_sources=1,
            )
    data = page_data(network_html(G, {}))
    assert len(data["each"]) == 2 * (STRAIGHT_EDGES_ABOVE + 1)
    assert all(e["smooth"] is False for e in data["each"])
    assert len(data["pairs"]) == STRAIGHT_EDGES_ABOVE + 1 and data["options"]["big"]


def test_a_view_drawn_from_the_maps_parts_is_the_same_page(graph: nx.MultiDiGraph) -> None:
    positions = layout_positions(graph)
    sizes = {"a": 30.0, "b": 12.0, "c": 20.0}
    parts = page_parts(graph, positions, sizes)
    for spec in (FilterSpec(), FilterSpec(kinds=("state",)), FilterSpec(signs=("negative",))):
        view = filter_graph(graph, spec)
        fresh = page_data(network_html(view, positions, sizes=sizes, title="t"))
        joined = page_data(network_html(view, positions, title="t", parts=parts))
        # The same page, but for the ranks: the parts rank actors over the whole map.
        for data in (fresh, joined):
            for node in data["nodes"]:
                node.pop("rank")
        assert joined == fresh
    # Curves are per view: alone in the view, the projected rivalry is drawn straight.
    rival = filter_graph(graph, FilterSpec(statuses=("projected",)))
    line = page_data(network_html(rival, positions, parts=parts))["each"][0]
    assert line["relations"] == ["a__rival_of__b"] and line["smooth"] is False


def test_light_pages_leave_the_quotes_out(graph: nx.MultiDiGraph) -> None:
    positions = layout_positions(graph)
    parts = page_parts(graph, positions, light_tips=True)
    data = page_data(network_html(graph, positions, parts=parts))
    assert data["options"]["lightTips"] is True
    assert all("evidence" not in r for r in data["relations"].values())
    assert "signed a pact" not in json.dumps(data)


def test_a_what_if_draws_new_signs_marks_and_faded_removals(graph: nx.MultiDiGraph) -> None:
    what_if = WhatIf(flips=("c__attacks__a",), removes=("a__rival_of__b",))
    data = page_data(network_html(graph, layout_positions(graph), what_if=what_if))
    assert data["whatif"]["count"] == 2
    lines = {
        (line["id"].startswith("removed:"), frozenset((line["a"], line["b"]))): line
        for line in data["pairs"]
    }
    flipped = lines[(False, frozenset("ac"))]
    assert flipped["sign"] == 1 and flipped["whatif"]  # the attack, reversed, is positive
    assert lines[(False, frozenset("ab"))]["relations"] == ["a__ally_of__b"]
    assert not lines[(False, frozenset("ab"))]["contested"]
    removed = lines[(True, frozenset("ab"))]
    assert removed["removed"] and removed["relations"] == ["a__rival_of__b"]
    assert data["relations"]["c__attacks__a"]["whatif"] == "sign reversed"


def test_camps_are_sent_with_the_view_they_come_from(graph: nx.MultiDiGraph) -> None:
    class Split:
        side = {"a": 0, "b": 0, "c": 1}
        view = "observed and the main forecast, as of 2021-09"

    data = page_data(network_html(graph, layout_positions(graph), camps=Split()))
    assert data["camps"]["side"] == {"a": 0, "b": 0, "c": 1}
    assert data["camps"]["view"] == Split.view
    assert len(data["camps"]["names"]) == 2


# --- in a real browser ----------------------------------------------------------------------


@pytest.mark.browser
def test_exported_page_draws_shows_tooltips_and_details_offline(
    browser: Any, tmp_path: Path, write_yaml: Callable[[str, str], Path]
) -> None:
    text = MAP.replace("name: Cgroup", f"name: '{HOSTILE}'")
    G = build_graph(load_dataset(write_yaml(text, "map.yaml")))
    out = tmp_path / "map.html"
    out.write_text(network_html(G, layout_positions(G), standalone=True), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(out.as_uri())
        page.wait_for_function("window.network && network.body.data.nodes.length > 0")
        assert page.evaluate("network.body.data.nodes.length") == 3
        assert page.evaluate("network.body.data.edges.length") == 2  # one line per pair

        def screen(actor: str) -> tuple[float, float]:
            return page.evaluate(
                """(a) => { const p = network.canvasToDOM(network.getPositions([a])[a]);
                const r = network.body.container.getBoundingClientRect();
                return [r.left + p.x, r.top + p.y]; }""",
                actor,
            )

        page.mouse.move(*screen("c"))
        page.wait_for_selector("div.vis-tooltip", state="visible")
        assert page.inner_text("div.vis-tooltip").startswith(HOSTILE)
        page.mouse.click(*screen("c"))
        page.wait_for_function("document.querySelector('#details h2') !== null")
        assert page.inner_text("#details h2") == HOSTILE
        assert "C struck A" in page.inner_text("#details")
        page.mouse.click(*screen("a"))
        page.wait_for_function("document.querySelector('#details h2').textContent === 'Aland'")
        links = page.eval_on_selector_all("#details a", "els => els.map(e => e.href)")
        assert links == ["https://example.org/one"]  # the javascript: source is plain text
        assert "Second report" in page.inner_text("#details")
        assert page.evaluate("window.pwned") is None and not dialogs
        assert requests == [out.as_uri()]
    finally:
        page.close()


def _ring(n: int) -> nx.MultiDiGraph:
    """A ring of ``n`` actors with two relations between neighbours."""
    G = nx.MultiDiGraph()
    for i in range(n):
        G.add_node(f"n{i}", name=f"N{i}", kind="state")
    for i in range(n):
        for key in ("x", "y"):
            G.add_edge(
                f"n{i}",
                f"n{(i + 1) % n}",
                key=f"{key}{i}",
                sign=1,
                strength=2,
                status="observed",
                confidence="medium",
                directed=False,
                structural=False,
                n_sources=1,
            )
    return G


@pytest.mark.browser
def test_big_maps_draw_plain_dots_and_labels_only_when_readable(
    browser: Any, tmp_path: Path, graph: nx.MultiDiGraph
) -> None:
    big = _ring(STRAIGHT_EDGES_ABOVE // 2 + 1)
    page = browser.new_page(viewport={"width": 1000, "height": 700})
    try:
        found = {}
        for name, G in (("small", graph), ("big", big)):
            out = tmp_path / f"{name}.html"
            out.write_text(network_html(G, layout_positions(G)), encoding="utf-8")
            page.goto(out.as_uri())
            page.wait_for_function("window.network && network.body.data.nodes.length > 0")
            found[name] = page.evaluate(
                """() => { const node = Object.values(network.body.nodes)[0];
                return [node.options.borderWidth,
                        node.options.scaling.label.drawThreshold]; }"""
            )
        assert found["small"] == [1.5, 1]  # small maps: every label placed
        assert found["big"][0] < 1 and found["big"][1] > 5
    finally:
        page.close()


def test_vis_network_comes_from_the_installed_pyvis_and_the_page_files_ship() -> None:
    from importlib.resources import files

    from explorer.render.html import _vis_js, page_asset

    pyvis_copy = files("pyvis").joinpath("templates", "lib", "vis-9.1.2", "vis-network.min.js")
    assert _vis_js() == pyvis_copy.read_text(encoding="utf-8")
    assert "@version 9." in _vis_js()[:400]
    # No third-party code is kept in this repository.
    root = Path(__file__).resolve().parents[1]
    assert not list((root / "explorer").rglob("vis-network*"))
    assert "addEventListener" in page_asset("page.js") and "#graph" in page_asset("page.css")
