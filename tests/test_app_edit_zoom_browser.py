"""A save in Edit mode keeps the graph's zoom and pan: the graph page stays loaded and takes
the saved map's view as data, with the new actor and everyone else where they were."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import wait_for_app_idle
from test_edit_browser import choose

pytestmark = pytest.mark.browser


def test_a_save_in_edit_mode_keeps_zoom_pan_and_places(
    browser: Any, small_map_served: tuple[str, Path]
) -> None:
    url, path = small_map_served
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        page.goto(url)
        element = page.wait_for_selector('iframe[title^="Graph of "]', timeout=60_000)
        frame = element.content_frame()
        frame.wait_for_function("() => window.network && network.body.data.nodes.length > 0")
        wait_for_app_idle(page)
        actors = frame.evaluate("network.body.data.nodes.length")
        before = frame.evaluate("network.getPositions()")
        # The reader zooms in with the wheel and drags the view to a corner of the map...
        box = element.bounding_box()
        x, y = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.8
        page.mouse.move(x, y)
        for _ in range(3):
            page.mouse.wheel(0, -120)
        frame.wait_for_function("() => network.getScale() > 1.2")
        page.mouse.down()
        for step in range(1, 11):
            page.mouse.move(x + 12 * step, y - 8 * step)
        page.mouse.up()
        scale = frame.evaluate("network.getScale()")
        centre = frame.evaluate("network.getViewPosition()")
        # ...then adds an actor in Edit mode and saves it.
        page.get_by_role("tab", name="Edit").click()
        wait_for_app_idle(page)
        page.get_by_role("radio", name="Add actor").or_(
            page.get_by_role("button", name="Add actor")
        ).first.click()
        wait_for_app_idle(page)
        page.get_by_label("Name", exact=True).fill("Zeta Watchers")
        page.get_by_label("Name", exact=True).press("Enter")
        wait_for_app_idle(page)
        choose(page, "Kind", "Organisation")
        page.get_by_role("button", name="Save actor").click()
        page.get_by_text("Saved: added actor").wait_for(timeout=30_000)
        wait_for_app_idle(page)
        page.get_by_role("tab", name="Graph").click()
        wait_for_app_idle(page)
        # The same page (never reloaded) has the saved map's view, the new actor included.
        frame.wait_for_function(
            "(n) => network.body.data.nodes.length === n", arg=actors + 1, timeout=30_000
        )
        assert "Zeta Watchers" in frame.evaluate("network.body.data.nodes.get().map((n) => n.name)")
        assert frame.evaluate("network.getScale()") == pytest.approx(scale, abs=1e-6)
        assert frame.evaluate("network.getViewPosition()") == pytest.approx(centre, abs=0.5)
        after = frame.evaluate("network.getPositions()")
        assert {a: after[a] for a in before} == before  # nobody moved
    finally:
        context.close()
