"""The dashboard in a real browser: the `streamlit run` server and headless Chromium.

What only a browser shows: vis-network really draws the view, hover tooltips, a click that
travels from the graph frame to Python, the URL in the address bar, and the requests made.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from browser import click_actor, on_screen, wait_for_app_idle
from conftest import dashboard_server

pytestmark = pytest.mark.browser

HOSTILE = 'Eorg <script>window.pwned=1</script><img src=x onerror="window.pwned=2">'

MAP = f"""
format: stakeholder-explorer/1
title: Five actors
sources:
  - {{id: s1, title: First report}}
actors:
  - {{id: a, name: Aland, kind: state}}
  - {{id: b, name: Bland, kind: state}}
  - {{id: c, name: Cgroup, kind: armed_group, description: Fighters in the hills}}
  - {{id: d, name: Dee, kind: person}}
  - {{id: e, name: '{HOSTILE}', kind: organization, description: '<b>not bold</b>'}}
relations:
  - {{source: a, target: b, type: ally_of, since: 2020,
      evidence: [{{source: s1, quote: A and B signed a pact}}]}}
  - {{source: a, target: c, type: hostile_to, since: 2019, until: 2020-06}}
  - {{source: b, target: c, type: supports, status: projected, since: 2021}}
  - {{source: c, target: d, type: attacks, since: 2021-03,
      evidence: [{{source: s1, quote: C attacked Dee}}]}}
  - {{source: d, target: a, type: influences, since: 2021}}
"""


@pytest.fixture(scope="module")
def server(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real dashboard server (started as `stakeholder-explorer app` starts it)."""
    path = tmp_path_factory.mktemp("app") / "map.yaml"
    path.write_text(textwrap.dedent(MAP).lstrip(), encoding="utf-8")
    with dashboard_server(path, path.parent, path.with_name("server.log")) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser page that records every request it and its frames make."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    p = context.new_page()
    p.requests = []  # type: ignore[attr-defined]
    p.dialogs = []  # type: ignore[attr-defined]
    p.on("request", lambda r: p.requests.append(r.url))
    p.on("dialog", lambda d: (p.dialogs.append(d.message), d.dismiss()))
    try:
        yield p
    finally:
        context.close()


def graph(page: Any, summary: str) -> Any:
    """The graph frame once it shows ``summary`` ("5 of 5 actors, 4 of 5 relations")."""
    element = page.wait_for_selector(f'iframe[title="Graph of {summary}"]', timeout=30_000)
    frame = element.content_frame()
    frame.wait_for_function(
        "() => window.network && network.body.data.nodes.length >= 0", timeout=30_000
    )
    return frame


def drawn(frame: Any) -> tuple[int, int]:
    nodes, edges = frame.evaluate(
        "[network.body.data.nodes.length, network.body.data.edges.length]"
    )
    return nodes, edges


def test_graph_draws_the_view_and_a_filter_updates_it(server: str, page: Any) -> None:
    page.goto(server)
    frame = graph(page, "5 of 5 actors, 4 of 5 relations")
    assert drawn(frame) == (5, 4)
    page.get_by_text("Hide isolated actors").click()
    frame = graph(page, "4 of 5 actors, 4 of 5 relations")
    frame.wait_for_function("() => network.body.data.nodes.length === 4")
    assert drawn(frame) == (4, 4)
    page.wait_for_url("**hide_isolates=1**")  # the address bar follows the filters


def test_the_graph_comes_first_and_the_controls_follow_by_themselves(
    server: str, page: Any
) -> None:
    """A new session draws the graph before the sidebar's controls; they then appear without
    anything clicked, and their run leaves the drawn page as it is (not loaded again)."""
    page.goto(server)
    frame = graph(page, "5 of 5 actors, 4 of 5 relations")
    frame.wait_for_function("() => network.body.data.nodes.length === 5")
    frame.evaluate("() => { window.stillTheSamePage = true; }")
    page.get_by_role("button", name="Reset all filters").wait_for(timeout=30_000)
    page.get_by_text("Map file").wait_for()
    wait_for_app_idle(page)
    assert frame.evaluate("() => window.stillTheSamePage === true")
    page.get_by_role("tab", name="Download").click()
    page.get_by_role("button", name="Download PNG").wait_for(timeout=30_000)


