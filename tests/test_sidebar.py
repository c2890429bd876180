"""The sidebar made from the filter metadata, the scenario picker and the honest count line."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_scenarios import MAP

from explorer.cli import APP_SCRIPT
from explorer.filters import filter_fields


@pytest.fixture
def app(
    write_yaml: Callable[[str, str], Path], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., AppTest]:
    def start(text: str = MAP, query: dict[str, str] | None = None) -> AppTest:
        monkeypatch.setenv("STAKEHOLDER_EXPLORER_FILE", str(write_yaml(text, "map.yaml")))
        at = AppTest.from_file(str(APP_SCRIPT), default_timeout=60)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, at.exception
        return at

    return start


def count_line(at: AppTest) -> tuple[str, str]:
    """The bold counts and what the view hides, as the view line shows them (one line:
    counts · note · file)."""
    line = next(md.value for md in at.markdown if " of " in md.value and "actors" in md.value)
    counts, note, *_ = re.sub(r"\\(.)", r"\1", line).split(" · ")
    return counts.strip("*"), note


def test_every_filter_has_its_widget(app: Callable[..., AppTest]) -> None:
    at = app()
    keys = {w.key for w in at.sidebar if getattr(w, "key", None)}
    for f in filter_fields():
        assert ("f_status" if f.name == "statuses" else f"f_{f.name}") in keys, f.name


def test_the_count_line_names_the_date_and_what_it_hides(app: Callable[..., AppTest]) -> None:
    at = app()
    assert count_line(at) == (
        "3 of 3 actors, 2 of 6 relations",
        "as of 2021-09, the latest date in the file: 1 ended relation hidden; "
        "3 relations of 2 named scenarios hidden",
    )
    assert not any("no filters" in c.value for c in at.caption)
    at.button(key="all_periods").click().run()
    assert at.selectbox(key="f_as_of").value == "all"
    assert at.query_params["as_of"] == "all"
    assert count_line(at) == (
        "3 of 3 actors, 3 of 6 relations",
        "all periods; 3 relations of 2 named scenarios hidden",
    )
    assert "all_periods" not in [b.key for b in at.button]  # nothing left to show


def test_the_scenario_picker_shows_a_scenario_and_keeps_it_in_the_url(
    app: Callable[..., AppTest],
) -> None:
    at = app()
    picker = at.selectbox(key="f_scenario")
    assert picker.options == [
        "main forecast (no scenario)",
        "China recognises the Taliban",
        "The Taliban lean to China (replaces the main forecast)",
        "every scenario at once (for curating)",
    ]
    picker.set_value("alienated").run()
    assert at.query_params["scenario"] == "alienated"
    assert count_line(at)[0] == "3 of 3 actors, 3 of 6 relations"
    assert "scenario: The Taliban lean to China (it replaces the main forecast" in count_line(at)[1]
    again = app(query={"scenario": "recognition"})
    assert again.selectbox(key="f_scenario").value == "recognition"
    assert count_line(again)[0] == "3 of 3 actors, 3 of 6 relations"
    unknown = app(query={"scenario": "nonsense"})
    assert unknown.selectbox(key="f_scenario").value == ""  # the main forecast
    assert "scenario" not in unknown.query_params


def test_a_map_without_scenarios_shows_no_picker(app: Callable[..., AppTest]) -> None:
    plain = (
        MAP.split("scenarios:")[0] + "actors:" + MAP.split("actors:")[1].split("  - source: cn")[0]
    )
    at = app(plain)
    assert not [w for w in at.sidebar if getattr(w, "key", None) == "f_scenario"]
    assert (
        count_line(at)[1] == "as of 2021-09, the latest date in the file: 1 ended relation hidden"
    )


def test_the_downloads_caption_names_the_date_and_what_it_hides(
    app: Callable[..., AppTest],
) -> None:
    at = app()
    at.session_state["main_tab"] = "Download"
    at.run()
    captions = [c.value for c in at.caption if c.value.startswith("Downloads show")]
    assert (
        captions
        and "as of 2021\\-09, the latest date in the file: 1 ended relation hidden" in (captions[0])
    )
