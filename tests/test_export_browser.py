"""The exported HTML page in a real browser: drawn from disk, offline, hostile text inert."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import explorer
from explorer.formats import export_file
from explorer.graph import FilterSpec, build_graph, filter_graph
from explorer.load import load_dataset
from explorer.render.layout import layout_positions

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def export_page(source: Path, out: Path) -> int:
    """Export the whole map of ``source`` as a standalone page; return its actor count."""
    G = build_graph(load_dataset(source))
    view = filter_graph(G, FilterSpec(as_of="all"))
    export_file(view, out, positions=layout_positions(G, seed=7), spec=FilterSpec(as_of="all"))
    return view.number_of_nodes()


def open_offline(browser: Any, page_file: Path) -> tuple[Any, Any, list[str]]:
    """Open a file:// page with every other request aborted and recorded."""
    context = browser.new_context()
    blocked: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith("file://"):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.goto(page_file.as_uri())
    page.wait_for_function("() => window.network && window.network.body", timeout=15_000)
    return context, page, blocked


def test_exported_page_draws_the_map_from_disk_with_the_network_blocked(
    browser: Any, tmp_path: Path
) -> None:
    source = explorer.bundled_map()
    if not source.exists():
        source = FIXTURES / "every-field.yaml"
    out = tmp_path / "map.html"
    actors = export_page(source, out)
    context, page, blocked = open_offline(browser, out)
    try:
        assert page.evaluate("() => window.network.body.data.nodes.length") == actors
        # Drawn on screen, not just loaded: the canvas has a size and the nodes positions.
        assert page.evaluate("() => Object.keys(window.network.getPositions()).length") == actors
        assert page.evaluate("() => document.querySelector('canvas').width") > 0
        assert blocked == []
    finally:
        context.close()


def test_hostile_names_show_as_text_and_run_nothing(
    browser: Any, tmp_path: Path, write_yaml: Callable[[str, str], Path]
) -> None:
    source = write_yaml(
        """
        format: stakeholder-explorer/1
        title: "<img src=x onerror=window.pwned=1> map"
        sources:
          - {id: s, title: "<script>window.pwned = 2</script>", url: "javascript:window.pwned=3"}
        actors:
          - {id: a, name: "<script>window.pwned = 4</script>", kind: person}
          - {id: b, name: "<img src=x onerror=window.pwned=5>", kind: group}
        relations:
          - source: a
            target: b
            type: supports
            evidence: [{source: s, quote: "<b onmouseover=window.pwned=6>hi</b>"}]
        """,
        "hostile.yaml",
    )
    out = tmp_path / "hostile.html"
    export_page(source, out)
    context, page, blocked = open_offline(browser, out)
    try:
        assert page.evaluate("() => window.pwned") is None
        heading = page.inner_text("h1")
        assert heading == "<img src=x onerror=window.pwned=1> map"
        # Labels wrap at spaces onto short lines; joined again they are the names as written.
        labels = page.evaluate(
            "() => window.network.body.data.nodes.get().map(n => n.label.split('\\n').join(' '))"
        )
        assert sorted(labels) == sorted(
            ["<script>window.pwned = 4</script>", "<img src=x onerror=window.pwned=5>"]
        )
        assert page.evaluate("() => document.querySelectorAll('a[href^=javascript]').length") == 0
        assert blocked == []  # the <img src=x> never became a request
    finally:
        context.close()


def test_exported_page_colours_actors_by_camp(browser: Any, tmp_path: Path) -> None:
    from explorer.analysis.camps import camps

    source = FIXTURES.parent.parent / "data" / "examples" / "small-example.yaml"
    G = build_graph(load_dataset(source))
    split = camps(G)
    out = tmp_path / "map.html"
    export_file(G, out, positions=layout_positions(G, seed=7), camps=split)
    context, page, _ = open_offline(browser, out)
    try:
        assert page.is_visible("#camp-toggle")
        fill = "(id) => window.network.body.data.nodes.get(id).color.background.toLowerCase()"
        fills = page.evaluate("() => JSON.parse(document.getElementById('view-data')"
                              ".textContent).style.campFills")  # fmt: skip
        wanted = {a: fills[side].lower() for a, side in split.side.items()}
        assert {a: page.evaluate(fill, a) for a in wanted} != wanted  # kinds' fills at first
        page.check("#by-camp")
        assert {a: page.evaluate(fill, a) for a in wanted} == wanted
        if not page.is_visible("#legend"):
            page.click("#legend-box summary")
        assert "camp" in (page.text_content("#legend") or "").lower()
    finally:
        context.close()