def test_the_controls_come_even_when_the_graph_page_never_loads(server: str, page: Any) -> None:
    """If the graph page cannot load, the controls still appear (a few seconds later)."""
    page.route("**/graph-page/**", lambda route: route.abort())
    page.goto(server)
    page.wait_for_selector('iframe[title="Graph of 5 of 5 actors, 4 of 5 relations"]')
    page.get_by_role("button", name="Reset all filters").wait_for(timeout=30_000)
    page.get_by_text("Map file").wait_for()


def test_hover_shows_the_actor_tooltip(server: str, page: Any) -> None:
    page.goto(server)
    frame = graph(page, "5 of 5 actors, 4 of 5 relations")
    page.mouse.move(*on_screen(page, frame, "c"))
    frame.wait_for_selector("div.vis-tooltip", state="visible")
    assert frame.inner_text("div.vis-tooltip").splitlines()[:3] == [
        "Cgroup",
        "Armed group",
        "Fighters in the hills",
    ]


def test_click_on_an_actor_shows_its_details_and_focus_works(server: str, page: Any) -> None:
    page.goto(server)
    frame = graph(page, "5 of 5 actors, 4 of 5 relations")
    click_actor(page, frame, "c")
    # The details appear inside the frame at once, quotes in full ...
    frame.wait_for_selector("#details h2", state="visible")
    text = frame.inner_text("#details")
    assert text.splitlines()[1] == "Cgroup" and "Fighters in the hills" in text
    assert "Positive relations (1)" in text and "Negative relations (1)" in text
    assert "C attacked Dee" in text
    # ... and the tables below the frame follow the click.
    panel = page.wait_for_selector(".st-key-details_panel", timeout=30_000)
    assert panel.inner_text().startswith("Cgroup")
    wait_for_app_idle(page)
    frame.get_by_role("button", name="Focus on Cgroup").click()
    frame = graph(page, "3 of 5 actors, 2 of 5 relations")
    frame.wait_for_function("() => network.body.data.nodes.length === 3")
    assert drawn(frame) == (3, 2)
    page.wait_for_url("**focus=c**")


def test_a_shared_url_restores_the_view(server: str, page: Any) -> None:
    page.goto(server + "/?focus=c&radius=2&signs=negative,positive")
    frame = graph(page, "4 of 5 actors, 3 of 5 relations")
    assert drawn(frame) == (4, 3)
    assert sorted(frame.evaluate("network.body.data.nodes.getIds()")) == ["a", "b", "c", "d"]


def test_file_text_stays_text_and_no_request_leaves_the_machine(server: str, page: Any) -> None:
    page.goto(server)
    frame = graph(page, "5 of 5 actors, 4 of 5 relations")
    page.mouse.move(*on_screen(page, frame, "e"))
    frame.wait_for_selector("div.vis-tooltip", state="visible")
    tip = frame.inner_text("div.vis-tooltip").splitlines()
    assert tip[0] == HOSTILE and tip[2] == "<b>not bold</b>"
    click_actor(page, frame, "e")
    panel = page.wait_for_selector(".st-key-details_panel", timeout=30_000)
    assert panel.inner_text().startswith(HOSTILE)
    page.get_by_role("tab", name="Actors").click()
    page.get_by_role("tab", name="Relations").click()
    page.wait_for_timeout(500)
    assert page.evaluate("window.pwned") is None and frame.evaluate("window.pwned") is None
    assert not page.dialogs
    hosts = {
        urlparse(u).hostname
        for u in page.requests
        if urlparse(u).scheme in ("http", "https", "ws", "wss")
    }
    assert hosts == {"127.0.0.1"}, sorted(page.requests)


