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
    """Wait until Streamlit has drawn the page and the graph inside it is at rest."""
    wait_for_app_idle(page)
    frame = page.wait_for_selector('iframe[title^="Graph of "]', timeout=60_000).content_frame()
    frame.wait_for_function(GRAPH_AT_REST, timeout=60_000)


def main() -> None:
    with chromium() as browser, start_dashboard() as base:
        page = browser.new_page(viewport={"width": 1440, "height": 960})
        page.goto(base + "/")
        wait_for_graph(page)
        page.screenshot(path=DOCS / "screenshot-dashboard.png")
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
