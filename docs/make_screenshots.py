"""Retake the dashboard screenshots in docs/ (default view, focused view, Analysis tab).

    python docs/make_screenshots.py

Starts the dashboard on the bundled map on a free 127.0.0.1 port, drives Debian's Chromium
(/usr/bin/chromium) with Playwright and writes docs/screenshot-*.png. Look at them before
committing.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from explorer import bundled_map
from explorer.cli import app_argv

DOCS = Path(__file__).resolve().parent
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_graph(page: object) -> None:
    frame = page.wait_for_selector('iframe[title^="Graph of "]', timeout=60_000).content_frame()  # type: ignore[attr-defined]
    frame.wait_for_function("window.network && network.body.data.nodes.length > 0", timeout=60_000)
    time.sleep(1.5)


def main() -> None:
    port = free_port()
    server = subprocess.Popen(
        app_argv(bundled_map(), port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 960})
            page.goto(base + "/")
            wait_for_graph(page)
            page.screenshot(path=DOCS / "screenshot-dashboard.png")
            page.goto(base + "/?focus=pakistan&as_of=all")
            wait_for_graph(page)
            page.screenshot(path=DOCS / "screenshot-focus.png")
            page.goto(base + "/")
            wait_for_graph(page)
            page.get_by_role("tab", name="Analysis").click()
            page.wait_for_selector(
                '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000
            )
            page.get_by_text("Include projected relations").click()
            time.sleep(1)
            page.wait_for_selector(
                '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000
            )
            time.sleep(3)
            page.screenshot(path=DOCS / "screenshot-analysis.png", full_page=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