def drawn_name(page: Any, name: str) -> None:
    """Wait until the graph page draws an actor labelled ``name``."""
    frame = page.wait_for_selector('iframe[title^="Graph of "]', timeout=30_000).content_frame()
    frame.wait_for_function(
        "(name) => window.network && network.body.data.nodes.get().some((n) => n.label === name)",
        arg=name,
        timeout=30_000,
    )


def download(page: Any, button: str) -> Path:
    """Press a download button and return the file, once the page has finished its rerun.

    A click that lands while Streamlit is still rerunning (opening a tab reruns the script)
    can hit the button being replaced, so it is tried again, at most three times.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(3):
        page.wait_for_selector(
            '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000
        )
        try:
            with page.expect_download(timeout=20_000) as info:
                page.get_by_role("button", name=button).click()
            return Path(info.value.path())
        except PlaywrightTimeout:
            continue
    pytest.fail(f"pressing {button!r} gave no download")


def test_downloads_hold_the_current_view(server: str, page: Any) -> None:
    page.goto(server + "/?kinds=state")
    graph(page, "2 of 5 actors, 1 of 5 relations")
    page.get_by_role("tab", name="Download").click()
    graphml = download(page, "Download GRAPHML").read_text(encoding="utf-8")
    assert graphml.startswith("<?xml") and "<graphml" in graphml
    assert graphml.count("<node ") == 2 and graphml.count("<edge ") == 1
    png = download(page, "Download PNG").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_an_upload_with_other_labels_and_dates_keeps_the_filters_working(
    server: str, page: Any
) -> None:
    # The browser sends a select box's label, not its value; after another file is opened, a
    # label that named an actor or a date of the old file must not break the view.
    page.goto(server + "/?focus=c")
    graph(page, "3 of 5 actors, 2 of 5 relations")
    renamed = textwrap.dedent(MAP).replace("name: Cgroup", "name: Cee").replace("2021", "2022")
    page.get_by_text("Map file").click()
    chooser = page.wait_for_selector(
        "[data-testid=stFileUploader] input[type=file]", state="attached"
    )
    chooser.set_input_files(
        files=[{"name": "renamed.yaml", "mimeType": "application/yaml", "buffer": renamed.encode()}]
    )
    # The focus stays on c, now drawn under its new name, with the new file's dates.
    drawn_name(page, "Cee")
    assert page.locator("[data-testid=stException]").count() == 0
    # Which map is the last valid one depends on whether Streamlit ran once without an
    # upload while the file was being replaced; the focus survives only where c's label is
    # the same. Either way the page draws a map and does not crash.
    frame = page.wait_for_selector('iframe[title^="Graph of "]', timeout=30_000).content_frame()
    frame.wait_for_function("() => window.network && network.body.data.nodes.length >= 3")
    # A broken upload then falls back to the last valid map, whose labels differ again.
    chooser = page.wait_for_selector(
        "[data-testid=stFileUploader] input[type=file]", state="attached"
    )
    chooser.set_input_files(
        files=[{"name": "broken.yaml", "mimeType": "application/yaml", "buffer": b"a: [\n"}]
    )
    page.get_by_text("Still showing the last valid map").wait_for(timeout=30_000)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000
    )
    assert page.locator("[data-testid=stException]").count() == 0
    # The last valid map is the earlier upload (not the start file), still drawn.
    warning = page.get_by_text("Still showing the last valid map").inner_text()
    assert "renamed.yaml" in warning, warning
    drawn_name(page, "Cee")
    frame = page.wait_for_selector('iframe[title^="Graph of "]', timeout=30_000).content_frame()
    frame.wait_for_function("() => window.network && network.body.data.nodes.length >= 3")
