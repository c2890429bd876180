"""Headless Chromium and the dashboard server, in one place for tests, benchmarks and docs.

The browser tests (through the fixtures in ``conftest.py``), ``benchmarks/run.py`` and
``docs/make_screenshots.py`` all start Chromium and the dashboard the same way:

    from tests.browser import chromium, start_dashboard   # outside pytest
    from browser import start_dashboard                   # inside tests/ (pytest puts tests/ first)

Chromium is Debian's (``/usr/bin/chromium``, or ``$CHROMIUM``) driven by Playwright with
``executable_path``; Playwright's own browser download is never used. Every wait here waits on
a condition (the health endpoint answers, Streamlit's script has stopped), never a fixed time.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
#: Without the background-networking flags Chromium tries outside hosts on start.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
#: Longest wait for the dashboard's health endpoint, in seconds (a loaded 2-core machine).
SERVER_START_S = 60
#: Selector that matches once Streamlit has finished running the script.
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


class ServerDidNotStart(RuntimeError):
    """The dashboard server exited or did not answer its health check in time."""


def chromium_missing_reason() -> str | None:
    """Why browser tests cannot run here, or None when Chromium and Playwright are present."""
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        return f"no Chromium at {CHROMIUM} (install Debian's chromium, or set CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


def chromium_or_skip() -> None:
    """Skip the calling test with the reason where no Chromium is found; fail if ``CI=true``."""
    import pytest

    reason = chromium_missing_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)


def launch(playwright: Any) -> Any:
    """Launch headless Chromium from a started Playwright with the project's flags."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium for scripts (benchmarks, screenshots); raises where none is found."""
    reason = chromium_missing_reason()
    if reason:
        raise RuntimeError(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            yield browser
        finally:
            browser.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(
    url: str, proc: subprocess.Popen[bytes], *, timeout: float = SERVER_START_S
) -> float:
    """Poll Streamlit's health endpoint under ``url`` until it answers; return the seconds taken.

    Raises ServerDidNotStart if the process exits first or ``timeout`` passes.
    """
    start = time.monotonic()
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - start
        except OSError:
            pass
        if proc.poll() is not None:
            raise ServerDidNotStart(f"the server exited with code {proc.returncode}")
        if time.monotonic() - start > timeout:
            raise ServerDidNotStart(f"no answer from {url}/_stcore/health after {timeout:.0f} s")
        time.sleep(0.05)  # polling interval of the condition, not a wait for a fixed time


def dashboard_argv(file: str | os.PathLike[str], port: int) -> list[str]:
    """The command `stakeholder-explorer app FILE --port PORT` runs."""
    from explorer.cli import app_argv

    return app_argv(file, port)


@contextmanager
def start_dashboard(
    file: str | os.PathLike[str] | None = None,
    *,
    cwd: str | os.PathLike[str] | None = None,
    log_path: str | os.PathLike[str] | None = None,
    argv: Sequence[str] | None = None,
    port: int | None = None,
    timeout: float = SERVER_START_S,
) -> Iterator[str]:
    """Serve the dashboard on ``file`` as `stakeholder-explorer app` does; yield its URL.

    ``argv`` replaces the command (for a bare Streamlit script, say); ``{port}`` in it is
    replaced by the chosen port. Waits for the health endpoint, raises ServerDidNotStart with
    the server's log if it does not come up, and stops the server afterwards.
    """
    port = port or free_port()
    if argv is None:
        if file is None:
            from explorer import bundled_map

            file = bundled_map()
        command = dashboard_argv(file, port)
    else:
        command = [part.replace("{port}", str(port)) for part in argv]
    env = {**os.environ, "STAKEHOLDER_EXPLORER_FILE": ""}
    log_file = Path(log_path) if log_path else None
    log = log_file.open("wb") if log_file else subprocess.DEVNULL
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=cwd or ROOT, env=env)
    try:
        try:
            wait_healthy(url, proc, timeout=timeout)
        except ServerDidNotStart as error:
            text = log_file.read_text(errors="replace") if log_file else "(no log kept)"
            raise ServerDidNotStart(
                f"the dashboard server did not start: {error}\n{text}"
            ) from None
        yield url
    finally:
        stop(proc)
        if log_file and not isinstance(log, int):
            log.close()


def stop(proc: subprocess.Popen[Any]) -> None:
    """Stop a server this process started: terminate, then kill if it lingers."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def wait_for_app_idle(page: Any, *, timeout_ms: int = 60_000) -> None:
    """Wait until Streamlit has finished running the script behind ``page``.

    A click that asks for a rerun starts it a moment later, so first give the run a chance to
    start (it may also have started and ended already), then wait for the idle state.
    """
    try:
        page.wait_for_selector(
            '[data-testid="stApp"][data-test-script-state="running"]', timeout=1_000
        )
    except Exception:  # noqa: BLE001 - the run may be over before we look
        pass
    page.wait_for_selector(APP_IDLE, timeout=timeout_ms)


# --- the graph frame: where an actor is drawn, and clicking it ------------------------------


def on_screen(page: Any, frame: Any, *actors: str) -> tuple[float, float]:
    """Page coordinates of an actor (or the midpoint of two, on the line between them)."""
    element = frame.frame_element() if frame.parent_frame else None
    box = element.bounding_box() if element else {"x": 0, "y": 0}
    points = frame.evaluate(
        """(ids) => ids.map((a) => { const p = network.canvasToDOM(network.getPositions([a])[a]);
        const r = network.body.container.getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; })""",
        list(actors),
    )
    x = sum(p[0] for p in points) / len(points)
    y = sum(p[1] for p in points) / len(points)
    return box["x"] + x, box["y"] + y


def click_actor(page: Any, frame: Any, actor: str, *, attempts: int = 3) -> None:
    """Click an actor in the graph and wait until the page has selected that very actor.

    The place is read again before each of up to ``attempts`` clicks: the page refits its view
    when its frame is resized (for instance when a scroll bar appears beside it), which may
    happen between reading a place and clicking it. A click that missed selects nothing or
    another actor; the next attempt clicks again.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    selected = f'body[data-selected="actor:{actor}"]'
    for attempt in range(attempts):
        page.mouse.click(*on_screen(page, frame, actor))
        try:
            frame.wait_for_selector(selected, state="attached", timeout=5_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
