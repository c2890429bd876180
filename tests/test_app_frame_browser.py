"""The frame: at 1440 x 900 and 1024 x 768 the dashboard opens with its title, the view line,
the tabs and the whole graph on screen, without scrolling, the graph taking at least 70 % of
the window's height and the main area's width."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser import wait_for_app_idle
from conftest import dashboard_server

import explorer

pytestmark = pytest.mark.browser

#: What the page shows on opening, measured in the page (each a box in CSS pixels), and
#: whether the middle of the title is the title itself (not covered by Streamlit's header).
MEASURE = """() => {
  const box = (e) => { const r = e.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  const title = document.querySelector('.se-title');
  const t = title.getBoundingClientRect();
  const hit = document.elementFromPoint(t.left + 20, (t.top + t.bottom) / 2);
  const main = document.querySelector('[data-testid="stMain"]');
  return {
    title: box(title), titleOnTop: title.contains(hit),
    line: box(document.querySelector('.st-key-view_line')),
    tabs: box(document.querySelector('[data-testid="stTabs"] [role="tablist"]')),
    main: box(main), scrolled: window.scrollY + main.scrollTop,
  };
}"""


@pytest.fixture(scope="module")
def server(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("frame") / "server.log"
    bundled = explorer.bundled_map()
    with dashboard_server(bundled, bundled.parent, log) as url:
        yield url


@pytest.mark.parametrize("size", [(1440, 900), (1024, 768)], ids=["1440x900", "1024x768"])
def test_title_tabs_and_the_whole_graph_fit_the_window(
    browser: Any, server: str, size: tuple[int, int]
) -> None:
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(server)
        element = page.wait_for_selector('iframe[title^="Graph of "]', timeout=60_000)
        element.content_frame().wait_for_function(
            "() => window.network && network.body.data.nodes.length > 0", timeout=60_000
        )
        wait_for_app_idle(page)
        seen = page.evaluate(MEASURE)
        frame = element.bounding_box()
        # Streamlit's menu, above the title's end, still takes a click.
        page.get_by_test_id("stMainMenuButton").click(trial=True, timeout=5_000)
    finally:
        context.close()
    assert seen["scrolled"] == 0
    # The title is on screen and not under Streamlit's header bar.
    assert 0 <= seen["title"]["top"] and seen["title"]["bottom"] <= height
    assert seen["titleOnTop"], "the title is covered"
    # The view line and the tabs above the graph, all on screen.
    assert seen["title"]["bottom"] <= seen["line"]["top"] < seen["tabs"]["top"]
    assert seen["tabs"]["bottom"] <= frame["y"]
    # The whole graph frame is on screen, at least 70 % of the window high...
    assert frame["y"] + frame["height"] <= height, (frame, height)
    assert frame["height"] >= 0.7 * height
    # ...and as wide as the main area, but for its margins.
    main_width = seen["main"]["right"] - seen["main"]["left"]
    assert frame["width"] >= main_width - 2 * 32, (frame, main_width)
