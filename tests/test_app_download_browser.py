"""The Download tab's pictures are the ones `stakeholder-explorer export` makes of the same view:
the same positions, the same camps (the figure's camp headings), the same sizes and caption."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import RunCli
from test_app_browser import download

pytestmark = pytest.mark.browser


def camp_headings(svg: str) -> list[str]:
    """The text of the figure's camp headings (matplotlib keeps the gid on their group)."""
    return re.findall(r'<g id="(camp-(?:heading-\w+|view))"', svg)


def test_a_downloaded_picture_is_the_cli_export_of_the_same_view(
    browser: Any, small_map_served: tuple[str, Path], cli_runner: RunCli, tmp_path: Path
) -> None:
    url, path = small_map_served
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        # A filtered view: the downloads follow it, as `export` does with the same filter.
        page.goto(url + "/?min_strength=2")
        page.wait_for_selector('iframe[title^="Graph of "]', timeout=60_000)
        page.get_by_role("tab", name="Download").click()
        svg = download(page, "Download SVG").read_text(encoding="utf-8")
        pdf = download(page, "Download PDF").read_bytes()
    finally:
        context.close()
    # The dashboard sizes actors by degree over the whole map: `--size-by degree`.
    out = tmp_path / "cli.svg"
    code, _, err = cli_runner(
        "export", str(path), "-o", str(out), "--min-strength", "2", "--size-by", "degree"
    )
    assert code == 0, err
    cli_svg = out.read_text(encoding="utf-8")
    headings = camp_headings(cli_svg)
    assert len(headings) >= 2, "the camps layout heads each camp in the figure"
    assert camp_headings(svg) == headings
    assert svg == cli_svg  # same actors, places, sizes, camps, caption: the same picture
    out_pdf = tmp_path / "cli.pdf"
    code, _, err = cli_runner(
        "export", str(path), "-o", str(out_pdf), "--min-strength", "2", "--size-by", "degree"
    )
    assert code == 0, err
    assert pdf == out_pdf.read_bytes()
