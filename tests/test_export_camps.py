"""The standalone HTML export carries the camps and the "colour by camp" control."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import RunCli

# Two camps: the United States and the Taliban against China and Pakistan.
MAP = """
format: stakeholder-explorer/1
title: camps
actors:
  - {id: us, name: United States, kind: state}
  - {id: taliban, name: Taliban, kind: armed_group}
  - {id: china, name: China, kind: state}
  - {id: pakistan, name: Pakistan, kind: state}
relations:
  - {source: us, target: taliban, type: cooperates_with}
  - {source: us, target: china, type: rival_of}
  - {source: taliban, target: china, type: rival_of}
  - {source: china, target: pakistan, type: ally_of}
"""


def page_data(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="view-data">(.*?)</script>', page)
    assert match, "the page carries no view data"
    return dict(json.loads(match.group(1)))


def camps_of(data: dict[str, Any]) -> set[frozenset[str]]:
    side = data["camps"]["side"]
    return {frozenset(a for a, s in side.items() if s == which) for which in (0, 1)}


def test_exported_page_colours_by_camp(
    cli_runner: RunCli, write_yaml: Callable[..., Path], tmp_path: Path
) -> None:
    source = write_yaml(MAP)
    out = tmp_path / "map.html"
    code, _, err = cli_runner("export", str(source), "-o", str(out))
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    data = page_data(page)
    assert data["camps"] is not None, "the exported page has no camp split"
    assert camps_of(data) == {frozenset({"us", "taliban"}), frozenset({"china", "pakistan"})}
    # Each camp is named after one of its own actors (the most central), by name.
    side = data["camps"]["side"]
    members = {w: {data["names"][a] for a, s in side.items() if s == w} for w in (0, 1)}
    assert all(data["camps"]["names"][which] in members[which] for which in (0, 1))
    assert data["camps"]["view"]  # the legend names the view the camps come from
    assert len(data["style"]["campFills"]) == 2
    assert 'id="by-camp"' in page and "colour by camp" in page


def test_exported_page_has_camps_whatever_the_layout(
    cli_runner: RunCli, write_yaml: Callable[..., Path], tmp_path: Path
) -> None:
    source = write_yaml(MAP)
    out = tmp_path / "map.html"
    code, _, err = cli_runner("export", str(source), "-o", str(out), "--layout", "spring")
    assert code == 0, err
    data = page_data(out.read_text(encoding="utf-8"))
    assert camps_of(data) == {frozenset({"us", "taliban"}), frozenset({"china", "pakistan"})}
