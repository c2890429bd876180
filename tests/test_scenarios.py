"""Named scenarios and honest time: what a view holds, what it hides, and how it says so."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import RunCli

from explorer.errors import ViewError
from explorer.filters import FilterSpec
from explorer.graph import build_graph, filter_graph, hidden_in, view_note, view_stats
from explorer.load import check_file, dump_dataset, load_dataset

MAP = """
format: stakeholder-explorer/1
title: Two futures
sources:
  - {id: article, title: The article, published: 2021-09}
scenarios:
  - id: recognition
    title: China recognises the Taliban
    description: The author's concession.
    evidence:
      - {source: article, quote: even if recognised by China}
  - id: alienated
    title: The Taliban lean to China
    replaces_main: true
actors:
  - {id: us, name: United States, kind: state}
  - {id: tb, name: Taliban, kind: armed_group}
  - {id: cn, name: China, kind: state}
relations:
  - source: us
    target: tb
    type: hostile_to
    since: 2001-10
    until: 2021-08
    evidence: [{source: article, quote: twenty years of war}]
  - source: us
    target: tb
    type: negotiates_with
    since: 2020
    evidence: [{source: article, quote: the talks}]
  - source: us
    target: tb
    type: ally_of
    status: projected
    evidence: [{source: article, quote: an alliance}]
  - source: cn
    target: tb
    type: ally_of
    status: projected
    scenario: recognition
    evidence: [{source: article, quote: even if recognised by China}]
  - source: tb
    target: cn
    type: supports
    status: projected
    scenario: alienated
    evidence: [{source: article, quote: leaning towards China}]
  - source: tb
    target: us
    type: hostile_to
    status: projected
    scenario: alienated
