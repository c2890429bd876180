"""Shared fixtures: small stakeholder files, the CLI runner and a headless Chromium.

Browser launch flags, ``free_port`` and the dashboard server live in ``tests/browser.py``
(shared with ``benchmarks/`` and ``docs/make_screenshots.py``); the fixtures here wrap them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser import ServerDidNotStart, chromium_or_skip, free_port, launch, start_dashboard

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"

__all__ = ["FIXTURES", "ROOT", "CliResult", "RunCli", "dashboard_server", "free_port"]


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write dedented YAML text to a file in ``tmp_path`` and return its path."""

    def write(text: str, name: str = "map.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@dataclass(frozen=True)
class CliResult:
    """What one `stakeholder-explorer` command did: unpacks as ``code, out, err``."""

    code: int
    out: str
    err: str
    result: Any

    @property
    def exit_code(self) -> int:
        return self.code

    @property
    def stdout(self) -> str:
        return self.out

    @property
    def stderr(self) -> str:
        return self.err

    @property
    def output(self) -> str:
        """stdout and stderr as the terminal shows them, interleaved."""
        return str(self.result.output)

    @property
    def exception(self) -> BaseException | None:
        return self.result.exception  # type: ignore[no-any-return]

    def __getitem__(self, index: int) -> Any:
        return (self.code, self.out, self.err)[index]

    def __iter__(self) -> Iterator[Any]:
        return iter((self.code, self.out, self.err))


def invoke(*args: str, input: str | bytes | None = None, **kwargs: Any) -> CliResult:
    """Run `stakeholder-explorer ARGS...` in process through click's test runner."""
    from click.testing import CliRunner

    from explorer.cli import main

    result = CliRunner().invoke(main, list(args), input=input, **kwargs)
    return CliResult(result.exit_code, result.stdout, result.stderr, result)


#: The type of the ``cli_runner`` fixture, for test signatures.
RunCli = Callable[..., CliResult]


@pytest.fixture
def cli_runner() -> RunCli:
    """``cli_runner("validate", path)`` runs the CLI in process; ``code, out, err = ...``."""
    return invoke


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A headless Chromium driven by Playwright; skips where none is found, unless CI=true."""
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch(p)
        try:
            yield chromium
        finally:
            chromium.close()


@contextmanager
def dashboard_server(file: Path, cwd: Path, log_path: Path) -> Iterator[str]:
    """Serve the real dashboard on ``file`` as `stakeholder-explorer app` does; yield its URL.

    Waits for Streamlit's health check, fails the test with the server's log if it does not
    come up, and stops the server afterwards.
    """
    try:
        with start_dashboard(file, cwd=cwd, log_path=log_path) as url:
            yield url
    except ServerDidNotStart as error:
        pytest.fail(str(error))


@pytest.fixture
def small_map_served(browser: object, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The dashboard on a copy of ``data/examples/small-example.yaml``: its URL and the copy."""
    import shutil

    path = tmp_path / "map.yaml"
    shutil.copyfile(ROOT / "data" / "examples" / "small-example.yaml", path)
    with dashboard_server(path, path.parent, path.with_name("server.log")) as url:
        yield url, path
