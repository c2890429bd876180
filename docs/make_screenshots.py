"""Retake the dashboard screenshots in docs/ (default view, focused view, Analysis tab).

    python docs/make_screenshots.py

Starts the dashboard on the bundled map on a free 127.0.0.1 port, drives Debian's Chromium
(/usr/bin/chromium) with Playwright and writes docs/screenshot-*.png. Look at them before
committing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))  # run as a script: make tests.browser importable

from tests.browser import chromium, start_dashboard, wait_for_app_idle  # noqa: E402

#: True once vis-network has drawn every node and its physics (if any) has come to rest.
GRAPH_AT_REST = """() => window.network && network.body.data.nodes.length > 0
    && !(network.physics && network.physics.physicsEnabled && !network.physics.stabilized)"""


def wait_for_graph(page: Any) -> None:
    """Wait until Streamlit has drawn the page, the sidebar's controls (which follow the
    graph in a new session) included, and the graph inside it is at rest."""
    frame = page.wait_for_selector('iframe[title^="Graph of "]', timeout=60_000).content_frame()
    frame.wait_for_function(GRAPH_AT_REST, timeout=60_000)
    # The last control of the sidebar, drawn (not a placeholder while its code loads).
    page.get_by_text("Let physics settle the layout briefly").wait_for(timeout=60_000)
    page.get_by_text("Actor kinds", exact=True).first.wait_for(timeout=60_000)
    wait_for_app_idle(page)


def _geometry(frame: Any) -> dict[str, Any]:
    from tests.page_geometry import measure

    ranked = frame.evaluate(
        "network.body.data.nodes.get().sort((a, b) => (a.rank || 0) - (b.rank || 0))"
        ".map((n) => n.id)"
    )
    return measure(frame, ranked).summary()


def pyvis_comparison(browser: Any) -> None:
    """Screenshot pyvis's default drawing of the bundled map; print its counts and ours."""
    from benchmarks.run import _pyvis_page
    from explorer import bundled_map
    from explorer.filters import FilterSpec
    from explorer.graph import build_graph, filter_graph
    from explorer.load import load_dataset

    G = build_graph(load_dataset(bundled_map()))
    view = filter_graph(G, FilterSpec())
    out = DOCS / "pyvis-default.html"
    out.write_text(_pyvis_page(view), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        page.goto(out.as_uri())
        page.wait_for_function(
            "() => window.network && network.physics && network.physics.stabilized === true",
            timeout=180_000,
        )
        page.screenshot(path=DOCS / "screenshot-pyvis-default.png")
        print("pyvis default, 1440x900:", _geometry(page.main_frame))
    finally:
        page.close()
        out.unlink()


def main() -> None:
    with chromium() as browser, start_dashboard() as base:
        for name, size in (("", (1440, 900)), ("-1024", (1024, 768))):
            page = browser.new_page(viewport={"width": size[0], "height": size[1]})
            page.goto(base + "/")
            wait_for_graph(page)
            frame = page.wait_for_selector('iframe[title^="Graph of "]').content_frame()
            frame.wait_for_function("() => document.body.dataset.labels === 'placed'")
            page.screenshot(path=DOCS / f"screenshot-dashboard{name}.png")
            print(f"ours, {size[0]}x{size[1]}:", _geometry(frame))
            if not name:
                # A click on an actor: its details inside the frame, neighbours highlighted.
                box = frame.frame_element().bounding_box()
                x, y = frame.evaluate(
                    """() => { const p = network.canvasToDOM(network.getPositions(['pakistan'])
                    .pakistan); return [p.x, p.y]; }"""
                )
                page.mouse.click(box["x"] + x, box["y"] + y)
                frame.wait_for_selector("#details h2", state="visible")
                # The pointer leaves the actor, so its tooltip does not cover the details.
                page.mouse.move(box["x"] + 4, box["y"] + box["height"] - 4)
                frame.wait_for_selector("div.vis-tooltip", state="hidden")
                page.screenshot(path=DOCS / "screenshot-details.png")
            page.close()
        pyvis_comparison(browser)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(base + "/?focus=pakistan&as_of=all")
        wait_for_graph(page)
        page.screenshot(path=DOCS / "screenshot-focus.png")
        page.goto(base + "/")
        wait_for_graph(page)
        # The Analysis tab reads the relations the graph shows (observed + main forecast).
        page.get_by_role("tab", name="Analysis").click()
        wait_for_app_idle(page)
        page.get_by_text("In short").wait_for(timeout=60_000)
        page.screenshot(path=DOCS / "screenshot-analysis.png", full_page=True)


if __name__ == "__main__":
    main()
