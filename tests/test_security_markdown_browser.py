"""Markdown from a file or a URL never renders in the dashboard: a real-browser sweep.

``tests/fixtures/hostile.yaml`` names one actor ``![px](https://evil.example/pixel.png?…)``
and another ``[Click for the full report](https://evil.example/report) :red[red]
:material/home: www.evil.example/login someone@evil.example https://3627734734/x …``. The
dashboard is visited tab by tab and control by control (details and their "Focus on …"
buttons, every tab, a search from the URL, a broken upload whose name and errors carry
autolink bait). Every request is recorded and anything not local aborted; after each step
no Markdown container holds a link or an image, and each payload shows literally wherever
its text shows (so it was not turned into a link, an image, colour or an icon).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlparse

import pytest
from browser import click_actor
from test_security_browser import (  # the shared watcher, server and graph helpers
    Served,
    Watched,
    graph_frame,
    idle,
    served,
    settled,
    watched,
)

from explorer.model import Dataset

pytestmark = pytest.mark.browser

__all__ = ["served", "watched"]  # fixtures used here, defined beside the other browser tests

#: Each payload's literal text, as the page must show it.
PAYLOADS = [
    "![px](https://evil.example/pixel.png?map=secret)",
    "[Click for the full report](https://evil.example/report)",
    ":red[red]",
    ":material/home:",
    "www.evil.example/login",
    "someone@evil.example",
    "https://3627734734/x",
]
#: A distinctive word of each payload: wherever it shows, the whole payload must show.
MARKERS = ["pixel.png", "Click for the full report", "red]", "material/", "evil.example/login",
           "someone@", "3627734734"]  # fmt: skip

_ACTIVE = """() => {
  const bad = [];
  for (const el of document.querySelectorAll(
      '[data-testid=stMarkdownContainer] a, [data-testid=stMarkdownContainer] img, '
      + 'button a, button img, [data-testid=stAlert] a, [data-testid=stCaptionContainer] a')) {
    const where = el.getAttribute('href') || el.getAttribute('src') || '';
    if (!where.startsWith('#')) { bad.push(el.outerHTML.slice(0, 160)); }
  }
  return bad;
}"""


def shown(page: Any) -> str:
    """The page's text as a reader sees it (without the invisible word joiners)."""
    return str(page.evaluate("() => document.body.innerText.replace(/\\u2060/g, '')"))


def assert_plain(page: Any, step: str) -> None:
    """No link or image in Markdown; each payload shows literally wherever its text shows."""
    assert page.evaluate(_ACTIVE) == [], step
    text = shown(page)
    for payload, marker in zip(PAYLOADS, MARKERS, strict=True):
        assert text.count(payload) == text.count(marker), (step, payload)


def test_markdown_in_names_urls_and_uploads_stays_text_and_nothing_leaves(
    served: Served, watched: Watched, hostile: Dataset
) -> None:
    page = watched.page
    page.goto(served.url)
    frame = graph_frame(page)
    assert_plain(page, "first view")
    # The details of each hostile actor: heading, tables and the "Focus on …" button.
    for actor in ("imager", "linker"):
        click_actor(page, frame, actor)
        page.wait_for_selector(".st-key-details_panel", timeout=30_000)
        idle(page)
        button = page.locator(".st-key-details_focus button")
        assert "Click" not in actor or "[Click for the full report]" in button.inner_text()
        assert_plain(page, f"details of {actor}")
    for tab in ("Actors", "Relations", "Analysis", "Download", "Edit", "Graph"):
        page.get_by_role("tab", name=tab).click()
        idle(page)
        assert_plain(page, f"{tab} tab")
    # Text from the URL: a search shown in the captions.
    page.goto(served.url + "/?search=" + quote("www.evil.example/login someone@evil.example"))
    page.get_by_text("Filters: search:").first.wait_for(timeout=30_000)
    idle(page)
    assert "Filters: search: www.evil.example/login someone@evil.example" in shown(page)
    assert_plain(page, "search from the URL")
    # An upload whose name and errors hold autolink bait.
    page.goto(served.url)
    graph_frame(page)
    page.get_by_text("Map file").click()
    chooser = page.wait_for_selector(
        "[data-testid=stFileUploader] input[type=file]", state="attached"
    )
    broken = (
        b"format: stakeholder-explorer/1\ntitle: t\nactors:\n"
        b"  - {id: a, name: A, kind: 'someone@evil.example'}\n"
    )
    chooser.set_input_files(
        files=[{"name": "www.evil.example.yaml", "mimeType": "application/yaml", "buffer": broken}]
    )
    page.get_by_text("unknown actor kind").first.wait_for(timeout=30_000)
    idle(page)
    assert "www.evil.example.yaml:4:" in shown(page)
    assert_plain(page, "broken upload")
    settled(page)  # any stray image or handler has had its turn to ask
    watched.assert_inert()
    asked = {urlparse(u).hostname for u in watched.requests + watched.blocked}
    assert "evil.example" not in asked and "3627734734" not in asked


@pytest.fixture(scope="module")
def hostile() -> Dataset:
    from test_security_browser import HOSTILE

    from explorer.load import load_dataset

    return load_dataset(HOSTILE)
