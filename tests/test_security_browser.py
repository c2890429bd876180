"""Hostile text and egress in a real browser: the dashboard server and the exported files.

``tests/fixtures/hostile.yaml`` puts script and markup in every text field; each payload sets
``window.__pwned`` (in its frame and the top page) and opens an alert. Here the real
dashboard (started as ``stakeholder-explorer app`` starts it) and the exported HTML and SVG
are opened in headless Chromium: no payload may run, the text must be on screen as written,
only http(s) URLs may become links, and no request may leave 127.0.0.1 (or, for the
exported files, the file itself). Every request is recorded; anything not local is aborted.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from browser import click_actor, on_screen, wait_for_app_idle
from click.testing import CliRunner
from conftest import dashboard_server

from explorer.cli import main
from explorer.load import load_dataset
from explorer.model import Dataset

pytestmark = pytest.mark.browser

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile.yaml"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
LOCAL_SCHEMES = {"file", "data", "blob", "about"}
FULL_VIEW = "5 of 5 actors, 4 of 4 relations"


@pytest.fixture(scope="module")
def hostile() -> Dataset:
    return load_dataset(HOSTILE)


def is_local(url: str) -> bool:
    """Whether a request stays on this machine."""
    parsed = urlparse(url)
    if parsed.scheme in LOCAL_SCHEMES:
        return True
    return parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname in LOCAL_HOSTS


@dataclass
class Watched:
    """A browser page with every request, blocked request and dialog it caused."""

    page: Any
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def offenders(self) -> list[str]:
        """Requests that tried to leave the machine."""
        return sorted({u for u in self.requests + self.blocked if not is_local(u)})

    def pwned(self) -> dict[str, str]:
        """``window.__pwned`` of every frame where a payload set it, by frame URL."""
        found = {}
        for frame in self.page.frames:
            value = frame.evaluate("() => window.__pwned === undefined ? null : window.__pwned")
            if value is not None:
                found[frame.url[:60]] = str(value)
        return found

    def count(self, selector: str) -> int:
        """Elements matching ``selector`` in the page and all its frames."""
        return sum(len(frame.query_selector_all(selector)) for frame in self.page.frames)

    def assert_inert(self) -> None:
        """No payload ran, no javascript:/data: link exists, nothing left the machine."""
        assert self.pwned() == {}, f"injected script ran: {self.pwned()}"
        assert self.dialogs == [], f"injected script opened dialogs: {self.dialogs}"
        assert self.count('a[href^="javascript:" i]') == 0
        assert self.count('a[href^="data:" i]') == 0
        assert self.count('iframe[src^="javascript:" i]') == 0
        assert self.offenders() == [], f"requests left the machine: {self.offenders()}"


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    """A fresh context whose requests (all frames, all pages) are recorded and kept local."""
    context = browser.new_context(viewport={"width": 2400, "height": 1200}, accept_downloads=True)
    page = context.new_page()
    w = Watched(page)
    context.on("request", lambda request: w.requests.append(request.url))
    page.on("websocket", lambda socket_: w.requests.append(socket_.url))

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if is_local(url):
            request_route.continue_()
        else:
            w.blocked.append(url)
            request_route.abort()

    context.route("**/*", route)

    def on_dialog(dialog: Any) -> None:
        w.dialogs.append(dialog.message)
        dialog.dismiss()

    context.on("page", lambda p: p.on("dialog", on_dialog))
    page.on("dialog", on_dialog)
    try:
        yield w
    finally:
        context.close()


def tooltip_at(page: Any, frame: Any, *actors: str) -> list[str]:
    """Hover an actor (or the line between two); return the lines of the tooltip shown.

    The place is read again before each of up to three hovers: the page may still refit
    its view (after its frame's last resize) between reading a place and hovering it.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(3):
        page.mouse.move(*on_screen(page, frame, *actors))
        try:
            frame.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.mouse.move(*corner(frame))
    lines = frame.eval_on_selector_all(
        "div.vis-tooltip .tip-line", "rows => rows.map(r => r.textContent)"
    )
    # Move to an empty corner of the graph so the next hover opens a fresh tooltip.
    page.mouse.move(*corner(frame))
    frame.wait_for_selector("div.vis-tooltip", state="hidden", timeout=10_000)
    return lines


def corner(frame: Any) -> tuple[float, float]:
    """Page coordinates of a point near the graph's bottom left corner, away from the map.

    The bottom, not the top: the frame stays across reruns, so after the page scrolled down
    (to a button below the graph) its top edge can sit under Streamlit's header.
    """
    element = frame.frame_element() if frame.parent_frame else None
    box = element.bounding_box() if element else {"x": 0, "y": 0}
    x, y = frame.evaluate(
        "() => { const r = network.body.container.getBoundingClientRect();"
        " return [r.left + 4, r.bottom - 4]; }"
    )
    return box["x"] + x, box["y"] + y


def node_tip(ds: Dataset, actor_id: str) -> list[str]:
    """The tooltip lines an actor must show: name, kind label, aliases, description."""
    actor = next(a for a in ds.actors if a.id == actor_id)
    lines = [actor.name, ds.vocab.actor_kinds[actor.kind].label]
    if actor.aliases:
        lines.append("also: " + ", ".join(actor.aliases))
    if actor.description:
        lines.append(actor.description)
    return lines


def quote_lines(ds: Dataset, relation_index: int) -> list[str]:
    titles = {s.id: s.title for s in ds.sources}
    rel = ds.relations[relation_index]
    return [f"\u201c{ev.quote}\u201d \u2014 {titles[ev.source]}" for ev in rel.evidence]


# --- the dashboard ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Served:
    url: str
    data: Path
    work: Path

    def listing(self) -> dict[str, list[str]]:
        """Every file under the data folder and the server's working folder."""
        return {
            folder.name: sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
            for folder in (self.data, self.work)
        }


@pytest.fixture(scope="module")
def served(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The real dashboard on a copy of the hostile map, started as the app command does."""
    root = tmp_path_factory.mktemp("security")
    data, work = root / "data", root / "work"
    data.mkdir()
    work.mkdir()
    shutil.copy(HOSTILE, data / "hostile.yaml")
    with dashboard_server(data / "hostile.yaml", work, root / "server.log") as url:
        yield Served(url, data, work)


def graph_frame(page: Any, summary: str = FULL_VIEW) -> Any:
    """The dashboard's graph frame once it draws the view ``summary``."""
    from playwright.sync_api import Error as PlaywrightError

    selector = f'iframe[title="Graph of {summary}"]'
    crashes = page.locator("[data-testid=stException]")
    deadline = time.monotonic() + 30
    # A rerun may swap the frame for a new one just after it appears: wait for one that
    # draws, and if it goes away while waited on, wait for the next.
    while True:
        left_ms = max(1.0, (deadline - time.monotonic()) * 1000)
        try:
            page.wait_for_selector(f"{selector}, [data-testid=stException]", timeout=left_ms)
            assert crashes.count() == 0, crashes.first.inner_text()
            element = page.wait_for_selector(selector, timeout=left_ms)
            frame = element.content_frame() if element else None
            if frame is not None:
                frame.wait_for_function(
                    "() => !!(window.network && network.body.data.nodes.length)",
                    timeout=min(left_ms, 5_000),
                )
                # At rest: labels placed (and the view fitted to them) after the last resize.
                frame.wait_for_function(
                    "() => document.body.getAttribute('data-labels') === 'placed'",
                    timeout=min(left_ms, 5_000),
                )
                return frame
            element.wait_for_element_state("stable", timeout=left_ms)
        except PlaywrightError:
            pass  # the frame went away while waited on, or is not there yet
        if time.monotonic() > deadline:
            titles = page.eval_on_selector_all("iframe", "(fs) => fs.map((f) => f.title)")
            pytest.fail(f"no graph of {summary!r}; frames shown: {titles}")


def idle(page: Any) -> None:
    """Wait until the dashboard's script run (Streamlit's run state) is over."""
    wait_for_app_idle(page)


# Every image of the frame has loaded or failed, and two tasks have run since: an onerror or
# onload handler a payload carried has run by then (the events are queued as tasks).
_SETTLED = """async () => {
  if (document.readyState !== 'complete') { return false; }
  if (!Array.from(document.images).every((image) => image.complete)) { return false; }
  const hop = () => new Promise((done) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => done(true);
    channel.port2.postMessage(0);
  });
  await hop();
  await hop();
  return true;
}"""


def settled(page: Any) -> None:
    """Wait until every frame has loaded and any handler a payload set on an image has run."""
    from playwright.sync_api import Error as PlaywrightError

    for frame in page.frames:
        try:
            frame.wait_for_function(_SETTLED, timeout=30_000)
        except PlaywrightError:
            if not frame.is_detached():
                raise


def grid_cells(page: Any) -> list[str]:
    """The text of every cell of the visible tables (Streamlit's grid mirrors them as text).

    The grid only mirrors the columns in sight, so each table is scrolled across.
    """
    # A tab's click reruns the script, which may draw the grids again (a tab's tables are
    # built only while it is open); then each grid fills its text mirror after it draws:
    # wait for the run to end and cells in every grid, at least one grid in sight.
    wait_for_app_idle(page)
    page.wait_for_function(
        """() => {
        const grids = Array.from(document.querySelectorAll('[data-testid=stDataFrame]'))
          .filter((g) => g.checkVisibility());
        return grids.length > 0 && grids.every((g) => g.querySelector('[role=gridcell]'));
        }""",
        timeout=60_000,
    )
    return page.evaluate(
        """async () => {
        const seen = new Set();
        const grids = Array.from(document.querySelectorAll('[data-testid=stDataFrame]'))
          .filter((g) => g.checkVisibility());
        const cells = (grid) => Array.from(grid.querySelectorAll('[role=gridcell]'))
          .map((c) => c.textContent).join('\\u0000');
        const drawn = () => new Promise((done) => requestAnimationFrame(() => done()));
        // After a scroll the mirror follows a few frames later: wait until it has changed
        // (at most 240 frames), then until two frames agree.
        const follow = async (grid, before) => {
          for (let i = 0; i < 240 && cells(grid) === before; i += 1) { await drawn(); }
          let last = cells(grid);
          for (let i = 0; i < 240; i += 1) {
            await drawn();
            const now = cells(grid);
            if (now === last) { return; }
            last = now;
          }
        };
        for (const grid of grids) {
          const scroller = grid.querySelector('.dvn-scroller');
          for (let x = 0; ; x += 400) {
            const before = cells(grid);
            const from = scroller ? scroller.scrollLeft : 0;
            if (scroller) { scroller.scrollLeft = x; }
            if (scroller && scroller.scrollLeft !== from) { await follow(grid, before); }
            grid.querySelectorAll('[role=gridcell]').forEach((c) => seen.add(c.textContent));
            if (!scroller || x > scroller.scrollWidth) { break; }
          }
          if (scroller) { scroller.scrollLeft = 0; }
        }
        return Array.from(seen);
        }"""
    )


def test_hostile_text_in_the_dashboard_runs_nothing_and_shows_as_written(
    served: Served, watched: Watched, hostile: Dataset
) -> None:
    page = watched.page
    page.goto(served.url)
    frame = graph_frame(page)
    assert page.inner_text(".se-title") == hostile.title
    labels = frame.evaluate("network.body.data.nodes.get().map((n) => n.name)")
    assert sorted(labels) == sorted(a.name for a in hostile.actors)

    # Tooltips: actors with markup in name, aliases, description and kind label.
    for actor in ("scripter", "imager", "linker", "taliban"):
        assert tooltip_at(page, frame, actor) == node_tip(hostile, actor)
    # A relation's tooltip carries its quotes with the source titles.
    edge_tip = tooltip_at(page, frame, "scripter", "imager")
    assert edge_tip[0] == f"{hostile.actors[0].name} \u2192 {hostile.actors[1].name}"
    assert edge_tip[-1:] == quote_lines(hostile, 0)

    # The details panel of a clicked actor.
    click_actor(page, frame, "scripter")
    panel = page.wait_for_selector(".st-key-details_panel", timeout=30_000)
    text = panel.inner_text()
    scripter = hostile.actors[0]
    assert text.startswith(scripter.name + "\n")
    assert "Also: " + ", ".join(scripter.aliases) in text
    assert scripter.description in text
    assert hostile.actors[1].name in grid_cells(page)  # the relation table in the panel

    # The tables of actors, relations and sources.
    page.get_by_role("tab", name="Actors").click()
    cells = grid_cells(page)
    for actor in hostile.actors:
        assert actor.name in cells and (actor.description or "") in cells
    assert ", ".join(scripter.aliases) in cells
    page.get_by_role("tab", name="Relations").click()
    cells = grid_cells(page)
    assert "\n".join(quote_lines(hostile, 0)) in cells
    assert hostile.vocab.relation_types["whispers_to"].label in cells
    for source in hostile.sources:
        assert source.title in cells
    assert hostile.sources[0].author in cells
    # The link column: only the https URL is there; javascript: and data: URLs are dropped.
    urls = [s.url for s in hostile.sources]
    assert [u for u in urls if u in cells] == ["https://example.org/report?id=1&part=2"]

    settled(page)  # any stray onerror handler has had its turn
    watched.assert_inert()


def test_the_dashboard_sends_no_request_off_the_machine(
    served: Served, watched: Watched, hostile: Dataset
) -> None:
    page = watched.page
    page.goto(served.url)
    frame = graph_frame(page)
    tooltip_at(page, frame, "imager")
    click_actor(page, frame, "imager")
    page.wait_for_selector(".st-key-details_panel", timeout=30_000)
    # Filters: focus on the clicked actor, reset, then search an Arabic-script name.
    # The graph is a cross-origin frame: scroll first, so the click is not routed to it.
    focus = page.get_by_role("button", name=re.compile("^Focus on "))
    focus.scroll_into_view_if_needed()
    focus.click()
    graph_frame(page, "3 of 5 actors, 2 of 4 relations")
    page.get_by_role("button", name="Reset all filters").click()
    frame = graph_frame(page)
    search = page.get_by_label("Search name or alias", exact=True)
    search.fill("پاکستان")
    search.press("Enter")
    frame = graph_frame(page, "2 of 5 actors, 1 of 4 relations")
    tooltip_at(page, frame, "pakistan")
    for tab in ("Actors", "Relations", "Analysis", "Download"):
        page.get_by_role("tab", name=tab).click()
        idle(page)
    page.get_by_text("Downloads show the current view").wait_for()
    idle(page)
    with page.expect_download(timeout=60_000):
        page.get_by_role("button", name="Download HTML").click()
    assert any(urlparse(u).hostname == "127.0.0.1" for u in watched.requests)
    watched.assert_inert()


def test_uploads_are_yaml_only_kept_in_memory_and_an_error_keeps_the_map(
    served: Served, watched: Watched
) -> None:
    page = watched.page
    page.goto(served.url)
    graph_frame(page)
    before = served.listing()
    page.get_by_text("Map file").click()
    chooser = page.wait_for_selector(
        "[data-testid=stFileUploader] input[type=file]", state="attached"
    )

    def upload(name: str, data: bytes, media_type: str = "application/yaml") -> None:
        chooser.set_input_files(files=[{"name": name, "mimeType": media_type, "buffer": data}])

    # Not YAML by name: refused with a message naming it (by the page or by the server),
    # and the map stays.
    upload("map.png", HOSTILE.read_bytes(), "image/png")
    refused = re.compile(r"map\.png.*(only YAML|\.yaml)|image/png files are not allowed")
    page.get_by_text(refused).first.wait_for(timeout=30_000)
    graph_frame(page)
    # A valid map replaces the view ...
    two = b"format: stakeholder-explorer/1\ntitle: Two\nactors:\n"
    two += b"  - {id: a, name: A, kind: state}\n  - {id: b, name: B, kind: state}\n"
    upload("two.yaml", two)
    graph_frame(page, "2 of 2 actors, 0 of 0 relations")
    # ... and a broken one is refused with its position, keeping that map on screen.
    upload("broken.yaml", b"format: [unclosed\n")
    page.get_by_text("broken.yaml:2:1: yaml: ").first.wait_for(timeout=30_000)
    warning = page.get_by_text("Still showing the last valid map")
    warning.wait_for()
    idle(page)
    # The map on screen before the broken upload, not the file the dashboard started with.
    assert warning.inner_text() == "Still showing the last valid map, two.yaml."
    graph_frame(page, "2 of 2 actors, 0 of 0 relations")
    assert served.listing() == before  # nothing written beside the map or where it runs
    watched.assert_inert()


# --- exported files opened from disk -------------------------------------------------------


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile map exported by the CLI as HTML and SVG."""
    folder = tmp_path_factory.mktemp("exported")
    for name in ("hostile.html", "hostile.svg"):
        result = CliRunner().invoke(main, ["export", str(HOSTILE), "-o", str(folder / name)])
        assert result.exit_code == 0, result.output
    return folder


def test_exported_html_runs_nothing_shows_text_and_links_only_https(
    exports: Path, watched: Watched, hostile: Dataset
) -> None:
    page = watched.page
    page.goto((exports / "hostile.html").as_uri())
    page.wait_for_function("() => window.network && network.body.data.nodes.length === 5")
    assert page.inner_text("h1") == hostile.title
    caption = page.inner_text("header p")
    assert f"Data: {hostile.title}." in caption and hostile.sources[0].title in caption
    legend = page.inner_text("#legend")
    assert hostile.vocab.actor_kinds["cell"].label in legend.splitlines()

    frame = page.main_frame
    for actor in ("scripter", "imager", "linker", "pakistan"):
        assert tooltip_at(page, frame, actor) == node_tip(hostile, actor)
    edge_tip = tooltip_at(page, frame, "scripter", "imager")
    assert edge_tip[-1:] == quote_lines(hostile, 0)

    # Details of an actor whose relations cite the javascript:, the mixed-case javascript:
    # and the https sources: only the https one is a link, the others are plain titles.
    click_actor(page, frame, "imager")
    details = page.locator("#details")
    details.locator("h2").wait_for()
    assert details.locator("h2").inner_text() == hostile.actors[1].name
    text = details.inner_text()
    assert hostile.actors[1].description in text
    for line in quote_lines(hostile, 0) + quote_lines(hostile, 1):
        assert line in text
    links = details.locator("a").evaluate_all(
        "(links) => links.map((a) => [a.getAttribute('href'), a.textContent])"
    )
    assert links == [["https://example.org/report?id=1&part=2", hostile.sources[3].title]]
    click_actor(page, frame, "linker")
    details.locator("h2").filter(has_text=hostile.actors[2].name).wait_for()
    assert hostile.sources[2].title in details.inner_text()  # the data: URL source, as text
    hrefs = details.locator("a").evaluate_all("(links) => links.map((a) => a.href)")
    assert hrefs == ["https://example.org/report?id=1&part=2"]

    settled(page)
    watched.assert_inert()
    assert [u for u in watched.requests if not u.startswith("file:")] == []


def test_exported_svg_opened_in_the_browser_runs_nothing(
    exports: Path, watched: Watched, hostile: Dataset
) -> None:
    page = watched.page
    page.goto((exports / "hostile.svg").as_uri())
    page.wait_for_selector("svg")
    texts = page.eval_on_selector_all("text", "(ts) => ts.map((t) => t.textContent)")
    # Long labels are wrapped over several lines (at spaces or after a hyphen), each its
    # own <text>: compare without white space.
    joined = re.sub(r"\s", "", "".join(texts))
    for actor in hostile.actors:
        assert re.sub(r"\s", "", actor.name) in joined
    settled(page)
    watched.assert_inert()
    assert [u for u in watched.requests if not u.startswith("file:")] == []
