"""The graph page in the dashboard, read from Chromium: geometry and every interaction.

Geometry is read from vis-network itself (``tests/page_geometry.py``): boxes from
``getBoundingBox`` (label included), positions from ``getPositions``, lines sampled along the
drawn curves, all converted with ``canvasToDOM``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from browser import wait_for_app_idle
from conftest import FIXTURES, ROOT, dashboard_server
from page_geometry import collides_at, measure

pytestmark = pytest.mark.browser

MAPS = {
    "bundled": ROOT / "data" / "us-taliban-2021.yaml",
    "small": ROOT / "data" / "examples" / "small-example.yaml",
}
VIEWS = {"default": "", "ally_of": "?types=ally_of", "projected": "?statuses=projected"}
SIZES = {"1440x900": (1440, 900), "1024x768": (1024, 768)}


@pytest.fixture(scope="module")
def servers(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """One dashboard per map, each on a copy of the file in a folder of its own."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        urls = {}
        for name, source in MAPS.items():
            folder = tmp_path_factory.mktemp(name)
            shutil.copy(source, folder / source.name)
            urls[name] = stack.enter_context(
                dashboard_server(folder / source.name, folder, folder / "server.log")
            )
        yield urls


def open_graph(browser: Any, url: str, size: tuple[int, int]) -> tuple[Any, Any]:
    """A page on ``url`` at ``size``, and its graph frame once the view is drawn and idle."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(url)
    element = page.wait_for_selector('iframe[title^="Graph of"]', timeout=60_000)
    frame = element.content_frame()
    frame.wait_for_function("() => window.network && network.body.data.nodes.length > 0")
    wait_for_app_idle(page)
    # Labels are placed a moment after the last resize or zoom: wait until they settle.
    frame.wait_for_function("() => document.body.getAttribute('data-labels') === 'placed'")
    return page, frame


def central(frame: Any) -> list[str]:
    """Actor ids in view, most central first."""
    return list(
        frame.evaluate(
            "network.body.data.nodes.get().sort((a, b) => a.rank - b.rank).map((n) => n.id)"
        )
    )


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("query", VIEWS.values(), ids=VIEWS.keys())
@pytest.mark.parametrize("map_name", MAPS.keys())
def test_nothing_overlaps_and_every_label_is_readable_and_nearest_its_actor(
    browser: Any, servers: dict[str, str], map_name: str, query: str, size: tuple[int, int]
) -> None:
    page, frame = open_graph(browser, servers[map_name] + "/" + query, size)
    try:
        geometry = measure(frame, central(frame))
        assert geometry.actors > 0
        assert geometry.overlapping_boxes == [], geometry.summary()
        # No line crosses another actor's shape or its label.
        assert geometry.lines_through_actors == [], geometry.summary()
        assert geometry.labels_nearer_another == [], geometry.summary()
        assert geometry.smallest_label_px >= 9.0, geometry.summary()
        # The ten most central keep 11 px, but for a label that would then overlap another:
        # it reads at the smallest size rather than not at all.
        for actor in geometry.small_central:
            assert collides_at(frame, actor, 11.5), (actor, geometry.summary())
        # A hidden label is counted in the legend, never silently dropped.
        if geometry.hidden_labels:
            counted = frame.evaluate("document.getElementById('label-count').textContent")
            assert counted.startswith(f"{geometry.hidden_labels} label"), counted
    finally:
        page.context.close()


@pytest.fixture
def bundled(browser: Any, servers: dict[str, str]) -> Iterator[tuple[Any, Any]]:
    page, frame = open_graph(browser, servers["bundled"], (1440, 900))
    try:
        yield page, frame
    finally:
        page.context.close()


def at_actor(page: Any, frame: Any, actor: str) -> tuple[float, float]:
    """Page coordinates of an actor drawn in the graph frame."""
    box = frame.frame_element().bounding_box()
    x, y = frame.evaluate(
        """(a) => { const p = network.canvasToDOM(network.getPositions([a])[a]);
        const r = network.body.container.getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; }""",
        actor,
    )
    return box["x"] + x, box["y"] + y


def test_hover_and_click_highlight_an_actor_and_its_neighbours(bundled: Any) -> None:
    page, frame = bundled
    page.mouse.click(*at_actor(page, frame, "pakistan"))
    frame.wait_for_selector("#details h2", state="visible")
    opacity = frame.evaluate(
        "Object.fromEntries(network.body.data.nodes.get().map((n) => [n.id, n.opacity]))"
    )
    lines = frame.evaluate("network.body.data.edges.get()")
    neighbours = {e["from"] for e in lines if e["to"] == "pakistan"} | {
        e["to"] for e in lines if e["from"] == "pakistan"
    }
    assert neighbours and opacity["pakistan"] == 1
    assert all(opacity[n] == 1 for n in neighbours)
    others = set(opacity) - neighbours - {"pakistan"}
    assert others and all(opacity[n] < 0.5 for n in others)


def test_details_of_a_click_are_visible_without_scrolling_quotes_in_full(bundled: Any) -> None:
    page, frame = bundled
    page.mouse.click(*at_actor(page, frame, "china"))
    frame.wait_for_selector("#details h2", state="visible")
    assert frame.inner_text("#details h2") == "China"
    frame_box = frame.frame_element().bounding_box()
    panel = frame.evaluate("document.getElementById('details').getBoundingClientRect().toJSON()")
    heading = frame.evaluate(
        "document.querySelector('#details h3').getBoundingClientRect().toJSON()"
    )
    # On screen in the 1440 x 900 window, with the page not scrolled.
    assert frame_box["y"] + panel["top"] >= 0 and frame_box["y"] + heading["bottom"] <= 900
    assert panel["width"] <= 0.35 * frame_box["width"]  # the graph keeps most of the frame
    quote = frame.inner_text("#details .quote")
    assert quote.startswith("\u201c") and quote.endswith("\u201d")  # whole, not cut


def test_an_actor_chosen_under_the_details_panel_slides_into_sight(bundled: Any) -> None:
    page, frame = bundled
    actor = frame.evaluate(
        """() => { const p = network.getPositions();
        return Object.keys(p).sort((a, b) => p[b].x - p[a].x)[0]; }"""
    )
    page.mouse.click(*at_actor(page, frame, actor))
    frame.wait_for_selector("#details h2", state="visible")
    panel = frame.evaluate("() => document.getElementById('details').getBoundingClientRect().left")
    right_edge = frame.evaluate(
        """(a) => network.canvasToDOM(network.getPositions([a])[a]).x
        + network.body.nodes[a].options.size * network.getScale()""",
        actor,
    )
    # The rightmost actor was where the panel opens; it now shows beside the panel.
    assert right_edge < panel


def test_a_relation_can_be_clicked(bundled: Any) -> None:
    page, frame = bundled
    line = frame.evaluate(
        """() => { const e = network.body.data.edges.get().find((x) => x.from === 'united_states'
                   && x.to === 'taliban' || x.from === 'taliban' && x.to === 'united_states');
        const p = network.body.edges[e.id].edgeType.getPoint(0.3);
        const d = network.canvasToDOM(p); const r = network.body.container.getBoundingClientRect();
        return [r.left + d.x, r.top + d.y]; }"""
    )
    box = frame.frame_element().bounding_box()
    page.mouse.click(box["x"] + line[0], box["y"] + line[1])
    frame.wait_for_selector("#details h2", state="visible")
    text = frame.inner_text("#details")
    assert "United States \u2014 Taliban" in text or "Taliban \u2014 United States" in text
    assert "relations, net" in text and "\u201c" in text  # each relation, with its quotes


def test_zoom_pan_and_drags_survive_a_filter_change(bundled: Any) -> None:
    page, frame = bundled
    frame.evaluate("network.moveTo({scale: 1.6, position: {x: 40, y: -30}})")
    frame.evaluate("network.moveNode('china', 10, 20)")
    frame.evaluate(
        """network.body.emitter.emit('dragEnd', {nodes: ['china'], edges: [],
           pointer: {canvas: {x: 10, y: 20}, DOM: {x: 0, y: 0}}})"""
    )
    before = frame.evaluate("network.body.data.nodes.length")
    page.get_by_text("Hide isolated actors").click()
    frame.wait_for_function("(n) => network.body.data.nodes.length < n", arg=before, timeout=30_000)
    assert frame.evaluate("network.getScale()") == pytest.approx(1.6)
    assert frame.evaluate("network.getViewPosition()") == pytest.approx({"x": 40, "y": -30})
    assert frame.evaluate("network.getPositions(['china']).china") == {"x": 10, "y": 20}


def test_zoom_to_fit_brings_every_actor_into_view(bundled: Any) -> None:
    page, frame = bundled
    frame.evaluate("network.moveTo({scale: 4, position: {x: 500, y: 500}})")
    frame.click("#fit")
    inside = frame.evaluate(
        """() => { const r = network.body.container.getBoundingClientRect();
        return Object.values(network.getPositions()).every((p) => {
          const d = network.canvasToDOM(p);
          return d.x >= 0 && d.y >= 0 && d.x <= r.width && d.y <= r.height; }); }"""
    )
    assert inside


def test_keyboard_tabs_through_actors_and_enter_selects(bundled: Any) -> None:
    page, frame = bundled
    first = central(frame)[0]
    frame.focus("#graph-wrap")
    page.keyboard.press("Tab")
    assert frame.evaluate("network.getSelectedNodes()") == [first]
    page.keyboard.press("Tab")
    second = central(frame)[1]
    assert frame.evaluate("network.getSelectedNodes()") == [second]
    page.keyboard.press("Enter")
    frame.wait_for_selector("#details h2", state="visible")
    name = frame.evaluate(f"network.body.data.nodes.get('{second}').name")
    assert frame.inner_text("#details h2") == name
    scale = frame.evaluate("network.getScale()")
    page.keyboard.press("+")
    assert frame.evaluate("network.getScale()") > scale
    x = frame.evaluate("network.getViewPosition().x")
    page.keyboard.press("ArrowRight")
    assert frame.evaluate("network.getViewPosition().x") > x


def test_search_marks_matches_and_says_when_nothing_matches(bundled: Any) -> None:
    page, frame = bundled
    frame.fill("#search", "pakis")
    frame.wait_for_selector("#search-status", state="visible")
    widths = frame.evaluate(
        "Object.fromEntries(network.body.data.nodes.get().map((n) => [n.id, n.borderWidth]))"
    )
    marked = {n for n, w in widths.items() if w >= 4}
    # Names and aliases both count ("Pakistani establishment", and an alias of another).
    assert {"pakistan", "pakistani_establishment", "pakistan_government"} <= marked
    assert frame.inner_text("#search-status").startswith(f"{len(marked)} actors match")
    frame.fill("#search", "Atlantis")
    frame.wait_for_function(
        "() => document.getElementById('search-status').textContent.startsWith('No actor')"
    )
    assert frame.evaluate("document.getElementById('search-status').className") == "none"


def test_a_line_bends_round_another_actors_label_in_the_page(
    browser: Any, tmp_path: pytest.TempPathFactory
) -> None:
    from pathlib import Path

    from explorer.formats import export_file
    from explorer.graph import FilterSpec, build_graph, filter_graph
    from explorer.load import load_dataset

    G = build_graph(load_dataset(FIXTURES / "across.yaml"))
    out = Path(str(tmp_path)) / "across.html"
    # The middle actor just above the line: its label, drawn under it, lies across the line.
    positions = {"left": (-0.4, 0.0), "right": (0.4, 0.0), "middle": (0.0, 0.04)}
    export_file(filter_graph(G, FilterSpec()), out, positions=positions, spec=FilterSpec())
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    try:
        page.goto(out.as_uri())
        page.wait_for_function("() => document.body.getAttribute('data-labels') === 'placed'")
        straight_crosses = page.evaluate(
            """() => { const p = network.getPositions(['left', 'right']);
            const b = network.getBoundingBox('middle');
            return b.top < p.left.y && p.left.y < b.bottom && b.left < 0 && 0 < b.right; }"""
        )
        assert straight_crosses, "the test's premise: a straight line would cross the label"
        geometry = measure(page.main_frame)
        assert geometry.lines == 1 and geometry.actors == 3
        assert geometry.lines_through_actors == [], geometry.summary()
        assert geometry.labels_nearer_another == []
    finally:
        page.close()


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_every_actor_and_label_is_inside_the_frame_below_the_toolbar(
    browser: Any, servers: dict[str, str], size: tuple[int, int]
) -> None:
    page, frame = open_graph(browser, servers["bundled"], size)
    try:
        outside = frame.evaluate(
            """() => {
            const f = network.body.container.getBoundingClientRect();
            const bar = document.getElementById('toolbar').getBoundingClientRect();
            // vis-network draws a label about 7 canvas px below where its box says it ends.
            const low = 7 * network.getScale();
            return network.body.data.nodes.getIds().filter((id) => {
              const b = network.getBoundingBox(id);
              const tl = network.canvasToDOM({x: b.left, y: b.top});
              const br = network.canvasToDOM({x: b.right, y: b.bottom});
              return tl.x < 0 || br.x > f.width || tl.y < bar.bottom - f.top
                || br.y + low > f.height;
            });
            }"""
        )
        assert outside == []
    finally:
        page.context.close()
