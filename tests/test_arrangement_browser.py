"""A drag in the graph travels to the dashboard, which counts it and writes nothing yet."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import dashboard_server
from test_app_browser import MAP, graph, on_screen

from explorer.render.layout import record_path

pytestmark = pytest.mark.browser


@pytest.fixture
def served(browser: Any, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    path = tmp_path / "map.yaml"
    path.write_text(textwrap.dedent(MAP).lstrip(), encoding="utf-8")
    with dashboard_server(path, path.parent, path.with_name("server.log")) as url:
        yield url, path


def kept(record: Path) -> dict[str, list[float]]:
    if not record.exists():
        return {}
    entry = json.loads(record.read_text(encoding="utf-8"))["maps"].get("map.yaml") or {}
    return dict(entry.get("positions") or {})


def test_a_drag_reaches_the_dashboard_and_writes_nothing(
    browser: Any, served: tuple[str, Path]
) -> None:
    url, path = served
    record = record_path(path)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(url)
        frame = graph(page, "5 of 5 actors, 4 of 5 relations")
        start = frame.evaluate("network.getPositions(['c']).c")
        x, y = on_screen(page, frame, "c")
        page.mouse.move(x, y)
        page.mouse.down()
        for step in range(1, 11):
            page.mouse.move(x + 8 * step, y + 5 * step)
        page.mouse.up()
        dropped = frame.evaluate("network.getPositions(['c']).c")
        assert (dropped["x"], dropped["y"]) != (start["x"], start["y"])
        page.get_by_text("1 dragged actor not kept yet").wait_for(timeout=30_000)
        assert kept(record) == {}  # a drag alone writes nothing
        # The page keeps drawing the actor where it was dropped after the rerun.
        now = frame.evaluate("network.getPositions(['c']).c")
        assert (now["x"], now["y"]) == pytest.approx((dropped["x"], dropped["y"]), abs=0.5)
    finally:
        context.close()