"""

ARTICLE = (
    "After twenty years of war, the talks led to an alliance, even if recognised by China. "
    "Alienated, the Taliban end up leaning towards China."
)


@pytest.fixture
def path(write_yaml: Callable[[str, str], Path]) -> Path:
    return write_yaml(MAP, "map.yaml")


def relations(H: object) -> set[str]:
    return {k for *_, k in H.edges(keys=True)}  # type: ignore[attr-defined]


def test_a_file_with_scenarios_loads_and_writes_back_the_same(path: Path) -> None:
    ds = load_dataset(path)
    assert [s.id for s in ds.scenarios] == ["recognition", "alienated"]
    assert ds.scenario_index["alienated"].replaces_main is True
    assert ds.relations[3].scenario == "recognition"
    again = path.with_name("again.yaml")
    again.write_text(dump_dataset(ds), encoding="utf-8")
    assert load_dataset(again) == ds
    assert (
        "replaces_main: true" in again.read_text() and "scenario: recognition" in again.read_text()
    )


def test_without_a_scenario_its_relations_are_hidden_and_counted(path: Path) -> None:
    G = build_graph(load_dataset(path))
    H = filter_graph(G)
    assert relations(H) == {"us__negotiates_with__tb", "us__ally_of__tb"}
    hidden = hidden_in(H)
    assert (hidden.ended, hidden.other_scenarios, hidden.scenarios) == (
        1,
        3,
        ("recognition", "alienated"),
    )
    assert view_note(H) == (
        "as of 2021-09, the latest date in the file: 1 ended relation hidden; "
        "3 relations of 2 named scenarios hidden"
    )


def test_a_scenario_adds_its_relations_to_the_main_forecast(path: Path) -> None:
    G = build_graph(load_dataset(path))
    H = filter_graph(G, FilterSpec(scenario="recognition"))
    assert relations(H) == {"us__negotiates_with__tb", "us__ally_of__tb", "cn__ally_of__tb"}
    assert view_note(H) == (
        "as of 2021-09, the latest date in the file: 1 ended relation hidden; "
        "scenario: China recognises the Taliban; 2 relations of 1 other named scenario hidden"
    )


def test_a_scenario_that_replaces_the_main_forecast_leaves_it_out(path: Path) -> None:
    G = build_graph(load_dataset(path))
    H = filter_graph(G, FilterSpec(scenario="alienated", as_of="all"))
    assert relations(H) == {
        "us__hostile_to__tb",
        "us__negotiates_with__tb",
        "tb__supports__cn",
        "tb__hostile_to__us",
    }
    assert view_note(H) == (
        "all periods; scenario: The Taliban lean to China (it replaces the main forecast: "
        "1 projected relation of the main forecast left out); "
        "1 relation of 1 other named scenario hidden"
    )


def test_main_is_the_main_forecast_and_an_unknown_scenario_is_refused(path: Path) -> None:
    G = build_graph(load_dataset(path))
    assert FilterSpec(scenario="main") == FilterSpec()
    with pytest.raises(
        ViewError, match=r"unknown scenario 'recogniton' \(did you mean 'recognition'\?\)"
    ):
        filter_graph(G, FilterSpec(scenario="recogniton"))


def test_a_projected_relation_without_since_starts_when_its_source_was_published(
    path: Path,
) -> None:
    G = build_graph(load_dataset(path))
    forecast = G.edges["us", "tb", "us__ally_of__tb"]
    assert str(forecast["start"]) == "2021-09-01" and forecast["since"] is None
    before = filter_graph(G, FilterSpec(as_of="2001-10"))
    assert relations(before) == {"us__hostile_to__tb"}  # no forecast before it was made
    assert view_note(before) == (
        "as of 2001-10: 2 relations not yet begun hidden; 3 relations of 2 named scenarios hidden"
    )
    assert "us__ally_of__tb" in relations(filter_graph(G, FilterSpec(as_of="2021-09")))


def test_scenario_evidence_is_checked_against_the_source_text(path: Path, tmp_path: Path) -> None:
    good, bad = tmp_path / "good", tmp_path / "bad"
    for folder, text in ((good, ARTICLE), (bad, ARTICLE.replace("if recognised", "if seen"))):
        folder.mkdir()
        (folder / "article.txt").write_text(text, encoding="utf-8")
    assert not check_file(path, sources=good).errors
    errors = [str(p) for p in check_file(path, sources=bad).errors]
    assert errors[0] == (
        f"{path}:10:34: scenarios[0].evidence[0].quote: quote not found in the text of "
        "source 'article': 'even if recognised by China'"
    )


def test_a_scenario_with_no_relations_is_a_warning(write_yaml: Callable[[str, str], Path]) -> None:
    text = MAP.replace("    scenario: recognition\n", "")
    report = check_file(write_yaml(text, "unused.yaml"))
    assert "scenario 'recognition' has no relations" in [p.message for p in report.warnings]


def test_stats_names_the_date_what_it_hides_and_the_scenario(
    path: Path, cli_runner: RunCli
) -> None:
    code, out, _ = cli_runner("stats", str(path))
    assert code == 0
    assert out.splitlines()[1:3] == [
        "view: 3 of 3 actors, 2 of 6 relations",
        "as of 2021-09, the latest date in the file: 1 ended relation hidden; "
        "3 relations of 2 named scenarios hidden",
    ]
    code, out, _ = cli_runner("stats", str(path), "--scenario", "alienated", "--as-of", "all")
    assert (
        code == 0
        and "view: 3 of 3 actors, 4 of 6 relations (as of: all; scenario: alienated)" in out
    )
    code, _, err = cli_runner("stats", str(path), "--scenario", "alienatd")
    assert code == 2
    assert (
        "--scenario: unknown scenario 'alienatd' (did you mean 'alienated'?); this map's "
        "scenarios: recognition, alienated" in err
    )


def test_view_stats_counts_by_kind_type_sign_and_status(path: Path) -> None:
    G = build_graph(load_dataset(path))
    spec = FilterSpec(scenario="recognition")
    stats = view_stats(G, filter_graph(G, spec), spec)
    assert stats.summary == "3 of 3 actors, 3 of 6 relations"
    assert stats.filters == "scenario: recognition"
    tables = dict(stats.tables)
    assert tables["actors by kind"] == (("state", 2), ("armed_group", 1))
    assert tables["relations by type"] == (("ally_of", 2), ("negotiates_with", 1))
    assert tables["relations by sign"] == (("positive", 3),)
    assert tables["relations by status"] == (("projected", 2), ("observed", 1))
    assert stats.components == 1 and stats.density == pytest.approx(2 / 3)


def test_the_scenario_travels_in_the_url() -> None:
    spec = FilterSpec(scenario="recognition", as_of="all")
    assert spec.to_query() == {"as_of": "all", "scenario": "recognition"}
    assert FilterSpec.from_query(spec.to_query()) == spec


def test_all_scenarios_keeps_every_relation_and_all_is_no_scenario_id(
    path: Path, write_yaml: Callable[[str, str], Path]
) -> None:
    G = build_graph(load_dataset(path))
    H = filter_graph(G, FilterSpec(scenario="all", as_of="all"))
    assert H.number_of_edges() == 6
    assert view_note(H) == "all periods; every scenario shown, with the main forecast"
    taken = MAP.replace("id: alienated", "id: all").replace("scenario: alienated", "scenario: all")
    errors = [p.message for p in check_file(write_yaml(taken, "taken.yaml")).errors]
    assert "'all' names every scenario at once; give the scenario another id" in errors


def test_compare_against_a_scenario_and_analyze_under_one(path: Path, cli_runner: RunCli) -> None:
    code, out, _ = cli_runner("compare", str(path), "--against-scenario", "alienated")
    assert code == 0
    before, after = out.splitlines()[:2]
    assert before.startswith("before: main forecast (3 actors, 2 relations; ")
    assert after.startswith("after:  scenario: The Taliban lean to China (3 actors, 3 relations;")
    assert "it replaces the main forecast: 1 projected relation of the main forecast left out" in (
        after
    )
    code, out, _ = cli_runner(
        "compare", str(path), "--scenario", "recognition", "--against-scenario", "main"
    )
    assert code == 0
    assert out.startswith("before: scenario: China recognises the Taliban (3 actors, 3 relations;")
    assert "after:  main forecast (3 actors, 2 relations;" in out
    code, _, err = cli_runner("compare", str(path), "--against-scenario", "alienatd")
    assert (
        code == 2
        and "--against-scenario: unknown scenario 'alienatd' (did you mean 'alienated'?)" in err
    )
    code, _, err = cli_runner("compare", str(path), "--projected", "--against-scenario", "main")
    assert code == 2 and "give exactly one of" in err
    code, out, _ = cli_runner(
        "analyze", str(path), "--include-projected", "--scenario", "recognition", "--json"
    )
    assert code == 0
    assert '"scenario": "recognition"' in out
