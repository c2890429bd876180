"""A drag in the graph travels to the dashboard, which counts it and writes nothing yet."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import on_screen, wait_for_app_idle
from conftest import dashboard_server
from test_app_browser import MAP, graph

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
        dropped = drag(page, frame, "c", 80, 50)
        assert (dropped["x"], dropped["y"]) != (start["x"], start["y"])
        page.get_by_text("1 dragged actor not kept yet").wait_for(timeout=30_000)
        assert kept(record) == {}  # a drag alone writes nothing
        # The page keeps drawing the actor where it was dropped after the rerun.
        now = frame.evaluate("network.getPositions(['c']).c")
        assert (now["x"], now["y"]) == pytest.approx((dropped["x"], dropped["y"]), abs=0.5)
    finally:
        context.close()


def drag(page: Any, frame: Any, actor: str, dx: float, dy: float) -> dict[str, float]:
    """Drag ``actor`` by (dx, dy) screen pixels; return where the page now draws it."""
    x, y = on_screen(page, frame, actor)
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + dx * step / 10, y + dy * step / 10)
    page.mouse.up()
    return dict(frame.evaluate("(a) => network.getPositions([a])[a]", actor))


def keep_now(page: Any) -> None:
    """Click "Keep this arrangement" while the drag's own rerun is running (if it has not
    ended before we look): the click's rerun stops it, as a quick reader's click does."""
    try:
        page.wait_for_selector(
            '[data-testid="stApp"][data-test-script-state="running"]', timeout=5_000
        )
    except Exception:  # noqa: BLE001 - the drag's run may be over already
        pass
    page.get_by_role("button", name="Keep this arrangement").evaluate("(b) => b.click()")
    wait_for_app_idle(page)
    page.get_by_text("Drag actors to arrange the map.").wait_for(timeout=30_000)


def drawn_at(frame: Any, actor: str) -> tuple[float, float]:
    """Where the page draws ``actor`` once the dashboard's latest view has arrived."""
    at = frame.evaluate("(a) => network.getPositions([a])[a]", actor)
    return at["x"], at["y"]


def test_keep_right_after_a_drag_records_the_drag_and_a_reload_draws_it(
    browser: Any, served: tuple[str, Path]
) -> None:
    from explorer.render.html import layout_position

    url, path = served
    record = record_path(path)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(url)
        frame = graph(page, "5 of 5 actors, 4 of 5 relations")
        wait_for_app_idle(page)
        first = drag(page, frame, "c", 80, 50)
        keep_now(page)
        assert kept(record).get("c") == pytest.approx(
            list(layout_position(first["x"], first["y"])), abs=1e-6
        ), "the click right after the drag was lost"
        assert drawn_at(frame, "c") == pytest.approx((first["x"], first["y"]), abs=0.5)
        # A new page (a reload) draws the actor where it was kept...
        page.reload()
        frame = graph(page, "5 of 5 actors, 4 of 5 relations")
        wait_for_app_idle(page)
        assert drawn_at(frame, "c") == pytest.approx((first["x"], first["y"]), abs=0.5)
        # ...and the first click after another drag keeps that drag, on the record and on
        # the screen (not an arrangement another session kept before).
        second = drag(page, frame, "c", -60, 40)
        keep_now(page)
        assert kept(record)["c"] == pytest.approx(
            list(layout_position(second["x"], second["y"])), abs=1e-6
        )
        frame.wait_for_function(
            "([x, y]) => { const p = network.getPositions(['c']).c;"
            " return Math.abs(p.x - x) < 0.5 && Math.abs(p.y - y) < 0.5; }",
            arg=[second["x"], second["y"]],
            timeout=10_000,
        )
    finally:
        context.close()
