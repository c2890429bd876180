"""The dashboard says what it did not honour: link parameters and filters of another map.

A link's unknown or malformed parameters, and filters of the previous map that an opened
file cannot use, used to be dropped silently (the full map shown as if nothing was asked).
Now one line names them, with "Reset all filters".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explorer.cli import APP_SCRIPT

MAP = """
format: stakeholder-explorer/1
title: Four actors
actors:
  - {id: a, name: Aland, kind: state}
  - {id: b, name: Bland, kind: state}
  - {id: c, name: Cee, kind: person}
  - {id: d, name: Dorg, kind: organization}
relations:
  - {source: a, target: b, type: ally_of}
  - {source: a, target: c, type: hostile_to}
  - {source: c, target: d, type: hostile_to}
"""

#: Another map: no person, no organization; negative relations still.
OTHER = """
format: stakeholder-explorer/1
title: Two states
actors:
  - {id: x, name: Xland, kind: state}
  - {id: y, name: Yland, kind: state}
relations:
  - {source: x, target: y, type: hostile_to}
"""


def plain(markdown: str) -> str:
    """What a markdown slot shows: no backslash escapes, no invisible word joiners."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


@pytest.fixture
def start(
    write_yaml: Callable[[str, str], Path], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., AppTest]:
    def run(query: dict[str, str] | None = None) -> AppTest:
        monkeypatch.setenv("STAKEHOLDER_EXPLORER_FILE", str(write_yaml(MAP, "map.yaml")))
        at = AppTest.from_file(str(APP_SCRIPT), default_timeout=60)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, at.exception
        return at

    return run


def warnings(at: AppTest) -> list[str]:
    return [plain(w.value) for w in at.warning]


def test_a_links_unknown_and_malformed_parameters_are_named(start: Callable[..., AppTest]) -> None:
    at = start(
        {
            "min_strength": "9",
            "as_of": "banana",
            "focus": "nobody",
            "kinds": "state,spaceship",
            "signs": "negative",
            "colour": "mauve",
        }
    )
    assert (
        "Ignored from the link: min_strength=9, as_of=banana, focus=nobody, kinds=spaceship, "
        "colour=mauve"
    ) in warnings(at)
    # What the link asked for and the map has is kept.
    assert at.query_params["signs"] == "negative" and at.query_params["kinds"] == "state"
    # Reset all filters clears the filters and the line.
    at.button(key="reset_carried").click().run()
    assert not any(w.startswith("Ignored from the link") for w in warnings(at))
    assert "signs" not in at.query_params


def test_a_link_that_is_fully_honoured_says_nothing(start: Callable[..., AppTest]) -> None:
    at = start({"signs": "negative", "layout": "spring", "size": "degree"})
    assert warnings(at) == []


def test_another_map_keeps_the_filters_it_can_use_and_names_the_rest(
    start: Callable[..., AppTest],
) -> None:
    at = start({"signs": "negative", "kinds": "person,organization"})
    assert warnings(at) == []
    at.get("file_uploader")[0].set_value(("two.yaml", OTHER.encode(), "application/yaml"))
    at.run()
    assert not at.exception, at.exception
    assert (
        "Kept the filters this map can use: signs=negative. Dropped: kinds=organization,person."
    ) in warnings(at)
    assert at.query_params["signs"] == "negative" and "kinds" not in at.query_params


def test_a_bad_upload_names_the_kept_map_by_its_file_name_only(
    start: Callable[..., AppTest],
) -> None:
    at = start()
    at.get("file_uploader")[0].set_value(("bad.yaml", b"format: [unclosed\n", "application/yaml"))
    at.run()
    # The map the server started with lives in a folder of the server's: not shown.
    assert "Still showing the last valid map, map.yaml." in warnings(at)
    assert not any("/" in line for line in warnings(at))


def test_a_minimum_of_sources_above_the_maps_most_is_brought_down_and_said(
    start: Callable[..., AppTest],
) -> None:
    at = start()
    box = at.number_input(key="f_min_sources")
    # No upper bound in the browser: it would keep a red error beside a number the server
    # never received, which Reset all filters could not clear.
    assert box.max is None
    box.set_value(9).run()
    assert at.number_input(key="f_min_sources").value == 1  # this map's relations: none cited
    assert any("At most 1 here" in c.value for c in at.sidebar.caption)
    at.button(key="reset").click().run()
    assert at.number_input(key="f_min_sources").value == 0
    assert not any("At most" in c.value for c in at.sidebar.caption)
