"""The dashboard under Streamlit's AppTest: every control changes what is shown.

The map below is small enough to count by hand. Its latest date is 2021-12-31 (the last day
of the ``since: 2021`` relations), so by default the hostility that ended in 2020-06 is
hidden: the default view is 5 of 5 actors and 4 of 5 relations.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from explorer.cli import APP_SCRIPT

MAP = """
format: stakeholder-explorer/1
title: Five actors
sources:
  - {id: s1, title: First report, url: "https://example.org/one"}
  - {id: s2, title: Second report, url: "javascript:alert(1)"}
actors:
  - {id: a, name: Aland, kind: state, aliases: [the A]}
  - {id: b, name: Bland, kind: state}
  - {id: c, name: Cgroup, kind: armed_group, description: Fighters in the hills}
  - {id: d, name: Dee, kind: person}
  - {id: e, name: Eorg, kind: organization}
relations:
  - source: a
    target: b
    type: ally_of
    since: 2020
    confidence: high
    strength: 3
    evidence:
      - {source: s1, quote: A and B signed a pact}
      - {source: s2, quote: The pact holds}
  - source: a
    target: c
    type: hostile_to
    since: 2019
    until: 2020-06
    strength: 2
    evidence:
      - {source: s1, quote: A fought C}
  - source: b
    target: c
    type: supports
    status: projected
    confidence: low
    strength: 1
    since: 2021
  - source: c
    target: d
    type: attacks
    since: 2021-03
    confidence: high
    evidence:
      - {source: s2, quote: C attacked Dee}
  - source: d
    target: a
    type: influences
    since: 2021
