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
from explorer.render.html import STRAIGHT_EDGES_ABOVE, network_html, page_parts, safe_url
from explorer.render.layout import layout_positions
from explorer.render.style import SIGN_STYLES, edge_width, kind_styles

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


def page_data(page: str, element: str = "view-data") -> dict[str, Any]:
    match = re.search(rf'<script type="application/json" id="{element}">(.*?)</script>', page)
    assert match, element
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


def test_every_actor_and_relation_is_drawn_with_the_shared_style(graph: nx.MultiDiGraph) -> None:
    data = page_data(network_html(graph, layout_positions(graph)))
    nodes = {n["id"]: n for n in data["nodes"]}
    edges = {e["id"]: e for e in data["edges"]}
    assert set(nodes) == set(graph.nodes)
    assert set(edges) == {k for *_, k in graph.edges(keys=True)}
    styles = kind_styles(graph)
    assert nodes["c"]["shape"] == styles["armed_group"].shape != nodes["a"]["shape"]
    assert nodes["c"]["color"] == styles["armed_group"].fill
    ally, rival, attack = (
        edges["a__ally_of__b"],
        edges["a__rival_of__b"],
        edges["c__attacks__a"],
    )
    assert ally["color"] == SIGN_STYLES[1].colour and ally["marker"] == SIGN_STYLES[1].marker
    assert rival["color"] == SIGN_STYLES[-1].colour and rival["marker"] == "bar"
    assert ally["dashes"] is False and rival["dashes"]  # projected is dashed
    assert ally["width"] == edge_width(3) > rival["width"] == edge_width(1)
    assert attack["directed"] and not ally["directed"]
    # Two relations on one pair are fanned apart so neither hides the other.
    assert ally["smooth"] != rival["smooth"]


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
    assert (
        json.loads(json.dumps(page_data(network_html(graph, positions), "view-options")))["physics"]
        is False
    )


def test_sizes_are_passed_through(graph: nx.MultiDiGraph) -> None:
    data = page_data(network_html(graph, layout_positions(graph), sizes={"a": 40, "b": 12}))
    sizes = {n["id"]: n["size"] for n in data["nodes"]}
    assert sizes["a"] == 40 and sizes["b"] == 12


def test_legend_matches_what_is_drawn(graph: nx.MultiDiGraph) -> None:
    page = network_html(graph, layout_positions(graph))
    legend = re.search(r'<ul id="legend".*?</ul>', page).group(0)  # type: ignore[union-attr]
    assert set(re.findall(r'data-kind="([^"]+)"', legend)) == {"state", "armed_group"}
    assert set(re.findall(r'data-sign="([^"]+)"', legend)) == {"positive", "negative"}
    assert set(re.findall(r'data-status="([^"]+)"', legend)) == {"observed", "projected"}
    observed = filter_graph(graph, FilterSpec(statuses=("observed",), kinds=("state",)))
    legend = re.search(r'<ul id="legend".*?</ul>', network_html(observed, {})).group(0)  # type: ignore[union-attr]
    assert set(re.findall(r'data-kind="([^"]+)"', legend)) == {"state"}
    assert set(re.findall(r'data-status="([^"]+)"', legend)) == {"observed"}
    assert 'data-legend="arrow"' not in legend  # no directed relation left in view


def test_tooltips_carry_the_evidence_as_text(graph: nx.MultiDiGraph) -> None:
    data = page_data(network_html(graph, layout_positions(graph)))
    edge = next(e for e in data["edges"] if e["id"] == "a__ally_of__b")
    assert "\u201cA and B signed a pact\u201d \u2014 First report" in edge["tip"]
    assert any("+ positive" in line for line in edge["tip"])
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
    assert page.count("</script>") == 4  # data, options, vis-network, page script
    assert HOSTILE in {n["label"] for n in page_data(page)["nodes"]}


def test_standalone_page_has_title_caption_and_details_panel(graph: nx.MultiDiGraph) -> None:
    page = network_html(
        graph, layout_positions(graph), title="My map", caption="Sources: X", standalone=True
    )
    assert "<h1>My map</h1>" in page and "<p>Sources: X</p>" in page
    assert 'id="details"' in page
    embedded = network_html(graph, layout_positions(graph))
    assert 'id="details"' not in embedded and "<h1>" not in embedded


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
                directed=False,
            )
    data = page_data(network_html(G, {}))
    assert len(data["edges"]) == 2 * (STRAIGHT_EDGES_ABOVE + 1)
    assert all(e["smooth"] is False for e in data["edges"])


def test_a_view_drawn_from_the_maps_parts_is_the_same_page(graph: nx.MultiDiGraph) -> None:
    positions = layout_positions(graph)
    sizes = {"a": 30.0, "b": 12.0, "c": 20.0}
    parts = page_parts(graph, positions, sizes)
    for spec in (FilterSpec(), FilterSpec(kinds=("state",)), FilterSpec(signs=("negative",))):
        view = filter_graph(graph, spec)
        fresh = network_html(view, positions, sizes=sizes, title="t")
        assert network_html(view, positions, title="t", parts=parts) == fresh
    # Curves are per view: alone in the view, the projected rivalry is drawn straight.
    rival = filter_graph(graph, FilterSpec(statuses=("projected",)))
    edge = page_data(network_html(rival, positions, parts=parts))["edges"][0]
    assert edge["id"] == "a__rival_of__b" and edge["smooth"] is False


def test_the_embedded_page_sends_only_what_it_draws(graph: nx.MultiDiGraph) -> None:
    positions = layout_positions(graph)
    embedded = page_data(network_html(graph, positions))
    exported = page_data(network_html(graph, positions, standalone=True))
    # The exported page's details panel lists quotes and dates; the dashboard's tables do.
    assert "evidence" not in embedded["edges"][0] and "names" not in embedded
    assert {"evidence", "status", "since"} <= set(exported["edges"][0]) and "names" in exported
    assert [e["tip"] for e in embedded["edges"]] == [e["tip"] for e in exported["edges"]]


def test_light_tooltips_count_the_quotes_instead_of_quoting(graph: nx.MultiDiGraph) -> None:
    positions = layout_positions(graph)
    parts = page_parts(graph, positions, light_tips=True)
    edges = {e["id"]: e for e in page_data(network_html(graph, positions, parts=parts))["edges"]}
    tip = edges["a__ally_of__b"]["tip"]
    assert not any("signed a pact" in line for line in tip)
    assert tip[-1] == "1 quote: see the Relations tab"
    assert any("+ positive" in line for line in tip)  # the rest of the tooltip stays
    assert not any("quote" in line for line in edges["a__rival_of__b"]["tip"])  # none to count


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
        assert page.evaluate("network.body.data.edges.length") == 3

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
                directed=False,
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
        assert found["small"] == [1, 5]  # small maps look as they always did
        assert found["big"][0] == 0 and found["big"][1] > 5
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