"""

COUNTS = re.compile(r"(\d+) of (\d+) actors, (\d+) of (\d+) relations")


@pytest.fixture
def app(
    write_yaml: Callable[[str, str], Path], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., AppTest]:
    """Start the dashboard script on MAP (or given text), with optional URL query params."""

    def start(text: str = MAP, query: dict[str, str] | None = None) -> AppTest:
        path = write_yaml(text, "map.yaml")
        monkeypatch.setenv("STAKEHOLDER_EXPLORER_FILE", str(path))
        at = AppTest.from_file(str(APP_SCRIPT), default_timeout=60)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, at.exception
        return at

    return start


def counts(at: AppTest) -> tuple[int, int, int, int]:
    """The "N of M actors, K of L relations" line."""
    for md in at.markdown:
        match = COUNTS.search(md.value)
        if match:
            return tuple(int(x) for x in match.groups())  # type: ignore[return-value]
    raise AssertionError("no counts line on the page")


def plain(markdown: str) -> str:
    """What a markdown slot shows: the text without its backslash escapes."""
    return re.sub(r"\\(.)", r"\1", markdown)


def graph_frames(at: AppTest) -> list[Any]:
    """The graph page components of the run (one, or none when nothing is drawn)."""
    return [
        c
        for c in at.get("bidi_component")
        if c.proto.component_name == "stakeholder_explorer_graph"
    ]


def graph_data(at: AppTest) -> dict[str, Any]:
    """The view the graph page received in the last run (what it draws)."""
    frames = graph_frames(at)
    assert len(frames) == 1
    return json.loads(json.loads(frames[0].proto.json)["view"])


def graph_options(at: AppTest) -> dict[str, Any]:
    return graph_data(at)["options"]


def shown(at: AppTest) -> tuple[set[str], set[tuple[str, str]]]:
    """Actors and (source, target) of the relations drawn, one line per relation."""
    data = graph_data(at)
    return {n["id"] for n in data["nodes"]}, {(e["a"], e["b"]) for e in data["each"]}


def open_tab(at: AppTest, tab: str) -> None:
    """Open one of the main tabs (its tables are built only while it is open)."""
    if at.session_state["main_tab"] != tab:
        at.session_state["main_tab"] = tab
        at.run()


def table(at: AppTest, tab: str, index: int = 0) -> list[dict[str, Any]]:
    """The rows of the ``index``-th table of a tab, opened first."""
    open_tab(at, tab)
    return at.dataframe[index].value.to_dict("records")


def test_default_view_counts_and_graph(app: Callable[..., AppTest]) -> None:
    at = app()
    assert counts(at) == (5, 5, 4, 5)
    nodes, edges = shown(at)
    assert nodes == set("abcde")
    assert edges == {("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")}
    assert any(
        'class="se-title"' in h.proto.body and "Five actors" in h.proto.body for h in at.get("html")
    )
    assert not at.error


@pytest.mark.parametrize(
    ("key", "value", "expected", "edges"),
    [
        ("f_kinds", ["state"], (2, 5, 1, 5), {("a", "b")}),
        ("f_types", ["attacks"], (5, 5, 1, 5), {("c", "d")}),
        ("f_signs", ["negative"], (5, 5, 1, 5), {("c", "d")}),
        ("f_signs", ["neutral"], (5, 5, 1, 5), {("d", "a")}),
        ("f_sources", ["s2"], (5, 5, 2, 5), {("a", "b"), ("c", "d")}),
    ],
)
def test_multiselect_filters(
    app: Callable[..., AppTest],
    key: str,
    value: list[str],
    expected: tuple[int, ...],
    edges: set[tuple[str, str]],
) -> None:
    at = app()
    at.multiselect(key=key).set_value(value).run()
    assert counts(at) == expected
    assert shown(at)[1] == edges


def test_status_radio(app: Callable[..., AppTest]) -> None:
    at = app()
    at.radio(key="f_status").set_value("projected").run()
    assert counts(at) == (5, 5, 1, 5)
    assert shown(at)[1] == {("b", "c")}
    at.radio(key="f_status").set_value("observed").run()
    assert counts(at) == (5, 5, 3, 5)


def test_minimum_confidence_and_strength(app: Callable[..., AppTest]) -> None:
    at = app()
    at.select_slider(key="f_min_confidence").set_value("high").run()
    assert shown(at)[1] == {("a", "b"), ("c", "d")}
    at.slider(key="f_min_strength").set_value(3).run()
    assert counts(at) == (5, 5, 1, 5)
    assert shown(at)[1] == {("a", "b")}


def test_as_of_date(app: Callable[..., AppTest]) -> None:
    at = app()
    box = at.selectbox(key="f_as_of")
    assert "2019" in box.options and "2020-06" in box.options
    box.set_value("all").run()
    assert counts(at) == (5, 5, 5, 5)
    at.selectbox(key="f_as_of").set_value("2019").run()
    assert shown(at)[1] == {("a", "c")}  # only the hostility was in force in 2019


def test_minimum_number_of_sources(app: Callable[..., AppTest]) -> None:
    at = app()
    at.number_input(key="f_min_sources").set_value(2).run()
    assert counts(at) == (5, 5, 1, 5)
    assert shown(at)[1] == {("a", "b")}


def test_search_by_alias_keeps_neighbours(app: Callable[..., AppTest]) -> None:
    at = app()
    at.text_input(key="f_search").input("the a").run()
    assert counts(at) == (3, 5, 2, 5)
    assert shown(at)[0] == {"a", "b", "d"}


def test_focus_and_radius(app: Callable[..., AppTest]) -> None:
    at = app()
    at.selectbox(key="f_focus").set_value("c").run()
    assert shown(at)[0] == {"b", "c", "d"}
    assert counts(at) == (3, 5, 2, 5)
    at.slider(key="f_radius").set_value(2).run()
    assert counts(at) == (4, 5, 4, 5)
    # The view line under the title names the focus actor, not its id.
    line = plain(next(m.value for m in at.markdown if COUNTS.search(m.value)))
    assert "Filters: focus: Cgroup; radius: 2" in line and "focus: c;" not in line


def test_hide_isolated_actors(app: Callable[..., AppTest]) -> None:
    at = app()
    at.checkbox(key="f_hide_isolates").check().run()
    assert counts(at) == (4, 5, 4, 5)
    assert "e" not in shown(at)[0]


def test_positions_do_not_move_when_a_filter_hides_actors(app: Callable[..., AppTest]) -> None:
    at = app()
    before = {n["id"]: (n["x"], n["y"]) for n in graph_data(at)["nodes"]}
    at.multiselect(key="f_kinds").set_value(["state"]).run()
    after = {n["id"]: (n["x"], n["y"]) for n in graph_data(at)["nodes"]}
    assert set(after) == {"a", "b"}
    assert all(after[n] == before[n] for n in after)


def test_size_measure_layout_and_physics(app: Callable[..., AppTest]) -> None:
    at = app()
    sizes = {n["id"]: n["size"] for n in graph_data(at)["nodes"]}
    # By degree over the whole map: Aland has 3 relations, Eorg none.
    assert sizes["a"] > sizes["d"] > sizes["e"]
    from explorer.app.sidebar import measures

    other = next(m for m in measures() if m != "degree")
    at.selectbox(key="d_size").set_value(other).run()
    open_tab(at, "Actors")
    assert at.dataframe[0].value.columns.tolist()[3] == measures()[other][0] != "Degree"
    before = {n["id"]: (n["x"], n["y"]) for n in graph_data(at)["nodes"]}
    at.selectbox(key="d_layout").set_value("circular").run()
    after = {n["id"]: (n["x"], n["y"]) for n in graph_data(at)["nodes"]}
    assert after != before
    assert graph_options(at)["physics"] is False
    at.checkbox(key="d_physics").check().run()
    assert graph_options(at)["physics"] is True
    assert at.query_params["layout"] == "circular" and at.query_params["physics"] == "1"


def test_reset_returns_to_the_default_view(app: Callable[..., AppTest]) -> None:
    at = app()
    at.multiselect(key="f_signs").set_value(["negative"]).run()
    at.checkbox(key="f_hide_isolates").check().run()
    assert counts(at) == (2, 5, 1, 5)
    at.button(key="reset").click().run()
    assert counts(at) == (5, 5, 4, 5)
    assert not at.query_params


def test_filters_are_written_to_the_url(app: Callable[..., AppTest]) -> None:
    at = app()
    at.multiselect(key="f_signs").set_value(["negative", "neutral"]).run()
    at.select_slider(key="f_min_confidence").set_value("medium").run()
    assert at.query_params["signs"] == "negative,neutral"
    assert at.query_params["min_confidence"] == "medium"


def test_a_shared_url_restores_the_view(app: Callable[..., AppTest]) -> None:
    at = app(query={"focus": "c", "radius": "2", "signs": "negative,positive"})
    assert at.selectbox(key="f_focus").value == "c"
    assert at.multiselect(key="f_signs").value == ["negative", "positive"]
    # c's neighbourhood within 2 steps over positive and negative relations: b, c, d, and a
    # through b (the neutral influence d -> a is filtered out).
    assert shown(at)[0] == {"a", "b", "c", "d"}
    assert shown(at)[1] == {("a", "b"), ("b", "c"), ("c", "d")}


def test_unknown_values_in_a_shared_url_are_ignored(app: Callable[..., AppTest]) -> None:
    at = app(query={"kinds": "state,planet", "min_strength": "9", "focus": "nobody"})
    assert at.multiselect(key="f_kinds").value == ["state"]
    assert counts(at) == (2, 5, 1, 5)


def test_tables_of_actors_and_relations_in_view(app: Callable[..., AppTest]) -> None:
    at = app()
    at.multiselect(key="f_kinds").set_value(["state", "armed_group"]).run()
    # Each tab's tables are built while it is open: actors; relations, then sources.
    actors = table(at, "Actors")
    relations = table(at, "Relations")
    assert {r["name"] for r in actors} == {"Aland", "Bland", "Cgroup"}
    assert {(r["source"], r["target"]) for r in relations} == {
        ("Aland", "Bland"),
        ("Bland", "Cgroup"),
    }
    pact = next(r for r in relations if r["target"] == "Bland")
    assert pact["quotes"].splitlines() == [
        "\u201cA and B signed a pact\u201d \u2014 First report",
        "\u201cThe pact holds\u201d \u2014 Second report",
    ]
    assert pact["sources"] == 2 and pact["sign"] == "+ positive"


def test_only_http_source_urls_become_links(app: Callable[..., AppTest]) -> None:
    at = app()
    sources = {r["id"]: r["link"] for r in table(at, "Relations", 1)}
    assert sources["s1"] == "https://example.org/one"
    assert not isinstance(sources["s2"], str)  # a javascript: URL is not offered as a link


def test_details_panel_groups_relations_by_sign_and_focuses(
    app: Callable[..., AppTest],
) -> None:
    at = app()
    at.selectbox(key="details_actor").set_value("c").run()
    panel_text = [t.value for t in at.text]
    assert "Armed group" in panel_text and "Fighters in the hills" in panel_text
    headings = [m.value for m in at.markdown]
    assert "**Positive relations (1)**" in headings
    assert "**Negative relations (1)**" in headings
    at.select_slider(key="details_radius").set_value(2).run()
    at.button(key="details_focus").click().run()
    assert at.selectbox(key="f_focus").value == "c"
    assert counts(at) == (4, 5, 4, 5)
    assert at.query_params["focus"] == "c" and at.query_params["radius"] == "2"


def test_download_buttons_for_the_current_view(app: Callable[..., AppTest]) -> None:
    at = app()
    labels = [b.proto.label for b in at.get("download_button")]
    assert any("PNG" in label for label in labels)
    assert any("GRAPHML" in label for label in labels)


def test_invalid_file_shows_every_error_without_traceback(
    app: Callable[..., AppTest],
) -> None:
    broken = MAP.replace("type: attacks", "type: atacks").replace("kind: person", "kind: persn")
    at = app(broken)
    lines = [plain(e.value) for e in at.error]
    assert any(re.search(r"map\.yaml:\d+:\d+: relations\[3\]\.type: unknown", x) for x in lines)
    assert any(re.search(r"map\.yaml:\d+:\d+: actors\[3\]\.kind: unknown", x) for x in lines)
    assert not at.exception
    assert not graph_frames(at)


def test_last_valid_map_stays_when_the_file_breaks(
    app: Callable[..., AppTest], write_yaml: Callable[[str, str], Path]
) -> None:
    at = app()
    at.multiselect(key="f_kinds").set_value(["state"]).run()
    write_yaml(MAP + "  - {source: a, target: zz, type: ally_of}\n", "map.yaml")
    at.run()
    assert any("unknown actor 'zz'" in plain(e.value) for e in at.error)
    assert any("last valid map" in w.value for w in at.warning)
    assert counts(at) == (2, 5, 1, 5)  # the old map, with its filters, is still shown
    assert not at.exception


def test_upload_opens_another_map_and_a_bad_upload_keeps_it(
    app: Callable[..., AppTest],
) -> None:
    at = app()
    smaller = MAP.split("relations:")[0] + "relations: []\n"
    at.get("file_uploader")[0].set_value(("other.yaml", smaller.encode(), "application/yaml"))
    at.run()
    assert counts(at) == (5, 5, 0, 0)
    at.get("file_uploader")[0].set_value(("bad.yaml", b"format: [unclosed\n", "application/yaml"))
    at.run()
    assert any(re.match(r"bad\.yaml:\d+:\d+: yaml: ", plain(e.value)) for e in at.error)
    assert counts(at) == (5, 5, 0, 0)


def test_file_text_is_shown_as_text(app: Callable[..., AppTest]) -> None:
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    at = app(MAP.replace("name: Cgroup", f"name: '{hostile}'"))
    sent = graph_frames(at)[0].proto.json  # the view and, on a first run, the page itself
    assert "<script>alert" not in sent and "<img src=x" not in sent
    assert hostile in {n["name"] for n in graph_data(at)["nodes"]}
    assert hostile in {r["name"] for r in table(at, "Actors")}


def test_app_command_argv_serves_locally_without_usage_stats(tmp_path: Path) -> None:
    from explorer.cli import SERVER_SCRIPT, app_argv

    argv = app_argv(tmp_path / "m.yaml", 8600)
    assert argv[1:5] == ["-m", "streamlit", "run", str(SERVER_SCRIPT)]
    options = dict(zip(argv[5:-2:2], argv[6:-2:2], strict=True))
    assert options["--server.address"] == "127.0.0.1"
    assert options["--server.port"] == "8600"
    assert options["--browser.gatherUsageStats"] == "false"
    assert options["--server.enableXsrfProtection"] == "true"
    assert argv[-2:] == ["--", str(tmp_path / "m.yaml")]
    assert APP_SCRIPT.is_file() and SERVER_SCRIPT.is_file()


def test_app_command_refuses_a_missing_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from explorer.cli import main

    result = CliRunner().invoke(main, ["app", str(tmp_path / "nothing.yaml")])
    assert result.exit_code == 1
    assert result.output.strip() == f"{tmp_path / 'nothing.yaml'}: no such file"


def test_app_command_prints_the_address_then_runs_streamlit(
    tmp_path: Path, write_yaml: Callable[[str, str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from explorer import cli
    from explorer.cli import main

    path = write_yaml(MAP, "map.yaml")
    calls: list[list[str]] = []
    envs: list[dict[str, str]] = []

    def fake_serve(argv: list[str], env: dict[str, str]) -> None:
        # The command becomes the server (exec), so that signals reach it; record instead.
        calls.append(argv)
        envs.append(env)

    monkeypatch.setattr(cli, "serve", fake_serve)
    result = CliRunner().invoke(main, ["app", str(path), "--port", "8612"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("Stakeholder Explorer: http://127.0.0.1:8612")
    assert calls and calls[0][-1] == str(path.resolve()) and "8612" in calls[0]
    assert "STAKEHOLDER_EXPLORER_READ_ONLY" not in envs[0]
    # --read-only reaches the dashboard's Edit mode.
    assert CliRunner().invoke(main, ["app", str(path), "--read-only"]).exit_code == 0
    assert envs[1]["STAKEHOLDER_EXPLORER_READ_ONLY"] == "1"


def test_markdown_in_file_text_is_not_interpreted(app: Callable[..., AppTest]) -> None:
    name = "**Bold** :red[x] :material/home: [link](https://e.org)"
    at = app(MAP.replace("name: Cgroup", f"name: '{name}'").replace("type: attacks", "type: atack"))
    error = next(e.value for e in at.error if "atack" in plain(e.value))
    assert "**" not in error.replace("\\*", "") and ":red[" not in error  # escaped...
    assert ":material/" not in error
    at = app(MAP.replace("name: Cgroup", f"name: '{name}'"))
    at.selectbox(key="details_actor").set_value("c").run()
    heading = next(h.proto.body for h in at.get("html") if "se-details-name" in h.proto.body)
    assert ">**Bold** :red[x] :material/home: [link](https://e.org)</h3>" in heading


def test_an_upload_that_is_not_yaml_is_refused_by_name(app: Callable[..., AppTest]) -> None:
    at = app()
    at.get("file_uploader")[0].set_value(("notes.txt", MAP.encode(), "text/plain"))
    at.run()
    assert not at.exception
    lines = [plain(e.value) for e in at.error]
    assert "notes.txt:1:1: file: only YAML files (.yaml or .yml) can be opened here" in lines
    assert counts(at) == (5, 5, 4, 5)


def test_the_analysis_runs_only_while_its_tab_is_open(app: Callable[..., AppTest]) -> None:
    at = app()
    closed = len(at.dataframe)
    assert any("analysis runs when this tab is open" in c.value for c in at.caption)
    at.session_state["main_tab"] = "Analysis"
    at.run()
    assert not at.exception
    assert not any("analysis runs when this tab is open" in c.value for c in at.caption)
    assert len(at.dataframe) > closed  # the analysis tables
    assert counts(at) == (5, 5, 4, 5)  # the graph, counts and tables stay the same


def test_a_view_too_big_to_draw_is_listed_but_not_drawn(
    app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.app import graph_view

    monkeypatch.setattr(graph_view, "MAX_DRAWN_RELATIONS", 3)
    at = app()
    assert not graph_frames(at)
    assert any("too many to draw" in w.value for w in at.warning)
    assert len(table(at, "Relations")) == 4  # the relations table still holds the whole view
    at.session_state["main_tab"] = "Graph"
    at.multiselect(key="f_signs").set_value(["positive"]).run()
    assert len(graph_data(at)["each"]) == 2  # a narrower view is drawn again


def test_a_broken_upload_replacing_an_upload_keeps_the_uploaded_map(
    app: Callable[..., AppTest],
) -> None:
    at = app()
    smaller = MAP.split("relations:")[0] + "relations: []\n"
    uploader = at.get("file_uploader")[0]
    uploader.set_value(("other.yaml", smaller.encode(), "application/yaml"))
    at.run()
    assert counts(at) == (5, 5, 0, 0)
    # Replacing a file, the browser first clears the uploader (one run shows the start file),
    # then sends the new one.
    at.get("file_uploader")[0].set_value(None)
    at.run()
    assert counts(at) == (5, 5, 4, 5)
    at.get("file_uploader")[0].set_value(("bad.yaml", b"format: [unclosed\n", "text/yaml"))
    at.run()
    assert any(
        plain(w.value) == "Still showing the last valid map, other.yaml." for w in at.warning
    )
    assert counts(at) == (5, 5, 0, 0)


def test_a_big_view_draws_its_most_central_actors_and_a_control_raises_them(
    app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.app import graph_view as dashboard

    # Scaled down: "big" is more than 3 actors here, 3 are drawn at first, steps of 1.
    monkeypatch.setattr(dashboard, "DETAIL_ABOVE", 3)
    monkeypatch.setattr(dashboard, "DETAIL_DEFAULT", 3)
    monkeypatch.setattr(dashboard, "DETAIL_STEP", 1)
    at = app()
    assert counts(at) == (5, 5, 4, 5)  # the counts are about the whole view
    # Degree over the whole map: Aland 3, Cgroup 3, Bland 2, Dee 2 (ties by id), Eorg 0.
    nodes, edges = shown(at)
    assert nodes == {"a", "b", "c"}
    assert edges == {("a", "b"), ("b", "c")}  # the relations in view among them
    assert any(
        "Showing 3 of 5 actors (the most central by Degree) and the 2 relations among them"
        in info.value
        for info in at.info
    )
    # A big view's tables are built when their tab opens, and hold the whole view.
    assert not at.dataframe
    assert any("table of 5 actors is built when this tab is open" in c.value for c in at.caption)
    assert len(table(at, "Actors")) == 5
    assert len(table(at, "Relations")) == 4  # the actors table is gone, this is the relations
    at.session_state["main_tab"] = "Graph"
    at.run()
    at.number_input(key="d_top").set_value(4).run()
    assert shown(at)[0] == {"a", "b", "c", "d"}
    assert any("Showing 4 of 5 actors" in info.value for info in at.info)
    at.number_input(key="d_top").set_value(5).run()
    assert shown(at)[0] == set("abcde") and not at.info
    assert any("Drawing all 5 actors" in c.value for c in at.caption)
    # A view at or under the threshold is drawn whole, with no control.
    at.multiselect(key="f_kinds").set_value(["state", "person"]).run()
    assert counts(at)[:2] == (3, 5)
    assert shown(at)[0] == {"a", "b", "d"} and not at.get("number_input")[1:]


def test_the_level_of_detail_follows_the_size_measure(
    app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.app import graph_view as dashboard

    monkeypatch.setattr(dashboard, "DETAIL_ABOVE", 3)
    monkeypatch.setattr(dashboard, "DETAIL_DEFAULT", 2)
    monkeypatch.setattr(dashboard, "DETAIL_STEP", 1)
    at = app()
    assert shown(at)[0] == {"a", "c"}  # degree 3 each
    at.selectbox(key="d_size").set_value("out_degree").run()
    # Out-degree over the whole map (an undirected relation counts for both ends): Aland 2
    # (ally, hostile), Bland 2 (ally, supports), Cgroup 1, Dee 1.
    assert shown(at)[0] == {"a", "b"}
    assert any("most central by Out-degree" in info.value for info in at.info)


def test_no_more_actors_can_be_asked_for_than_can_be_drawn(
    app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.app import graph_view as dashboard

    monkeypatch.setattr(dashboard, "DETAIL_ABOVE", 3)
    monkeypatch.setattr(dashboard, "DETAIL_DEFAULT", 3)
    monkeypatch.setattr(dashboard, "DETAIL_STEP", 1)
    monkeypatch.setattr(dashboard, "MAX_DRAWN_ACTORS", 4)
    at = app()
    assert at.number_input(key="d_top").max == 4
    at.number_input(key="d_top").set_value(4).run()
    assert len(shown(at)[0]) == 4 and not at.warning
    assert any("Showing 4 of 5 actors" in info.value for info in at.info)


def test_a_picture_caption_names_the_focus_actor(write_yaml: Callable[[str, str], Path]) -> None:
    from explorer.filters import FilterSpec
    from explorer.formats import default_caption
    from explorer.graph import build_graph, filter_graph
    from explorer.load import load_dataset

    G = build_graph(load_dataset(write_yaml(MAP, "map.yaml")))
    spec = FilterSpec(focus="c")
    caption = default_caption(filter_graph(G, spec), spec)
    assert "(filters: focus: Cgroup)" in caption
